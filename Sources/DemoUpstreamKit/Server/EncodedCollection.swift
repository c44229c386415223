import Hummingbird

/// A collection's records, each encoded to JSON once, served as pages by copying their bytes.
///
/// Encoding at startup is what lets one core serve tens of thousands of records a second: a page is
/// a `[`, the records' byte ranges joined by commas, and a `]`. A site edited while it runs (see
/// ``DemoSiteChange``) keeps its original bytes and holds the records it rewrote on the side, so an
/// unedited collection costs nothing extra.
struct EncodedCollection: Sendable {
    /// How WordPress sees a record: listed, trashed (served by id with `status: "trash"`, never
    /// listed) or deleted for good (neither).
    enum Visibility: Sendable {
        case listed
        case trashed
        case deleted
    }

    /// Every original record's JSON, back to back.
    private let bytes: [UInt8]
    /// Where each original record's JSON ends in `bytes`; it starts where the previous one ends.
    private let ends: [Int]
    /// Records rewritten or added since the collection was encoded, by index.
    private var rewritten: [Int: [UInt8]] = [:]
    /// Record index by id.
    private var indexByID: [Int: Int]
    /// Each record's id.
    private(set) var ids: [Int]
    /// Each record's creation time, UTC seconds, for `orderby=date`, `after` and `before`.
    private(set) var createdAt: [Int64]
    /// Each record's last modification time (`post_modified_gmt`), UTC seconds.
    private(set) var modifiedAt: [Int64]
    private(set) var visibility: [Visibility]
    /// How many records are not listed; 0 lets a listing use the precomputed orders as they are.
    private(set) var unlistedCount = 0
    /// Record indices sorted by id, ascending.
    private(set) var idOrder: [Int]
    /// Record indices sorted by creation time, then id, ascending.
    private(set) var dateOrder: [Int]
    /// Record indices sorted by modification time, then id, ascending.
    private(set) var modifiedOrder: [Int]

    init<Record>(
        _ records: [Record],
        id: (Record) -> Int,
        createdAt: (Record) -> Int64,
        visibility: (Record) -> Visibility = { _ in .listed },
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
        self.ids = records.map(id)
        self.createdAt = records.map(createdAt)
        self.modifiedAt = self.createdAt
        self.visibility = records.map(visibility)
        self.unlistedCount = self.visibility.filter { $0 != .listed }.count
        self.indexByID = Dictionary(self.ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.idOrder = []
        self.dateOrder = []
        self.modifiedOrder = []
        self.sortOrders()
    }

    var count: Int { self.ids.count }

    /// The index of the record with `id`, whatever its visibility.
    func index(ofID id: Int) -> Int? {
        self.indexByID[id]
    }

    /// One record's JSON.
    func record(at index: Int) -> ByteBuffer {
        if let bytes = self.rewritten[index] { return ByteBuffer(bytes: bytes) }
        return ByteBuffer(bytes: self.bytes[self.range(of: index)])
    }

    /// The listed records in `order`, ascending.
    func listed(_ order: [Int]) -> [Int] {
        self.unlistedCount == 0 ? order : order.filter { self.visibility[$0] == .listed }
    }

    /// A JSON array of the records at `indices`, in that order, between `prefix` and `suffix`.
    func array(of indices: some Collection<Int>, prefix: StaticString = "", suffix: StaticString = "") -> ByteBuffer {
        var size = 2 + prefix.utf8CodeUnitCount + suffix.utf8CodeUnitCount
        for index in indices { size += self.length(of: index) + 1 }
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        buffer.writeStaticString(prefix)
        buffer.writeInteger(UInt8(ascii: "["))
        var first = true
        for index in indices {
            if !first { buffer.writeInteger(UInt8(ascii: ",")) }
            first = false
            if let bytes = self.rewritten[index] {
                buffer.writeBytes(bytes)
            } else {
                buffer.writeBytes(self.bytes[self.range(of: index)])
            }
        }
        buffer.writeInteger(UInt8(ascii: "]"))
        buffer.writeStaticString(suffix)
        return buffer
    }

    /// A JSON array of `{"id": …}` objects for the records at `indices`: what `_fields=id` answers.
    func idArray(of indices: [Int]) -> ByteBuffer {
        var writer = JSONWriter(capacity: indices.count * 16)
        writer.openArray()
        for index in indices {
            writer.openObject()
            writer.field("id", self.ids[index])
            writer.closeObject()
        }
        writer.closeArray()
        return ByteBuffer(bytes: writer.bytes)
    }

    /// Replaces record `index` with `json`; `modifiedAt` is its new `post_modified_gmt`, `nil` for
    /// an edit that leaves it alone (a meta-only change).
    mutating func rewrite(_ index: Int, json: [UInt8], visibility: Visibility, modifiedAt: Int64?) {
        self.rewritten[index] = json
        if self.visibility[index] != .listed { self.unlistedCount -= 1 }
        if visibility != .listed { self.unlistedCount += 1 }
        self.visibility[index] = visibility
        if let modifiedAt { self.modifiedAt[index] = modifiedAt }
        self.sortOrders()
    }

    /// Adds a record created at `createdAt`, UTC seconds.
    mutating func append(id: Int, json: [UInt8], createdAt: Int64) {
        let index = self.ids.count
        self.ids.append(id)
        self.createdAt.append(createdAt)
        self.modifiedAt.append(createdAt)
        self.visibility.append(.listed)
        self.rewritten[index] = json
        self.indexByID[id] = index
        self.sortOrders()
    }

    private mutating func sortOrders() {
        let ids = self.ids
        let created = self.createdAt
        let modified = self.modifiedAt
        self.idOrder = ids.indices.sorted { ids[$0] < ids[$1] }
        self.dateOrder = ids.indices.sorted { created[$0] != created[$1] ? created[$0] < created[$1] : ids[$0] < ids[$1] }
        self.modifiedOrder = ids.indices.sorted { modified[$0] != modified[$1] ? modified[$0] < modified[$1] : ids[$0] < ids[$1] }
    }

    private func length(of index: Int) -> Int {
        self.rewritten[index]?.count ?? self.range(of: index).count
    }

    private func range(of index: Int) -> Range<Int> {
        (index == 0 ? 0 : self.ends[index - 1])..<self.ends[index]
    }
}
