import DemoUpstreamKit
import Foundation
import Postgres
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("GET /metrics: Prometheus text of a real supervisor, checked against its database")
struct MetricsEndpointTests {
    init() {
        // Hummingbird's MetricsMiddleware records through swift-metrics' process-wide factory; this one
        // only forwards to the supervisor whose task records, so the many supervisors of the test process
        // keep their own registries.
        TaskLocalMetricsFactory.bootstrap()
    }

    /// Scrapes `/metrics` without a key and parses the answer strictly.
    private static func scrape(_ api: APIClient) async throws -> PrometheusExposition {
        let response = try await api.with(apiKey: nil).request("GET", "/metrics")
        try #require(response.status == 200, "GET /metrics answered \(response.status): \(response.response.bodyText.prefix(300))")
        #expect(response.headers.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        return try PrometheusExposition(parsing: response.response.bodyText)
    }

    @Test("counters follow a sync-all: runs, tenant syncs and rows equal the run rows; states, queue, callbacks, logs, leases and HTTP show")
    func syncAll() async throws {
        let sites = ["metrics-a", "metrics-b"].map { DemoSite(name: $0, accommodations: 6, bookings: 60) }
        // Liveness checks every 0.2 s, so memory and CPU are sampled while the test runs; each upstream
        // answer is slowed, so the sync lasts long enough to be scraped while it runs.
        try await withSupervisorStack(sites: sites, latency: .milliseconds(40), supervision: SupervisionSettings(), configure: { configuration, _ in
            // Nobody listens on the discard port: the first attempt fails, the next is an hour away.
            configuration.webhooks = WebhookConfiguration(urls: ["http://127.0.0.1:9/callback"], retrySchedule: [0, 3600])
        }) { stack in
            let api = stack.api
            let url = stack.databaseURL
            let idle = try await eventually("both workers ready and sampled") { () -> PrometheusExposition? in
                let scrape = try await Self.scrape(api)
                let ready = sites.allSatisfy { scrape.value("tenantsync_worker_state", ["tenant": $0.name, "state": "ready"]) == 1 }
                let sampled = sites.allSatisfy { (scrape.value("tenantsync_worker_resident_memory_bytes", ["tenant": $0.name]) ?? 0) > 0 }
                return ready && sampled ? scrape : nil
            }
            for site in sites {
                // One state at a time: the others it was seen in are 0, and those it never was in have no series.
                #expect(idle.sum("tenantsync_worker_state", matching: ["tenant": site.name]) == 1)
                #expect(idle.value("tenantsync_worker_state", ["tenant": site.name, "state": "errored"]) == nil)
                #expect(idle.value("tenantsync_worker_state", ["tenant": site.name, "state": "syncing"]) == nil)
                #expect(idle.value("tenantsync_worker_restarts_total", ["tenant": site.name]) == 0)
            }
            #expect(idle.types["tenantsync_worker_state"] == "gauge")
            #expect(idle.types["tenantsync_worker_cpu_seconds_total"] == "counter")
            #expect(idle.value("tenantsync_leases_held") == 2)
            #expect(idle.value("tenantsync_tenants_queued") == 0)
            #expect(idle.sum("tenantsync_runs_total") == 0)

            let runID = try await api.request("POST", "/api/sync").decode(SyncAccepted.self).runID
            // A slot is taken just before the worker is handed its sync: both show within the deadline.
            let during = try await eventually("a scrape while the tenants sync") { () -> PrometheusExposition? in
                let scrape = try await Self.scrape(api)
                let syncing = scrape.sum("tenantsync_worker_state", matching: ["state": "syncing"])
                return scrape.value("tenantsync_tenants_syncing") ?? 0 > 0 && syncing >= 1 ? scrape : nil
            }
            #expect(during.value("tenantsync_tenants_syncing") ?? 0 <= 2)
            #expect(during.sum("tenantsync_runs_total") == 0, "the run has not ended yet")
            let first = try await api.waitForRun(runID)
            #expect(first.status == .succeeded)

            let after = try await eventually("the callback's first attempt") { () -> PrometheusExposition? in
                let scrape = try await Self.scrape(api)
                return scrape.value("tenantsync_callback_attempts_total", ["outcome": "network_error"]) == 1 ? scrape : nil
            }
            try await Self.expectMatchesDatabase(after, url: url, sites: sites)
            // A tenant seen syncing is back to ready: its syncing series stays, at 0.
            let seenSyncing = during.series("tenantsync_worker_state", matching: ["state": "syncing"]).filter { $0.value == 1 }.compactMap { $0.labels["tenant"] }
            #expect(!seenSyncing.isEmpty)
            for tenant in seenSyncing {
                #expect(after.value("tenantsync_worker_state", ["tenant": tenant, "state": "syncing"]) == 0)
                #expect(after.value("tenantsync_worker_state", ["tenant": tenant, "state": "ready"]) == 1)
            }
            #expect(after.value("tenantsync_tenants_syncing") == 0)
            #expect(after.value("tenantsync_tenants_queued") == 0)
            #expect(after.value("tenantsync_queue_wait_seconds_count") == 2)
            // The callback waits for its retry: pending in the outbox, as the database says.
            let pending = try await TestDatabase.scalar(url, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")
            #expect(pending == 1)
            #expect(after.value("tenantsync_callback_outbox_depth") == Double(pending))
            #expect((after.value("tenantsync_callback_oldest_undelivered_age_seconds") ?? 0) > 0)
            #expect(after.sum("tenantsync_callback_deliveries_total") == 0)
            for site in sites {
                #expect((after.value("tenantsync_log_lines_stored_total", ["tenant": site.name]) ?? 0) > 0)
                #expect(after.value("tenantsync_log_lines_dropped_total", ["tenant": site.name, "reason": "files"]) == 0)
                #expect(after.value("tenantsync_worker_exits_total", ["tenant": site.name, "cause": "signal"]) == nil)
            }
            // HTTP requests by route pattern and status, never the raw path.
            _ = try await api.request("GET", "/api/runs/\(runID)")
            _ = try await api.request("GET", "/api/no-such-route")
            let http = try await Self.scrape(api)
            #expect(http.value("tenantsync_http_requests_total", ["route": "/api/runs/{run}", "method": "GET", "status": "200"]) ?? 0 >= 1)
            #expect(http.value("tenantsync_http_requests_total", ["route": "/api/sync", "method": "POST", "status": "202"]) == 1)
            let routes = Set(http.series("tenantsync_http_requests_total").compactMap { $0.labels["route"] })
            #expect(!routes.contains { $0.contains(runID) || $0.contains("no-such-route") }, "raw paths in \(routes)")
            #expect(http.types["tenantsync_http_request_duration_seconds"] == "histogram")

            // A second sync: the counters move between two scrapes, and still equal the database.
            let second = try await api.waitForRun(try await api.request("POST", "/api/sync").decode(SyncAccepted.self).runID)
            #expect(second.status == .succeeded)
            let later = try await Self.scrape(api)
            try await Self.expectMatchesDatabase(later, url: url, sites: sites)
            #expect(later.value("tenantsync_runs_total", ["trigger": "api", "status": "succeeded"]) == 2)
            #expect(later.sum("tenantsync_rows_total", matching: ["outcome": "unchanged"]) > http.sum("tenantsync_rows_total", matching: ["outcome": "unchanged"]))
            #expect(later.value("tenantsync_sync_duration_seconds_count", ["status": "succeeded"]) == 4)
            let metricsRoute = ["route": "/metrics", "method": "GET", "status": "200"]
            #expect(later.value("tenantsync_http_requests_total", metricsRoute) ?? 0 > http.value("tenantsync_http_requests_total", metricsRoute) ?? 0)
        }
    }

    /// Runs, tenant syncs and rows as the database's `sync_runs` and `sync_run_tenants` count them.
    private static func expectMatchesDatabase(_ scrape: PrometheusExposition, url: String, sites: [DemoSite]) async throws {
        let runs = try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs WHERE trigger = 'api' AND status = 'succeeded'")
        #expect(runs > 0)
        #expect(scrape.value("tenantsync_runs_total", ["trigger": "api", "status": "succeeded"]) == Double(runs))
        #expect(scrape.sum("tenantsync_runs_total") == Double(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs")))
        for site in sites {
            let tenant = PostgresValue.text(site.name)
            let syncs = try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_run_tenants WHERE tenant_id = $1 AND status = 'succeeded'", [tenant])
            #expect(scrape.value("tenantsync_tenant_syncs_total", ["tenant": site.name, "status": "succeeded"]) == Double(syncs))
            for outcome in ["created", "updated", "unchanged", "rejected"] {
                let rows = try await TestDatabase.scalar(url, "SELECT COALESCE(sum(\(outcome)), 0) FROM sync_run_tenants WHERE tenant_id = $1", [tenant])
                #expect(scrape.sum("tenantsync_rows_total", matching: ["tenant": site.name, "outcome": outcome]) == Double(rows), "\(site.name) \(outcome)")
            }
            #expect(scrape.sum("tenantsync_rows_total", matching: ["tenant": site.name, "outcome": "created"]) > 0)
            let streams = Set(scrape.series("tenantsync_rows_total", matching: ["tenant": site.name]).compactMap { $0.labels["stream"] })
            #expect(streams == ["accommodation_types", "accommodations", "rates", "reservations"])
        }
    }

    @Test("a removed tenant's series are destroyed; the others stay")
    func removedTenant() async throws {
        let sites = ["gone-a", "kept-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 4) }
        try await withSupervisorStack(sites: sites) { stack in
            let api = stack.api
            let run = try await api.waitForRun(try await api.request("POST", "/api/sync").decode(SyncAccepted.self).runID)
            #expect(run.status == .succeeded)
            let before = try await Self.scrape(api)
            #expect(!before.samples.filter { $0.labels["tenant"] == "gone-a" && $0.name == "tenantsync_rows_total" }.isEmpty)
            #expect(before.value("tenantsync_worker_state", ["tenant": "gone-a", "state": "ready"]) == 1)

            #expect(try await api.request("DELETE", "/api/tenants/gone-a").status == 200)
            let after = try await Self.scrape(api)
            #expect(after.samples.filter { $0.labels["tenant"] == "gone-a" }.map(\.name) == [])
            #expect(after.value("tenantsync_worker_state", ["tenant": "kept-b", "state": "ready"]) == 1)
            #expect(after.sum("tenantsync_rows_total", matching: ["tenant": "kept-b"]) > 0)
            // Counters of runs are not per tenant, and stay.
            #expect(after.value("tenantsync_runs_total", ["trigger": "api", "status": "succeeded"]) == 1)
        }
    }

    @Test("metrics.require_api_key: 401 without a key, 403 with a tenant's key, 200 with a key for all tenants")
    func requiredKey() async throws {
        let sites = [DemoSite(name: "keyed", accommodations: 1, bookings: 1)]
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            configuration.metrics.requireAPIKey = true
            configuration.apiKeys.append(APIKeyConfiguration(key: "tenant-scoped-key", tenant: "keyed"))
        }) { stack in
            let missing = try await stack.api.with(apiKey: nil).request("GET", "/metrics")
            #expect(missing.status == 401)
            #expect((missing.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            #expect(!missing.response.bodyText.contains("tenantsync_"))
            let wrong = try await stack.api.with(apiKey: "not-a-configured-key").request("GET", "/metrics")
            #expect(wrong.status == 401)
            let scoped = try await stack.api.with(apiKey: "tenant-scoped-key").request("GET", "/metrics")
            #expect(scoped.status == 403)
            let allowed = try await stack.api.request("GET", "/metrics")
            #expect(allowed.status == 200)
            let scrape = try PrometheusExposition(parsing: allowed.response.bodyText)
            #expect(scrape.types["tenantsync_worker_state"] == "gauge")
            // The refused scrapes are counted too, by route and status.
            #expect(scrape.value("tenantsync_http_requests_total", ["route": "/metrics", "method": "GET", "status": "401"]) == 2)
        }
    }

