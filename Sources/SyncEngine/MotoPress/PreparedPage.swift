/// A fetched page with its reservation lines already cut and filtered.
struct PreparedPage {
    var records: [JSONRecord]
    var invalid: [(json: String, reason: String)]
    /// Reservation lines that pass the tenant's filters (reservations only).
    var lines: [ReservationLine] = []
    /// Bookings without any reserved accommodation (reservations only).
    var empty: [JSONRecord] = []
    /// Lines left out of `lines` because they are stored from the same text and would not change
    /// (``StoredLineFingerprints``): counted as fetched and unchanged, never sent.
    var unchangedLines = 0
}
