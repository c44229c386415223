import Hummingbird

/// A collection's records, each encoded to JSON once, served as pages by copying their bytes.
///
/// Encoding at startup is what lets one core serve tens of thousands of records a second: a page is
/// a `[`, the records' byte ranges joined by commas, and a `]`.
struct EncodedCollection: Sendable {
    /// Every record's JSON, back to back.
    private let bytes: [UInt8]
    /// Where each record's JSON ends in `bytes`; it starts where the previous one ends.
    private let ends: [Int]
    /// Record index by id.
    private let indexByID: [Int: Int]
    /// Each record's id, in storage (id) order.
    let ids: [Int]
    /// Each record's creation time, UTC seconds, for `orderby=date`, `after` and `before`.
    let createdAt: [Int64]
    /// Each record's status, for the `status` filter.
    let statuses: [String]
    /// Record indices sorted by id, ascending.
    let idOrder: [Int]
    /// Record indices sorted by creation time, then id, ascending.
    let dateOrder: [Int]

    init<Record>(
        _ records: [Record],
        id: (Record) -> Int,
        createdAt: (Record) -> Int64,
        status: (Record) -> String,
        write: (Record, inout JSONWriter) -> Void
    ) {
        var writer = JSONWriter(capacity: records.count * 256)
        var ends: [Int] = []
        ends.reserveCapacity(records.count)
        for record in records {
            writer.startValue()
            write(record, &writer)
            ends.append(writer.bytes.count)
        }
        self.bytes = writer.bytes
        self.ends = ends
        let ids = records.map(id)
        let created = records.map(createdAt)
        self.ids = ids
        self.createdAt = created
        self.statuses = records.map(status)
        self.indexByID = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.idOrder = ids.indices.sorted { ids[$0] < ids[$1] }
        self.dateOrder = ids.indices.sorted { created[$0] != created[$1] ? created[$0] < created[$1] : ids[$0] < ids[$1] }
    }

    var count: Int { self.ids.count }

    /// The index of the record with `id`, if there is one.
    func index(ofID id: Int) -> Int? {
        self.indexByID[id]
    }

    /// One record's JSON.
    func record(at index: Int) -> ByteBuffer {
        ByteBuffer(bytes: self.bytes[self.range(of: index)])
    }

    /// A JSON array of the records at `indices`, in that order, between `prefix` and `suffix`.
    func array(of indices: some Collection<Int>, prefix: StaticString = "", suffix: StaticString = "") -> ByteBuffer {
        var size = 2 + prefix.utf8CodeUnitCount + suffix.utf8CodeUnitCount
        for index in indices { size += self.range(of: index).count + 1 }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        buffer.writeStaticString(prefix)
        buffer.writeInteger(UInt8(ascii: "["))
        var first = true
        for index in indices {
            if !first { buffer.writeInteger(UInt8(ascii: ",")) }
            first = false
            buffer.writeBytes(self.bytes[self.range(of: index)])
        }
        buffer.writeInteger(UInt8(ascii: "]"))
        buffer.writeStaticString(suffix)
        return buffer
    }

    private func range(of index: Int) -> Range<Int> {
        (index == 0 ? 0 : self.ends[index - 1])..<self.ends[index]
    }
}
