/// One estimate served by the estimates API.
public struct DemoEstimate: Sendable, Hashable {
    /// UUID-shaped, lowercase, derived from the seed.
    public var id: String
    public var name: String
    public var customerName: String
    /// `draft`, `sent`, `approved` or `rejected`.
    public var status: String
    public var totalCents: Int
    /// ISO 8601 in UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public var createdAt: String
    public var updatedAt: String
    /// Day number of `createdAt`, for `start_date` and `end_date`.
    var createdDay: Int64
}
