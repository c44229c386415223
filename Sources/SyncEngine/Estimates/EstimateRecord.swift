import Foundation

/// One estimate: its text id and canonical JSON.
struct EstimateRecord {
    var id: String
    var json: String

    /// Parses `{"data": [...]}`; an element without a string `id` is returned in `invalid` with the reason.
    static func parsePage(_ body: [UInt8]) throws(SyncError) -> (records: [EstimateRecord], invalid: [(json: String, reason: String)]) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw SyncError(code: .badPayload, message: "response is not valid JSON (\(body.count) bytes)")
        }
        guard let envelope = object as? [String: Any], let array = envelope["data"] as? [Any] else {
            throw SyncError(code: .badPayload, message: "response has no \"data\" array")
        }
        var records: [EstimateRecord] = []
        var invalid: [(json: String, reason: String)] = []
        for element in array {
            guard let fields = element as? [String: Any], let json = JSONRecord.canonicalJSON(fields) else {
                invalid.append((JSONRecord.canonicalJSON(element) ?? "null", "record is not a JSON object"))
                continue
            }
            guard let id = fields["id"] as? String, !id.isEmpty else {
                invalid.append((json, "record has no string \"id\""))
                continue
            }
            records.append(EstimateRecord(id: id, json: json))
        }
        return (records, invalid)
    }
}
