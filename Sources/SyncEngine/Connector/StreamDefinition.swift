/// One stream of a connector: a table's worth of records with a key and parent streams.
public struct StreamDefinition: Sendable, Hashable {
    /// Stream name, also used in progress, results and logs (for example `reservations`).
    public var name: String
    /// Streams that must have succeeded before this one runs.
    public var parents: [String]
    /// The upstream field(s) identifying a record within the tenant.
    public var primaryKey: [String]

    public init(name: String, parents: [String] = [], primaryKey: [String] = ["id"]) {
        self.name = name
        self.parents = parents
        self.primaryKey = primaryKey
    }
}
