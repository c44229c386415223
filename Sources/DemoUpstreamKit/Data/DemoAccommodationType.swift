/// An accommodation type, as `GET /accommodation_types` lists it (a room category such as "Deluxe Double").
public struct DemoAccommodationType: Sendable, Hashable {
    /// A `{id, name}` term: a category, tag or amenity.
    public struct Term: Sendable, Hashable {
        public var id: Int
        public var name: String
    }

    /// An attached image; `src` points at the site's reserved `.example` domain.
    public struct Image: Sendable, Hashable {
        public var id: Int
        public var src: String
        public var title: String
        public var alt: String
    }

    public var id: Int
    /// Always `publish`.
    public var status: String
    public var title: String
    public var description: String
    public var excerpt: String
    public var adults: Int
    public var children: Int
    public var totalCapacity: Int
    public var bedType: String
    /// Square metres.
    public var size: Int
    public var view: String
    /// Services offered, as `{id, title}` terms.
    public var services: [Term]
    public var categories: [Term]
    public var tags: [Term]
    public var amenities: [Term]
    public var images: [Image]
    /// Site time of creation, for `orderby=date`.
    var createdAt: Int64
}
