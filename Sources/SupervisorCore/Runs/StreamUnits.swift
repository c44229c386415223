/// What one count of a stream is, in words, for the `units` of a run's `results`.
///
/// Counts are of rows as stored, which is not always what a reader expects: a MotoPress booking
/// of two rooms is two reservation lines.
enum StreamUnits {
    static let known: [String: String] = [
        "accommodation_types": "accommodation types",
        "accommodations": "accommodation units",
        "rates": "rates",
        "reservations": "reservation lines: one per reserved accommodation of a booking (a booking of two rooms is two lines)",
        "estimates": "estimates",
    ]

    /// What one count of `stream` is; `records` for a stream this table does not know.
    static func unit(of stream: String) -> String {
        known[stream] ?? "records"
    }
}
