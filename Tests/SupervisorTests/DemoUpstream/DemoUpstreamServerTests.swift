import DemoUpstreamKit
import Testing

@Suite("Demo upstream: running the server")
struct DemoUpstreamServerTests {
    let site = DemoSite(name: "hotel-a", bookings: 30)

    @Test("Keeps answering while callers block every cooperative thread")
    func servesBlockingCallers() async throws {
        // Blocking clients called straight from async code (as libcurl-based tests do) must not starve
        // the server's handlers, including their simulated-latency sleeps.
        try await withDemoUpstream([self.site], latency: .milliseconds(20)) { port in
            let target = self.site.motoPressPath("bookings?per_page=5")
            let headers = [("Authorization", self.site.basicAuthorization)]
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try DemoUpstreamTestClient.blockingSend(port: port, method: "GET", target: target, headers: headers, body: nil).status
                    }
                }
                for try await status in group {
                    #expect(status == 200)
                }
            }
        }
    }

    @Test("Simulated latency delays each answer")
    func latency() async throws {
        try await withDemoUpstream([self.site], latency: .milliseconds(150)) { port in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await DemoUpstreamTestClient.get(port: port, self.site.motoPressPath("rates"), site: self.site)
            #expect(response.status == 200)
            #expect(clock.now - start >= .milliseconds(150))
        }
    }

    @Test("A taken port is an error, not a hang")
    func portTaken() async throws {
        try await withDemoUpstream([self.site]) { port in
            var configuration = DemoUpstreamConfiguration(sites: [self.site])
            configuration.port = port
            await #expect(throws: (any Error).self) {
                try await DemoUpstreamServer.withRunningServer(configuration: configuration) { _ in }
            }
        }
    }

    @Test("Injected faults answer 500 for the configured share of requests")
    func faults() async throws {
        var configuration = DemoUpstreamConfiguration(sites: [self.site])
        configuration.faults = DemoUpstreamFaults(errorRate: 0.5, seed: 9)
        try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
            var statuses: [Int] = []
            for _ in 0..<20 {
                let response = try await DemoUpstreamTestClient.get(port: endpoint.port, self.site.motoPressPath("rates"), site: self.site)
                statuses.append(response.status)
            }
            #expect(Set(statuses) == [200, 500])
        }
    }
}