    @Test("by default /metrics is open on loopback and needs a key on any other address; the setting overrides both")
    func defaultOpenness() {
        #expect(!MetricsSettings().requiresAPIKey(listeningOn: "127.0.0.1"))
        #expect(!MetricsSettings().requiresAPIKey(listeningOn: "127.3.2.1"))
        #expect(!MetricsSettings().requiresAPIKey(listeningOn: "localhost"))
        #expect(!MetricsSettings().requiresAPIKey(listeningOn: "::1"))
        #expect(MetricsSettings().requiresAPIKey(listeningOn: "0.0.0.0"))
        #expect(MetricsSettings().requiresAPIKey(listeningOn: "10.1.2.3"))
        #expect(MetricsSettings().requiresAPIKey(listeningOn: "127.example.com"))
        #expect(MetricsSettings(requireAPIKey: true).requiresAPIKey(listeningOn: "127.0.0.1"))
        #expect(!MetricsSettings(requireAPIKey: false).requiresAPIKey(listeningOn: "0.0.0.0"))
    }

    @Test("metrics.require_api_key is read from the configuration file")
    func decoding() throws {
        let json = #"{"database_url": "postgres://db/x", "tenants": [], "metrics": {"require_api_key": true}}"#
        let configuration = try JSONDecoder().decode(SupervisorConfiguration.self, from: Data(json.utf8))
        #expect(configuration.metrics.requireAPIKey == true)
        let absent = try JSONDecoder().decode(SupervisorConfiguration.self, from: Data(#"{"tenants": []}"#.utf8))
        #expect(absent.metrics.requireAPIKey == nil)
    }
}
