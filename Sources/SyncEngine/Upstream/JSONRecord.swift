/// One upstream record: its id, where it sits in the page, and its JSON text for storage.
///
/// The text is stored as the upstream sent it into a `jsonb` column, which normalises key order and
/// whitespace, so comparing stored and incoming `jsonb` decides whether a row changed. The page is
/// scanned once by ``JSONScanner``; nothing is decoded into Foundation objects and re-encoded.
package struct JSONRecord: Sendable {
    var externalID: Int64
    var object: JSONObjectSlice

    /// The record's JSON text, as the upstream sent it.
    var json: String { object.text }

    /// Parses a page body that must be a JSON array of objects, each with an integer `id`.
    ///
    /// Records without a usable `id` are returned in `invalid` with the reason instead of failing the page.
    static func parseArray(_ body: [UInt8], idField: String = "id") throws(SyncError) -> (records: [JSONRecord], invalid: [(json: String, reason: String)]) {
        let elements = try JSONPage.scan(body) { scanner throws(JSONScanError) in
            scanner.currentByte == UInt8(ascii: "[") ? try scanner.scanArrayOfObjects() : nil
        }
        guard let elements else {
            throw SyncError(code: .badPayload, message: "response is not a JSON array")
        }
        let split = JSONPage.split(body, elements: elements) { object in
            object.integer(idField).map { .success($0) } ?? .failure(JSONPage.KeyError("record has no integer \"\(idField)\""))
        }
        return (split.records.map { JSONRecord(externalID: $0.key, object: $0.object) }, split.invalid)
    }
}
