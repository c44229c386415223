/// A fetched page with its reservation lines already cut and filtered.
struct PreparedPage {
    var records: [JSONRecord]
    var invalid: [(json: String, reason: String)]
    /// Reservation lines that pass the tenant's filters (reservations only).
    var lines: [ReservationLine] = []
    /// Bookings without any reserved accommodation (reservations only).
    var empty: [JSONRecord] = []
}
