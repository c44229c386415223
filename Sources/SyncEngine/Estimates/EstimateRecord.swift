/// One estimate: its text id and its JSON as the upstream sent it.
struct EstimateRecord {
    var id: String
    var json: String

    /// Parses `{"data": [...]}`; an element without a string `id` is returned in `invalid` with the reason.
    static func parsePage(_ body: [UInt8]) throws(SyncError) -> (records: [EstimateRecord], invalid: [(json: String, reason: String)]) {
        let elements = try JSONPage.scan(body) { scanner throws(JSONScanError) -> [(span: JSONValueSpan, members: [JSONMember]?)]? in
            guard scanner.currentByte == UInt8(ascii: "{") else { return nil }
            let envelope = try scanner.scanObjectMembers()
            let page = JSONObjectSlice(bytes: body, span: envelope.span, members: envelope.members)
            guard let data = page.member("data")?.value, data.kind == .array else { return nil }
            scanner.move(to: data.range.lowerBound)
            let elements = try scanner.scanArrayOfObjects()
            scanner.move(to: envelope.span.range.upperBound)
            return elements
        }
        guard let elements else {
            throw SyncError(code: .badPayload, message: "response has no \"data\" array")
        }
        let split = JSONPage.split(body, elements: elements) { object in
            if let id = object.string("id"), !id.isEmpty { .success(id) } else { .failure(JSONPage.KeyError("record has no string \"id\"")) }
        }
        return (split.records.map { EstimateRecord(id: $0.key, json: $0.object.text) }, split.invalid)
    }
}
