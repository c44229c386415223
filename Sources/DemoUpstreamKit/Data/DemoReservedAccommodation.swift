/// One room of a booking: which unit, at which rate, for whom, and what it costs.
public struct DemoReservedAccommodation: Sendable, Hashable {
    /// A service booked with the room.
    public struct Service: Sendable, Hashable {
        public var id: Int
        public var adults: Int
        public var quantity: Int
        public var priceCents: Int
    }

    /// The price of one night.
    public struct NightPrice: Sendable, Hashable {
        /// `YYYY-MM-DD`.
        public var date: String
        public var priceCents: Int
    }

    /// A labelled amount, used for fees and taxes.
    public struct Charge: Sendable, Hashable {
        public var label: String
        public var valueCents: Int
    }

    /// Accommodation id; always one of the site's accommodations, possibly a trashed one.
    public var accommodation: Int
    public var accommodationType: Int
    /// Rate id, or `0` on imported blocks.
    public var rate: Int
    public var adults: Int
    public var children: Int
    public var guestName: String
    public var services: [Service]
    public var accommodationPricePerDays: [NightPrice]
    public var fees: [Charge]
    public var accommodationTaxes: [Charge]
    public var serviceTaxes: [Charge]
    public var feeTaxes: [Charge]
    public var discountCents: Int

    /// What the room adds to the booking's total: nights, services, fees and taxes, less the discount.
    public var totalCents: Int {
        self.accommodationPricePerDays.reduce(0) { $0 + $1.priceCents }
            + self.services.reduce(0) { $0 + $1.priceCents }
            + (self.fees + self.accommodationTaxes + self.serviceTaxes + self.feeTaxes).reduce(0) { $0 + $1.valueCents }
            - self.discountCents
    }
}
