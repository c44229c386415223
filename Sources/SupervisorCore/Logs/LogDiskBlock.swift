/// Lines of one tenant, rendered as they go into its file, for the disk writer to append in one go.
///
/// The store renders lines while it holds its lock, so the disk writer only copies bytes: a tenant
/// logging at full speed costs it one block per read of that worker's pipe, not one object per line.
struct LogDiskBlock {
    let tenant: String
    /// Every line, each ending in a newline.
    private(set) var bytes: [UInt8] = []
    /// Where each stored line's unit ends in ``bytes``, and its sequence. A unit is the line and any
    /// `dropped N lines` notice written just before it.
    private(set) var units: [(end: Int, sequence: UInt64)] = []

    init(tenant: String, capacity: Int = 0) {
        self.tenant = tenant
        bytes.reserveCapacity(capacity)
    }

    var isEmpty: Bool { units.isEmpty }

    /// Adds a line: `render` appends its bytes (without the newline) to the buffer.
    mutating func appendLine(sequence: UInt64, _ render: (inout [UInt8]) -> Void) {
        render(&bytes)
        bytes.append(0x0A)
        units.append((bytes.count, sequence))
    }

    /// Adds a notice line that belongs to the next line's unit.
    mutating func appendNotice(_ render: (inout [UInt8]) -> Void) {
        render(&bytes)
        bytes.append(0x0A)
    }
}
