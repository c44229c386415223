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
    /// Rows marked deleted because the upstream confirmed they are gone (trashed or deleted there).
    public var deleted: Int

    public init(fetched: Int = 0, created: Int = 0, updated: Int = 0, unchanged: Int = 0, rejected: Int = 0, deleted: Int = 0) {
        self.fetched = fetched
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
        self.deleted = deleted
    }

    private enum CodingKeys: String, CodingKey {
        case fetched, created, updated, unchanged, rejected, deleted
    }

    /// Decodes counts; `deleted` may be absent (a worker of an earlier version), which means 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.fetched = try container.decode(Int.self, forKey: .fetched)
        self.created = try container.decode(Int.self, forKey: .created)
        self.updated = try container.decode(Int.self, forKey: .updated)
        self.unchanged = try container.decode(Int.self, forKey: .unchanged)
        self.rejected = try container.decode(Int.self, forKey: .rejected)
        self.deleted = try container.decodeIfPresent(Int.self, forKey: .deleted) ?? 0
    }

    /// Adds another set of counts to this one.
    public mutating func add(_ other: StreamCounts) {
        fetched += other.fetched
        created += other.created
        updated += other.updated
        unchanged += other.unchanged
        rejected += other.rejected
        deleted += other.deleted
    }
}
