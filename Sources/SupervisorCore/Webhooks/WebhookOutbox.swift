import Foundation
import Postgres
import Support

/// Writes a run's callback deliveries, inside the caller's transaction, so that ending a run and
/// promising its callbacks commit together or not at all.
struct WebhookOutbox: RunEndOutbox {
    /// URLs that get every run's payload.
    var globalURLs: [String]
    /// Per-tenant URLs as configured at start; each gets the payload restricted to its tenants in the run.
    var tenantURLs: [String: [String]]
    /// A tenant's URLs as the registry holds them now, over ``tenantURLs`` when set.
    var currentTenantURLs: (@Sendable (String) -> [String]?)?
    var environment: String
    /// Seconds before the first attempt.
    var initialDelay: Double
    var events: WebhookEventNames
    /// The connector of a tenant (as configured now), which picks the payload's `event`.
    var connectorOf: @Sendable (String) -> String?

    /// - Parameters:
    ///   - connectorOf: the connector of a tenant; by default, as the configuration says.
    ///   - webhookURLsOf: a tenant's callback URLs now (tenants added or changed at runtime); by default, as configured.
    init(
        configuration: SupervisorConfiguration, webhookURLsOf: (@Sendable (String) -> [String]?)? = nil,
        connectorOf: (@Sendable (String) -> String?)? = nil
    ) {
        currentTenantURLs = webhookURLsOf
        let configured = Dictionary(configuration.tenants.map { ($0.id, $0.connector) }, uniquingKeysWith: { first, _ in first })
        self.connectorOf = connectorOf ?? { configured[$0] }
        events = configuration.webhooks.events
        globalURLs = configuration.webhooks.urls
        var tenantURLs: [String: [String]] = [:]
        for tenant in configuration.tenants where !tenant.webhookURLs.isEmpty { tenantURLs[tenant.id] = tenant.webhookURLs }
        self.tenantURLs = tenantURLs
        environment = configuration.webhooks.environment
        initialDelay = configuration.webhooks.retrySchedule.first ?? 0
    }

    /// The payloads `run` owes, by URL.
    func payloads(for run: RunSnapshot) -> [(url: String, payload: WebhookPayload)] {
        var result: [(url: String, payload: WebhookPayload)] = []
        for url in globalURLs where !result.contains(where: { $0.url == url }) {
            result.append((url, WebhookPayload(run: run, environment: environment, event: event(for: run, only: nil))))
        }
        var tenantsByURL: [String: Set<String>] = [:]
        var order: [String] = []
        for tenant in run.tenants {
            for url in (currentTenantURLs?(tenant.tenantID) ?? tenantURLs[tenant.tenantID]) ?? [] where !globalURLs.contains(url) {
                if tenantsByURL[url] == nil { order.append(url) }
                tenantsByURL[url, default: []].insert(tenant.tenantID)
            }
        }
        for url in order {
            let tenants = tenantsByURL[url]
            result.append((url, WebhookPayload(run: run, environment: environment, event: event(for: run, only: tenants), only: tenants)))
        }
        return result
    }

    /// The `event` of a payload of `run` covering `tenantIDs` (every tenant when `nil`).
    func event(for run: RunSnapshot, only tenantIDs: Set<String>?) -> String {
        let tenants = run.tenants.map(\.tenantID).filter { tenantIDs?.contains($0) ?? true }
        return events.event(for: Set(tenants.compactMap(connectorOf)))
    }

    func enqueue(_ run: RunSnapshot, connection: PostgresConnection) throws {
        let encoder = APIJSON.encoder
        for (url, payload) in payloads(for: run) {
            let body = String(decoding: try encoder.encode(payload), as: UTF8.self)
            _ = try connection.query("""
                INSERT INTO webhook_deliveries (id, run_id, url, payload, next_attempt_at)
                VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
                """, [.text(Self.makeMessageID()), .text(run.runID), .text(url), .text(body), .double(initialDelay)])
        }
    }

    /// `msg_` then 24 random hex digits, the `webhook-id` of every attempt of one delivery.
    static func makeMessageID() -> String {
        "msg_" + (0..<3).map { _ in HexDigits.padded(UInt32.random(in: 0...UInt32.max), width: 8) }.joined()
    }
}
