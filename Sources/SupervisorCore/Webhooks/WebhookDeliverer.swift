import CurlHTTP
import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Sends the outbox's due callbacks, signed, retrying on the configured schedule.
///
/// Every attempt of a delivery carries the same `webhook-id`. A claimed delivery is leased (its
/// next attempt pushed past the timeout) before it is sent, so two supervisors sharing a database
/// never send it at once, and one that crashes mid-send leaves it to be retried, not lost.
/// 2xx marks it delivered; 410 disables the endpoint; anything else retries after the next delay of
/// the schedule (±10 % jitter), or after `Retry-After` when that is longer, until the schedule runs out.
final class WebhookDeliverer: Service, Sendable {
    private let database: PostgresClient
    private let signer: WebhookSigner?
    private let schedule: [Double]
    private let timeout: Double
    private let pollInterval: Double
    private let logger: Logger
    /// Where attempts and final deliveries are counted; `nil` counts nothing.
    private let metrics: SupervisorMetrics?

    init(database: PostgresClient, signer: WebhookSigner?, configuration: WebhookConfiguration, metrics: SupervisorMetrics? = nil, logger: Logger) {
        self.metrics = metrics
        self.database = database
        self.signer = signer
        self.schedule = configuration.retrySchedule.isEmpty ? [0] : configuration.retrySchedule
        self.timeout = configuration.timeout
        self.pollInterval = configuration.pollInterval
        self.logger = logger
    }

    struct Claimed: Sendable {
        var id: String
        var url: String
        var payload: String
        var attempt: Int
        var disabled: Bool
    }

