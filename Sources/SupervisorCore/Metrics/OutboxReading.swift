import Postgres

/// The callback outbox as one scrape sees it: shared by every supervisor on the database.
struct OutboxReading: Sendable, Equatable {
    /// Deliveries still pending (not delivered, failed or disabled yet).
    var depth: Int
    /// Seconds since the oldest pending delivery was queued; 0 when none is.
    var oldestAgeSeconds: Double

    static func read(_ database: PostgresClient) async throws -> OutboxReading {
        try await database.withConnection { connection in
            let row = try connection.query("""
                SELECT count(*) AS depth, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS age
                FROM webhook_deliveries WHERE status = 'pending'
                """).rows.first
            return OutboxReading(depth: try row?.decode(Int.self, "depth") ?? 0, oldestAgeSeconds: try row?.decode(Double.self, "age") ?? 0)
        }
    }
}
