import DemoUpstreamKit
import Foundation
import IPC
import Testing
import TestSupport
@testable import SupervisorCore

@Suite("Callback content: event by connector, results that say what they count")
struct CallbackContentTests {
    @Test("results: totals with deleted and rejected, new_/updated_ per stream, and what one count of each stream is")
    func results() throws {
        let results = RunResults([
            StreamResult(stream: "accommodations", status: .succeeded, counts: StreamCounts(fetched: 5, created: 1, updated: 1, unchanged: 2, rejected: 1, deleted: 2)),
            StreamResult(stream: "reservations", status: .succeeded, counts: StreamCounts(fetched: 12, created: 10, updated: 2, rejected: 3)),
        ])
        #expect(results["total_fetched"] == 17)
        #expect(results["total_processed"] == 16)
        #expect(results["new"] == 11)
        #expect(results["deleted"] == 2)
        #expect(results["rejected"] == 4)
        #expect(results["new_reservations"] == 10)
        #expect(results["updated_accommodations"] == 1)
        #expect(results.units["reservations"]?.hasPrefix("reservation lines: one per reserved accommodation of a booking") == true)
        #expect(results.units["accommodations"] == "accommodation units")
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(results)) as? [String: Any])
        #expect(json["new"] as? Int == 11)
        #expect((json["units"] as? [String: String])?.keys.sorted() == ["accommodations", "reservations"])
        #expect(RunResults([StreamResult(stream: "invoices", status: .succeeded)]).units == ["invoices": "records"])
    }

    @Test("event: sync_<connector>_completed for one connector unless configured, sync_completed (or the configured name) when mixed")
    func eventNames() throws {
        #expect(WebhookEventNames().event(for: ["estimates"]) == "sync_estimates_completed")
        #expect(WebhookEventNames().event(for: ["motopress"]) == "sync_motopress_completed")
        #expect(WebhookEventNames().event(for: ["motopress", "estimates"]) == "sync_completed")
        #expect(WebhookEventNames().event(for: []) == "sync_completed")
        let json = #"{"urls": [], "event_names": {"motopress": "hotel_sync_done"}, "mixed_event_name": "tenants_synced"}"#
        let configured = try JSONDecoder().decode(WebhookConfiguration.self, from: Data(json.utf8)).events
        #expect(configured.event(for: ["motopress"]) == "hotel_sync_done")
        #expect(configured.event(for: ["estimates"]) == "sync_estimates_completed")
        #expect(configured.event(for: ["motopress", "estimates"]) == "tenants_synced")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WebhookConfiguration.self, from: Data(#"{"event_names": {"estimates": ""}}"#.utf8))
        }
    }

    @Test("an estimates run's callback is sync_estimates_completed with new_estimates and updated_estimates; a mixed run's is sync_completed")
    func callbacksOverHTTP() async throws {
        let hotel = DemoSite(name: "cb-hotel", accommodations: 2, bookings: 6, estimates: 0)
        let estimator = DemoSite(name: "cb-estimates", accommodations: 1, bookings: 0, estimates: 30)
        let global = try WebhookReceiver()
        let hotelOwn = try WebhookReceiver()
        let estimatesOwn = try WebhookReceiver()
        try await global.withRunning { globalURL in
            try await hotelOwn.withRunning { hotelURL in
                try await estimatesOwn.withRunning { estimatesURL in
                    try await withSupervisorStack(sites: [hotel, estimator], configure: { configuration, parts in
                        // The estimates site is served, and synced by an estimates tenant.
                        var estimates = TenantConfiguration(id: estimator.name, connector: "estimates", settings: [
                            "base_url": parts.endpoint.estimatesBaseURL(site: estimator.name),
                            "email": estimator.estimatesEmail,
                            "password": estimator.estimatesPassword,
                        ])
                        estimates.webhookURLs = [estimatesURL]
                        configuration.tenants[1] = estimates
                        configuration.tenants[0].webhookURLs = [hotelURL]
                        WebhookDeliveryTests.configure(&configuration, url: globalURL)
                        configuration.webhooks.eventNames = ["motopress": "hotel_sync_done"]
                    }) { stack in
                        let api = stack.api
                        // One estimates tenant alone: the original contract's event and keys.
                        let alone = try await api.decode(SyncFinished.self, "POST", "/api/tenants/\(estimator.name)/sync?background=false")
                        #expect(alone.status == .succeeded)
                        for receiver in [global, estimatesOwn] {
                            let payload = try #require(try await receiver.arrivals.next(timeout: .seconds(30))).json
                            #expect(payload["event"] as? String == "sync_estimates_completed")
                            let results = try #require(payload["results"] as? [String: Any])
                            let perStream = results.keys.filter { $0.hasPrefix("new_") || $0.hasPrefix("updated_") }
                            #expect(Set(perStream) == ["new_estimates", "updated_estimates"])
                            #expect(results["new_estimates"] as? Int == 30)
                            #expect(results["deleted"] as? Int == 0 && results["rejected"] as? Int == 0)
                            #expect(results["units"] as? [String: String] == ["estimates": "estimates"])
                        }

                        // Both connectors in one run: the whole run is mixed; each tenant's own URL
                        // gets its connector's event (motopress renamed in the configuration).
                        let both = try await api.decode(SyncFinished.self, "POST", "/api/sync?background=false")
                        #expect(both.status == .succeeded)
                        let whole = try #require(try await global.arrivals.next(timeout: .seconds(30))).json
                        #expect(whole["event"] as? String == "sync_completed")
                        let units = (whole["results"] as? [String: Any])?["units"] as? [String: String] ?? [:]
                        #expect(units.keys.sorted() == ["accommodation_types", "accommodations", "estimates", "rates", "reservations"])
                        #expect(try #require(try await hotelOwn.arrivals.next(timeout: .seconds(30))).json["event"] as? String == "hotel_sync_done")
                        #expect(try #require(try await estimatesOwn.arrivals.next(timeout: .seconds(30))).json["event"] as? String == "sync_estimates_completed")
                    }
                }
            }
        }
    }
}
