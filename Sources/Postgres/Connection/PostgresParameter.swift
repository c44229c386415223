/// One bind parameter as `PQexecParams` takes it: its bytes (NUL-terminated text, or binary), its type
/// OID (0: inferred by the server) and its format.
struct PostgresParameter {
    /// `nil` is SQL NULL.
    var bytes: [UInt8]?
    var type: UInt32
    var binary: Bool
}

extension Array where Element == PostgresParameter {
    /// Calls `body` with `PQexecParams`' four parallel arrays (types, values, lengths, formats), all
    /// valid for the call (`nil` when there are no parameters, as libpq allows).
    func withLibpqArrays<R>(
        _ body: (UnsafePointer<UInt32>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        let types = map(\.type)
        let lengths = map { Int32($0.bytes?.count ?? 0) }
        let formats = map { Int32($0.binary ? 1 : 0) }
        // Every parameter's bytes in one buffer, so each value pointer stays valid for the whole call.
        var storage: [UInt8] = []
        storage.reserveCapacity(reduce(1) { $0 + ($1.bytes?.count ?? 0) })
        let offsets = map { parameter -> Int? in
            guard let bytes = parameter.bytes else { return nil }
            defer { storage.append(contentsOf: bytes) }
            return storage.count
        }
        storage.append(0)
        return storage.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { $0.map { UnsafePointer(base + $0) } }
            return types.withUnsafeBufferPointer { types in
                values.withUnsafeBufferPointer { values in
                    lengths.withUnsafeBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(types.baseAddress, values.baseAddress, lengths.baseAddress, formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
