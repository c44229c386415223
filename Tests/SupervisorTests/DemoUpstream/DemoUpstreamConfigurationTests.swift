import DemoUpstreamKit
import Testing

@Suite("Demo upstream: configuration")
struct DemoUpstreamConfigurationTests {
    @Test("Only loopback hosts are accepted", arguments: ["127.0.0.1", "127.1.2.3", "localhost", "::1"])
    func loopback(host: String) throws {
        var configuration = DemoUpstreamConfiguration(siteNames: ["hotel-a"])
        configuration.host = host
        try configuration.validate()
    }

    @Test("Other hosts are refused", arguments: ["0.0.0.0", "192.168.1.10", "10.0.0.1", "example.com", "127.0.0.256", "::"])
    func nonLoopback(host: String) {
        var configuration = DemoUpstreamConfiguration(siteNames: ["hotel-a"])
        configuration.host = host
        #expect(throws: DemoUpstreamError.self) { try configuration.validate() }
        #expect(throws: DemoUpstreamError.self) { try DemoUpstreamServer(configuration: configuration) }
    }

    @Test("Site names must be unique and URL-safe")
    func siteNames() {
        #expect(throws: DemoUpstreamError.self) {
            try DemoUpstreamConfiguration(siteNames: ["hotel-a", "hotel-a"]).validate()
        }
        for name in ["", "Hotel", "hotel/a", "hotel a"] {
            #expect(throws: DemoUpstreamError.self, "\(name)") {
                try DemoUpstreamConfiguration(siteNames: [name]).validate()
            }
        }
    }

    @Test("The running server reports the port it bound, and its endpoint builds site URLs")
    func endpoint() async throws {
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(siteNames: ["hotel-a"])) { endpoint in
            #expect(endpoint.port > 0)
            #expect(endpoint.motoPressBaseURL(site: "hotel-a") == "http://127.0.0.1:\(endpoint.port)/sites/hotel-a/wp-json/mphb/v1")
            #expect(endpoint.estimatesBaseURL(site: "hotel-a") == "http://127.0.0.1:\(endpoint.port)/sites/hotel-a/estimates-api")
            let index = try await DemoUpstreamTestClient.get(port: endpoint.port, "/")
            #expect(index.status == 200)
        }
    }
}
