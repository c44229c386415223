/// A booking, as `GET /bookings` lists it, with every field of the MotoPress schema.
///
/// Imported iCal blocks (``imported`` is `true`) have an empty customer, a zero total, no rate and an
/// `ical_summary` such as "Airbnb (Not available)", like the blocks MotoPress creates when it syncs an
/// external calendar.
public struct DemoBooking: Sendable, Hashable {
    /// The six statuses MotoPress gives a booking.
    public static let statuses = ["pending-user", "pending-payment", "pending", "abandoned", "confirmed", "cancelled"]

    /// The booking's customer; every field is empty on imported blocks.
    public struct Customer: Sendable, Hashable {
        public var firstName: String
        public var lastName: String
        public var email: String
        public var phone: String
        /// ISO 3166-1 alpha-2, or empty.
        public var country: String
        public var state: String
        public var city: String
        public var zip: String
        public var address1: String

        static let empty = Customer(
            firstName: "", lastName: "", email: "", phone: "", country: "", state: "", city: "", zip: "", address1: ""
        )
    }

    /// A payment attached to the booking.
    public struct Payment: Sendable, Hashable {
        public var id: Int
        /// A MotoPress payment status such as `mphb-p-completed`.
        public var status: String
        public var amountCents: Int
        public var currency: String
    }

    /// A note staff left on the booking.
    public struct InternalNote: Sendable, Hashable {
        public var note: String
        public var user: Int
        public var dateUTC: String
    }

    public var id: Int
    public var status: String
    /// Site time, `YYYY-MM-DDTHH:MM:SS`.
    public var dateCreated: String
    /// UTC, `YYYY-MM-DDTHH:MM:SS`.
    public var dateCreatedUTC: String
    /// `booking_<id>_<13 hex digits>`, as MotoPress builds it.
    public var key: String
    /// `YYYY-MM-DD`.
    public var checkInDate: String
    public var checkOutDate: String
    /// `HH:MM:SS`.
    public var checkInTime: String
    public var checkOutTime: String
    public var customer: Customer
    public var reservedAccommodations: [DemoReservedAccommodation]
    public var couponCode: String
    /// ISO 4217.
    public var currency: String
    public var totalPriceCents: Int
    public var payments: [Payment]
    public var imported: Bool
    public var icalDescription: String
    public var icalProdid: String
    public var icalSummary: String
    public var note: String
    public var internalNotes: [InternalNote]
    /// UTC seconds since the epoch of `dateCreatedUTC`, for `after` and `before`.
    var createdAtUTC: Int64
}
