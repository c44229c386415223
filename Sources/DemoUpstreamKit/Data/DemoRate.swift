/// A rate, as `GET /rates` lists it; the demo has one per accommodation type.
public struct DemoRate: Sendable, Hashable {
    /// The price of a rate in one season.
    public struct SeasonPrice: Sendable, Hashable {
        public var priority: Int
        /// Nightly price in cents.
        public var basePriceCents: Int
        public var seasonID: Int
    }

    public var id: Int
    /// Always `active`.
    public var status: String
    public var title: String
    public var description: String
    public var accommodationTypeID: Int
    public var seasonPrices: [SeasonPrice]
    /// Site time of creation, for `orderby=date`.
    var createdAt: Int64
}
