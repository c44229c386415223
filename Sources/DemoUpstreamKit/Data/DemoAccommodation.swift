/// One physical unit, as `GET /accommodations` lists it.
public struct DemoAccommodation: Sendable, Hashable {
    public var id: Int
    /// `publish`, or `trash` for a trashed unit that `/accommodations` no longer lists.
    public var status: String
    public var accommodationTypeID: Int
    public var title: String
    public var excerpt: String
    /// Site time of creation, for `orderby=date`.
    var createdAt: Int64

    /// Whether the unit is trashed: bookings still reference it, the listing leaves it out.
    public var isTrashed: Bool { self.status == "trash" }
}