    /// Polls the outbox until graceful shutdown. Shutdown is a flag, not task cancellation, so an
    /// attempt in flight is finished and recorded rather than left leased until the lease expires.
    func run() async throws {
        let stopping = Atomic<Bool>(false)
        await withGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) {
                await self.deliverDue(until: stopping)
                try? await Task.sleep(for: .milliseconds(Int(self.pollInterval * 1000)))
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
        }
    }

    /// Sends every delivery that is due now, one after another.
    func deliverDue(until stopping: borrowing Atomic<Bool>) async {
        while !stopping.load(ordering: .relaxed) {
            do {
                guard let claimed = try await claim() else { return }
                try await deliver(claimed)
            } catch {
                logger.error("webhook outbox failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    private func claim() async throws -> Claimed? {
        let lease = timeout + 30
        return try await database.withConnection { connection in
            try connection.query("""
                UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $1)
                WHERE id = (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                            ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, url, payload, attempts,
                    EXISTS (SELECT 1 FROM webhook_disabled_endpoints e WHERE e.url = d.url)::text AS disabled
                """, [.double(lease)]).rows.first.map { row in
                    Claimed(
                        id: try row.decode(String.self, "id"), url: try row.decode(String.self, "url"),
                        payload: try row.decode(String.self, "payload"), attempt: try row.decode(Int.self, "attempts") + 1,
                        disabled: row["disabled"] == "true"
                    )
                }
        }
    }

    private func deliver(_ claimed: Claimed) async throws {
        var logger = self.logger
        logger[metadataKey: "webhook.id"] = "\(claimed.id)"
        logger[metadataKey: "webhook.attempt"] = "\(claimed.attempt)"
        if claimed.disabled {
            try await update(claimed.id, status: "disabled", statusCode: nil, error: "endpoint disabled after 410 Gone", delay: nil, attempted: false)
            metrics?.recordCallbackDelivery(final: "disabled")
            return
        }
        let body = Array(claimed.payload.utf8)
        let timestamp = Int64(Date().timeIntervalSince1970)
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", "tenantsync-webhooks"),
            ("webhook-id", claimed.id),
            ("webhook-timestamp", String(timestamp)),
        ]
        if let signer { headers.append(("webhook-signature", signer.signature(id: claimed.id, timestamp: timestamp, body: body))) }
        let request = HTTPRequest(
            method: "POST", url: claimed.url, headers: headers, body: body,
            connectTimeout: .seconds(min(timeout, 10)), timeout: .milliseconds(Int(timeout * 1000)), followRedirects: false
        )
        let started = ContinuousClock.now
        let outcome: Result<HTTPResponse, HTTPClientError> = await Self.onOwnThread {
            Result { () throws(HTTPClientError) in try CurlHTTPClient(maximumResponseBytes: 64 << 10).perform(request) }
        }
        let milliseconds = Int((ContinuousClock.now - started).components.seconds * 1000)
            + Int((ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000)
        switch outcome {
        case .success(let response) where response.isSuccess:
            metrics?.recordCallbackAttempt(.success)
            try await record(claimed, statusCode: response.status, error: nil, milliseconds: milliseconds, status: "delivered", delay: nil)
            logger.info("webhook delivered", metadata: ["http.status": "\(response.status)"])
        case .success(let response) where response.status == 410:
            metrics?.recordCallbackAttempt(.gone)
            try await record(claimed, statusCode: 410, error: "410 Gone: endpoint disabled", milliseconds: milliseconds, status: "disabled", delay: nil)
            try await disable(claimed.url)
            logger.warning("webhook endpoint answered 410 Gone and is disabled")
        case .success(let response):
            metrics?.recordCallbackAttempt(.httpError)
            try await retryOrFail(claimed, statusCode: response.status, error: "HTTP \(response.status)", retryAfter: response.retryAfter, milliseconds: milliseconds, logger: logger)
        case .failure(let error):
            metrics?.recordCallbackAttempt(.networkError)
            try await retryOrFail(claimed, statusCode: nil, error: error.message, retryAfter: nil, milliseconds: milliseconds, logger: logger)
        }
    }

    private func retryOrFail(_ claimed: Claimed, statusCode: Int?, error: String, retryAfter: Duration?, milliseconds: Int, logger: Logger) async throws {
        guard let delay = nextDelay(after: claimed.attempt, retryAfter: retryAfter) else {
            try await record(claimed, statusCode: statusCode, error: error, milliseconds: milliseconds, status: "failed", delay: nil)
            logger.error("webhook failed for good", metadata: ["error": "\(error)"])
            return
        }
        try await record(claimed, statusCode: statusCode, error: error, milliseconds: milliseconds, status: "pending", delay: delay)
        logger.warning("webhook attempt failed; will retry", metadata: ["error": "\(error)", "webhook.retry_in": "\(delay)"])
    }

    /// Seconds before the attempt after `attempt`, or `nil` when the schedule is used up.
    func nextDelay(after attempt: Int, retryAfter: Duration?) -> Double? {
        guard attempt < schedule.count else { return nil }
        let base = schedule[attempt] * Double.random(in: 0.9...1.1)
        let requested = retryAfter.map { Double($0.components.seconds) } ?? 0
        return max(base, requested)
    }

    private func record(_ claimed: Claimed, statusCode: Int?, error: String?, milliseconds: Int, status: String, delay: Double?) async throws {
        try await database.withConnection { connection in
            try connection.withTransaction { connection in
                _ = try connection.query("""
                    INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT DO NOTHING
                    """, [.text(claimed.id), .int(claimed.attempt), statusCode.map { .int($0) } ?? .null, error.map { .text($0) } ?? .null, .int(milliseconds)])
                _ = try connection.query("""
                    UPDATE webhook_deliveries SET status = $2, attempts = $3, last_status_code = $4, last_error = $5,
                        next_attempt_at = CASE WHEN $6::float8 IS NULL THEN next_attempt_at ELSE now() + make_interval(secs => $6::float8) END,
                        delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
                    WHERE id = $1
                    """, [.text(claimed.id), .text(status), .int(claimed.attempt), statusCode.map { .int($0) } ?? .null,
                          error.map { .text($0) } ?? .null, delay.map { .double($0) } ?? .null])
            }
        }
        if status != "pending" { metrics?.recordCallbackDelivery(final: status) }
    }

    private func update(_ id: String, status: String, statusCode: Int?, error: String, delay: Double?, attempted: Bool) async throws {
        try await database.withConnection { connection in
            _ = try connection.query("UPDATE webhook_deliveries SET status = $2, last_error = $3 WHERE id = $1", [.text(id), .text(status), .text(error)])
        }
    }

    private func disable(_ url: String) async throws {
        try await database.withConnection { connection in
            _ = try connection.query(
                "INSERT INTO webhook_disabled_endpoints (url, reason) VALUES ($1, '410 Gone') ON CONFLICT DO NOTHING", [.text(url)]
            )
        }
    }

    /// Runs blocking libcurl work on a thread of its own, never on the cooperative pool.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.name = "tenantsync-webhook"
            thread.start()
        }
    }
}
