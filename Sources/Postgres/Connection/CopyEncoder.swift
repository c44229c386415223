/// Encodes rows in `COPY ... FROM STDIN` text format into a byte buffer sent in chunks.
///
/// Fields are tab-separated and rows newline-terminated; NULL is `\N`; backslash, tab, newline and
/// carriage return inside a value are backslash-escaped, so no value can end a field or row early.
struct CopyEncoder {
    /// How many bytes to collect before handing them to `PQputCopyData`.
    static let chunkSize = 64 * 1_024

    private(set) var buffer: [UInt8] = []
    private(set) var rowCount = 0

    init() {
        buffer.reserveCapacity(Self.chunkSize + 4_096)
    }

    /// Appends one row; throws for a NUL byte, which the text format cannot carry.
    mutating func append(_ row: [PostgresValue]) throws(PostgresError) {
        for (column, value) in row.enumerated() {
            if column > 0 {
                buffer.append(UInt8(ascii: "\t"))
            }
            guard let text = value.postgresText else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
                continue
            }
            for byte in text.utf8 {
                switch byte {
                case 0:
                    throw PostgresError(
                        code: .copyFailed,
                        sqlState: "22021",
                        message: "row \(rowCount + 1), column \(column + 1) contains a NUL byte, which PostgreSQL text cannot store"
                    )
                case UInt8(ascii: "\\"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"):
                    buffer.append(UInt8(ascii: "\\"))
                    buffer.append(UInt8(ascii: "r"))
                default:
                    buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
        rowCount += 1
    }

    /// Hands the buffered bytes to `send` and empties the buffer, keeping its capacity.
    mutating func flush(_ send: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard !buffer.isEmpty else {
            return true
        }
        let sent = buffer.withUnsafeBufferPointer(send)
        buffer.removeAll(keepingCapacity: true)
        return sent
    }
}
