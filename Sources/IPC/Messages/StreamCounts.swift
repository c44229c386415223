/// What happened to the records of one stream.
public struct StreamCounts: Codable, Sendable, Equatable {
    /// Records read from the upstream.
    public var fetched: Int
    /// Rows inserted.
    public var created: Int
    /// Rows whose content changed and were rewritten.
    public var updated: Int
    /// Rows whose content was identical and were left alone.
    public var unchanged: Int
    /// Records that could not be stored, kept with their reason in the rejects table.
    public var rejected: Int

    public init(fetched: Int = 0, created: Int = 0, updated: Int = 0, unchanged: Int = 0, rejected: Int = 0) {
        self.fetched = fetched
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
    }

    /// Adds another set of counts to this one.
    public mutating func add(_ other: StreamCounts) {
        fetched += other.fetched
        created += other.created
        updated += other.updated
        unchanged += other.unchanged
        rejected += other.rejected
    }
}
