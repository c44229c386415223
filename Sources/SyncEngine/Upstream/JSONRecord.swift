import Foundation

/// One upstream record: its id, its fields, and its JSON text for storage.
///
/// The text goes into a `jsonb` column, which normalises key order and whitespace, so comparing
/// stored and incoming `jsonb` decides whether a row changed: the same upstream content always
/// yields "unchanged" without sorting keys here (Foundation sorts them with a locale-aware
/// collation, which made sorting the worker's most expensive step).
struct JSONRecord {
    var externalID: Int64
    var fields: [String: Any]
    var json: String

    /// Parses a page body that must be a JSON array of objects, each with an integer `id`.
    ///
    /// Records without a usable `id` are returned in `invalid` with the reason instead of failing the page.
    static func parseArray(_ body: [UInt8], idField: String = "id") throws(SyncError) -> (records: [JSONRecord], invalid: [(json: String, reason: String)]) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body))
        } catch {
            throw SyncError(code: .badPayload, message: "response is not valid JSON (\(body.count) bytes)")
        }
        guard let array = object as? [Any] else {
            throw SyncError(code: .badPayload, message: "response is not a JSON array")
        }
        var records: [JSONRecord] = []
        records.reserveCapacity(array.count)
        var invalid: [(json: String, reason: String)] = []
        for element in array {
            guard let fields = element as? [String: Any] else {
                invalid.append((canonicalJSON(element) ?? "null", "record is not a JSON object"))
                continue
            }
            guard let json = canonicalJSON(fields) else {
                invalid.append(("null", "record cannot be re-encoded as JSON"))
                continue
            }
            guard let id = integer(fields[idField]) else {
                invalid.append((json, "record has no integer \"\(idField)\""))
                continue
            }
            records.append(JSONRecord(externalID: id, fields: fields, json: json))
        }
        return (records, invalid)
    }

    /// Encodes a JSON value; key order is left to `jsonb`.
    static func canonicalJSON(_ value: Any) -> String? {
        // Values here come from JSONSerialization's own parser, so they are valid JSON by construction;
        // checking them again with isValidJSONObject cost a third of the worker's time.
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads an integer from a JSON number or numeric string.
    static func integer(_ value: Any?) -> Int64? {
        switch value {
        case let number as NSNumber:
            // Reject fractional numbers posing as ids.
            let double = number.doubleValue
            return double == double.rounded() ? number.int64Value : nil
        case let text as String:
            return Int64(text)
        default:
            return nil
        }
    }
}
