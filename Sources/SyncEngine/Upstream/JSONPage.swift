/// Reading an upstream page body with ``JSONScanner``: validation with a clear error, and splitting
/// a list of records into usable ones and rejects.
enum JSONPage {
    /// Why a record has no usable key.
    struct KeyError: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Runs `read` on the page's top-level value, then checks nothing but whitespace follows it.
    ///
    /// `read` returns `nil` when the page is valid JSON of the wrong shape. A page that is not valid
    /// JSON at all fails with its size and the first problem found.
    static func scan<T>(_ body: [UInt8], _ read: (inout JSONScanner) throws(JSONScanError) -> T?) throws(SyncError) -> T? {
        let outcome: Result<T?, JSONScanError> = body.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            scanner.skipWhitespace()
            do throws(JSONScanError) {
                guard let value = try read(&scanner) else {
                    // The wrong shape, or not JSON at all: tell the two apart.
                    var validator = JSONScanner(buffer)
                    _ = try validator.scanDocument()
                    return .success(nil)
                }
                guard scanner.isAtEnd() else {
                    return .failure(JSONScanError(reason: "unexpected data after the JSON value", offset: scanner.position))
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let value):
            return value
        case .failure(let error):
            throw SyncError(code: .badPayload, message: "response is not valid JSON (\(body.count) bytes): \(error)")
        }
    }

    /// Splits scanned array elements into objects with a usable key and rejects with the reason.
    static func split<Key>(
        _ body: [UInt8], elements: [(span: JSONValueSpan, members: [JSONMember]?)],
        key: (JSONObjectSlice) -> Result<Key, KeyError>
    ) -> (records: [(key: Key, object: JSONObjectSlice)], invalid: [(json: String, reason: String)]) {
        var records: [(key: Key, object: JSONObjectSlice)] = []
        records.reserveCapacity(elements.count)
        var invalid: [(json: String, reason: String)] = []
        for element in elements {
            guard let members = element.members else {
                let text = body.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[element.span.range]), as: UTF8.self) }
                invalid.append((text, "record is not a JSON object"))
                continue
            }
            let object = JSONObjectSlice(bytes: body, span: element.span, members: members)
            switch key(object) {
            case .success(let value): records.append((value, object))
            case .failure(let error): invalid.append((object.text, error.reason))
            }
        }
        return (records, invalid)
    }
}
