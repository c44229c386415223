/// The words `sync_rejects` uses when a reservation line cannot point at its parents, as SQL
/// expressions, so a fresh sync and a later reconciliation say exactly the same thing.
///
/// Arguments are column expressions of the statement that embeds them, never data.
enum ParentReason {
    /// A line whose accommodation (unit) is unknown, trashed or deleted upstream.
    static func unitSQL(unit: String) -> String {
        "'quarantined: accommodation ' || coalesce(\(unit)::text, '(none)') || ' is not listed by the upstream (trashed or deleted there)'"
    }

    /// A line whose accommodation is listed but whose accommodation type is not.
    static func typeSQL(unit: String, type: String) -> String {
        "'quarantined: accommodation type ' || \(type)::text || ' of accommodation ' || \(unit)::text"
            + " || ' is not listed by the upstream (trashed or deleted there)'"
    }

    /// A stored line whose rate is not listed: the line keeps the upstream's rate id as text.
    static func rateSQL(rate: String) -> String {
        "'rate ' || \(rate)::text || ' is not listed by the upstream (disabled or deleted there): "
            + "the line is stored with rate_id NULL and rate_external_id ' || \(rate)::text"
    }
}
