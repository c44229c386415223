import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Callback webhooks: signed, retried with the same id, durable across restarts")
struct WebhookDeliveryTests {
    static func configure(_ configuration: inout SupervisorConfiguration, url: String) {
        configuration.webhooks = WebhookConfiguration(
            urls: [url], secret: WebhookReceiver.secret, retrySchedule: [0] + Array(repeating: 0.2, count: 20),
            timeout: 5, pollInterval: 0.05, environment: "test"
        )
    }

    @Test("a receiver failing twice gets the seed's payload, signed, three times with one webhook-id, and it is delivered once")
    func retriesThenDelivers() async throws {
        let sites = [DemoSite(name: "hotel-w", accommodations: 3, bookings: 30)]
        let receiver = try WebhookReceiver(script: [500, 503])
        try await receiver.withRunning { hookURL in
            try await withSupervisorStack(sites: sites, configure: { configuration, _ in Self.configure(&configuration, url: hookURL) }) { stack in
                let api = stack.api
                let done = try await api.decode(SyncFinished.self, "POST", "/api/tenants/hotel-w/sync?background=false&start_date=2025-09-01&end_date=2025-10-16")
                let runID = done.runID
                var arrivals: [WebhookReceiver.Received] = []
                for _ in 0..<3 { arrivals.append(try #require(try await receiver.arrivals.next(timeout: .seconds(30)))) }
                #expect(arrivals.map(\.answered) == [500, 503, 200])
                #expect(Set(arrivals.map(\.id)).count == 1)
                #expect(arrivals.allSatisfy { $0.signatureValid })

                let payload = arrivals[2].json
                #expect(payload["event"] as? String == "sync_motopress_completed")
                #expect(payload["status"] as? String == "success")
                #expect(payload["run_id"] as? String == runID)
                #expect(payload["environment"] as? String == "test")
                #expect(payload["error"] is NSNull)
                #expect(payload["timestamp"] is String)
                let results = try #require(payload["results"] as? [String: Any])
                for key in ["total_fetched", "total_processed", "new", "updated", "unchanged", "deleted", "rejected", "new_reservations", "updated_reservations"] {
                    #expect(results[key] is Int, "results.\(key)")
                }
                #expect(results["new"] as? Int == done.results["new"])
                #expect(((results["units"] as? [String: String])?["reservations"])?.hasPrefix("reservation lines: one per reserved accommodation of a booking") == true)
                let range = try #require(payload["date_range"] as? [String: Any])
                #expect(range["start_date"] as? String == "2025-09-01")
                #expect(range["end_date"] as? String == "2025-10-16")
                let performance = try #require(payload["performance"] as? [String: Any])
                #expect(performance["duration_seconds"] is Double || performance["duration_seconds"] is Int)
                #expect(performance["duration_minutes"] != nil)
                #expect((payload["tenants"] as? [[String: Any]])?.first?["tenant_id"] as? String == "hotel-w")

                let delivery = try await eventually("delivery recorded as delivered") { () -> WebhookDeliveryStore.Delivery? in
                    try await api.decode(DeliveryList.self, "GET", "/api/runs/\(runID)/deliveries").deliveries.first { $0.status == "delivered" }
                }
                #expect(delivery.id == arrivals[0].id)
                #expect(delivery.attempts.compactMap(\.statusCode) == [500, 503, 200])
                #expect(delivery.endpoint.hasSuffix("/hook") == false)
                #expect(receiver.received.count == 3)
            }
        }
    }

    @Test("a supervisor restarted between attempts still delivers, exactly once, with the same id")
    func survivesRestart() async throws {
        let sites = [DemoSite(name: "hotel-r", accommodations: 2, bookings: 5)]
        let receiver = try WebhookReceiver(script: Array(repeating: 503, count: 1000))
        try await receiver.withRunning { hookURL in
            try await withSupervisorStack(sites: sites, configure: { configuration, _ in
                Self.configure(&configuration, url: hookURL)
                // Retries go on while the first supervisor shuts down, which can take seconds on a
                // busy machine: leave a minute of them, so the delivery is still pending at the restart.
                configuration.webhooks.retrySchedule = [0] + Array(repeating: 0.5, count: 120)
            }) { stack in
                let runID = try await stack.api.decode(SyncFinished.self, "POST", "/api/sync?background=false").runID
                let first = try #require(try await receiver.arrivals.next(timeout: .seconds(30)))
                #expect(first.answered == 503)
                try await stack.stop()

                let attemptsBefore = receiver.received.count
                receiver.script([])
                var configuration = stack.configuration
                configuration.supervisorID = "test-restarted"
                try await SupervisorTestHarness.withSupervisor(configuration, workerEnvironment: stack.workerEnvironment) { api in
                    let delivery = try await eventually("delivered after the restart") { () -> WebhookDeliveryStore.Delivery? in
                        try await api.decode(DeliveryList.self, "GET", "/api/runs/\(runID)/deliveries").deliveries.first { $0.status == "delivered" }
                    }
                    #expect(delivery.attempts.count == receiver.received.count)
                }
                let received = receiver.received
                #expect(received.count > attemptsBefore)
                #expect(Set(received.map(\.id)).count == 1)
                #expect(received.filter { $0.answered == 200 }.count == 1)
                #expect(received.allSatisfy { $0.signatureValid })
            }
        }
    }

    @Test("410 Gone disables the endpoint: later runs' callbacks to it are not sent")
    func goneDisablesEndpoint() async throws {
        let sites = [DemoSite(name: "hotel-g", accommodations: 2, bookings: 3)]
        let receiver = try WebhookReceiver(script: [410])
        try await receiver.withRunning { hookURL in
            try await withSupervisorStack(sites: sites, configure: { configuration, _ in Self.configure(&configuration, url: hookURL) }) { stack in
                let api = stack.api
                let first = try await api.decode(SyncFinished.self, "POST", "/api/sync?background=false").runID
                _ = try #require(try await receiver.arrivals.next(timeout: .seconds(30)))
                _ = try await eventually("first delivery disabled") { () -> Bool? in
                    let list = try await api.decode(DeliveryList.self, "GET", "/api/runs/\(first)/deliveries").deliveries
                    return list.first?.status == "disabled" ? true : nil
                }
                let second = try await api.decode(SyncFinished.self, "POST", "/api/sync?background=false").runID
                let delivery = try await eventually("second delivery settled") { () -> WebhookDeliveryStore.Delivery? in
                    try await api.decode(DeliveryList.self, "GET", "/api/runs/\(second)/deliveries").deliveries.first { $0.status != "pending" }
                }
                #expect(delivery.status == "disabled")
                #expect(delivery.attempts.isEmpty)
                #expect(receiver.received.count == 1)
            }
        }
    }

    @Test("Retry-After is honoured when it asks for longer than the schedule")
    func retryAfter() async throws {
        let sites = [DemoSite(name: "hotel-ra", accommodations: 2, bookings: 3)]
        let receiver = try WebhookReceiver(script: [429])
        try await receiver.withRunning { hookURL in
            try await withSupervisorStack(sites: sites, configure: { configuration, _ in Self.configure(&configuration, url: hookURL) }) { stack in
                _ = try await stack.api.request("POST", "/api/sync")
                let first = try #require(try await receiver.arrivals.next(timeout: .seconds(30)))
                let second = try #require(try await receiver.arrivals.next(timeout: .seconds(30)))
                #expect(first.answered == 429 && second.answered == 200)
                #expect(first.id == second.id)
                // The schedule says 0.2 s (±10 %); Retry-After says 1 s.
                #expect(second.at - first.at >= .milliseconds(950))
            }
        }
    }

    @Test("a tenant's own webhook URL gets the payload restricted to that tenant; the global URL gets the whole run")
    func tenantURLs() async throws {
        let sites = ["hotel-t1", "hotel-t2"].map { DemoSite(name: $0, accommodations: 2, bookings: 4) }
        let global = try WebhookReceiver()
        let own = try WebhookReceiver()
        try await global.withRunning { globalURL in
            try await own.withRunning { ownURL in
                try await withSupervisorStack(sites: sites, configure: { configuration, _ in
                    Self.configure(&configuration, url: globalURL)
                    configuration.tenants[1].webhookURLs = [ownURL]
                }) { stack in
                    _ = try await stack.api.request("POST", "/api/sync")
                    let whole = try #require(try await global.arrivals.next(timeout: .seconds(30))).json
                    let mine = try #require(try await own.arrivals.next(timeout: .seconds(30))).json
                    let wholeTenants = (whole["tenants"] as? [[String: Any]] ?? []).compactMap { $0["tenant_id"] as? String }
                    let mineTenants = (mine["tenants"] as? [[String: Any]] ?? []).compactMap { $0["tenant_id"] as? String }
                    #expect(Set(wholeTenants) == ["hotel-t1", "hotel-t2"])
                    #expect(mineTenants == ["hotel-t2"])
                    let wholeNew = (whole["results"] as? [String: Any])?["new"] as? Int ?? 0
                    let mineNew = (mine["results"] as? [String: Any])?["new"] as? Int ?? 0
                    #expect(mineNew > 0 && mineNew < wholeNew)
                }
            }
        }
    }
}
