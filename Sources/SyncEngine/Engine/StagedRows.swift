import Postgres

/// Rows a batch's upsert reads under a fixed name (`record_staging`, `reservation_staging`): a
/// `WITH` item of the upsert itself, filled from one array parameter per column
/// (`unnest($3::bigint[], …)`) or from a `SELECT`.
///
/// The rows used to be copied (`COPY … FROM STDIN`) into a session-local temporary table first.
/// Every worker's session is new for its first run, and creating the two tables took about 17 ms
/// of statement time per session (a sync-all of 100 small tenants), before the `COPY`s into them,
/// their truncation at every commit and their removal when the session ends. A `WITH` item costs no
/// catalog change and no extra round trip. Names, columns and types come from the constants below,
/// never from data.
struct StagedRows: Sendable {
    /// Records keyed by one upstream id: `external_id` as text (cast in the upsert), `data` the record.
    static let records = StagedRows(name: "record_staging", columns: [("external_id", "text"), ("data", "jsonb")])
    /// Reservation lines, one per reserved accommodation of a booking. `data` is the line's JSON as
    /// text, parsed in the upsert only for lines whose fingerprint says they changed.
    static let reservations = StagedRows(name: "reservation_staging", columns: [
        ("booking_id", "bigint"), ("line_number", "integer"), ("accommodation_external_id", "bigint"),
        ("data", "text"), ("rate_external_id", "bigint"), ("source_fingerprint", "bigint"),
    ])

    /// A `WITH` item and the parameters it reads, to put after the statement's own.
    struct Input: Sendable {
        /// `name (columns) AS (…)`, for the statement's `WITH` list.
        var definition: String
        var parameters: [PostgresValue]
    }

    let name: String
    let columns: [(name: String, type: String)]

    /// `rows` (one value per column, in order) as parameters `$firstParameter`… of the statement.
    func rows(_ rows: [[PostgresValue]], firstParameter: Int) -> Input {
        let arrays = columns.indices.map { column in
            "$\(firstParameter + column)::\(columns[column].type)[]"
        }
        let parameters = columns.indices.map { column in
            PostgresValue.textArray(rows.map { $0[column].postgresText })
        }
        return Input(definition: "\(header) AS (SELECT * FROM unnest(\(arrays.joined(separator: ", "))))", parameters: parameters)
    }

    /// The rows `select` returns (one column per column, in order), with the statement's own parameters.
    func selecting(_ select: String) -> Input {
        Input(definition: "\(header) AS (\(select))", parameters: [])
    }

    private var header: String {
        "\(name) (\(columns.map(\.name).joined(separator: ", ")))"
    }
}
