import Foundation
import Postgres

/// Reads a run's callback deliveries and their attempts for `GET /api/runs/{id}/deliveries`.
struct WebhookDeliveryStore: Sendable {
    let database: PostgresClient

    struct Attempt: Codable, Sendable {
        var attempt: Int
        var attemptedAt: String
        var statusCode: Int?
        var error: String?
        var durationMilliseconds: Int

        enum CodingKeys: String, CodingKey {
            case attempt, error
            case attemptedAt = "attempted_at"
            case statusCode = "status_code"
            case durationMilliseconds = "duration_ms"
        }
    }

    struct Delivery: Codable, Sendable {
        /// The `webhook-id` sent with every attempt.
        var id: String
        /// Scheme and host only: the path of a callback URL is often its secret.
        var endpoint: String
        /// `pending`, `delivered`, `failed` or `disabled`.
        var status: String
        var attempts: [Attempt]
        var nextAttemptAt: String?
        var deliveredAt: String?
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, endpoint, status, attempts
            case nextAttemptAt = "next_attempt_at"
            case deliveredAt = "delivered_at"
            case createdAt = "created_at"
        }
    }

    func deliveries(of runID: String) async throws -> [Delivery] {
        try await database.withConnection { connection in
            let rows = try connection.query("""
                SELECT id, url, status, \(RunRow.timestamp("next_attempt_at")), \(RunRow.timestamp("delivered_at")),
                       \(RunRow.timestamp("created_at"))
                FROM webhook_deliveries WHERE run_id = $1 ORDER BY created_at, id
                """, [.text(runID)]).rows
            return try rows.map { row in
                let id = try row.decode(String.self, "id")
                let attempts = try connection.query("""
                    SELECT attempt, \(RunRow.timestamp("attempted_at")), status_code, error, duration_ms
                    FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt
                    """, [.text(id)]).rows.map { attempt in
                        Attempt(
                            attempt: try attempt.decode(Int.self, "attempt"), attemptedAt: try attempt.decode(String.self, "attempted_at"),
                            statusCode: attempt["status_code"].flatMap(Int.init), error: attempt["error"],
                            durationMilliseconds: try attempt.decode(Int.self, "duration_ms")
                        )
                    }
                let status = try row.decode(String.self, "status")
                return Delivery(
                    id: id, endpoint: Self.origin(try row.decode(String.self, "url")), status: status, attempts: attempts,
                    nextAttemptAt: status == "pending" ? row["next_attempt_at"] : nil, deliveredAt: row["delivered_at"],
                    createdAt: try row.decode(String.self, "created_at")
                )
            }
        }
    }

    /// `scheme://host[:port]` of a URL, without user info, path or query.
    static func origin(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return "<invalid url>" }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
