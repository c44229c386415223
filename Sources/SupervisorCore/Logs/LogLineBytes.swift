/// Bytes several stored lines share: one copy per read of a worker's pipe, not one per line.
final class LogLineBytes: Sendable {
    let bytes: [UInt8]

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = Array(bytes)
    }
}
