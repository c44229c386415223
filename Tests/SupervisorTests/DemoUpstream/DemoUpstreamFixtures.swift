import DemoUpstreamKit
import Foundation

extension DemoSite {
    /// `Basic base64(consumer_key:consumer_secret)`.
    var basicAuthorization: String {
        "Basic " + Data("\(self.consumerKey):\(self.consumerSecret)".utf8).base64EncodedString()
    }

    /// The path of a MotoPress route of this site, e.g. `bookings?per_page=5`.
    func motoPressPath(_ route: String) -> String {
        "/sites/\(self.name)/wp-json/mphb/v1/\(route)"
    }

    /// The path of an estimates API route of this site, e.g. `auth/login`.
    func estimatesPath(_ route: String) -> String {
        "/sites/\(self.name)/estimates-api/\(route)"
    }
}

/// Runs `body` against a demo upstream serving `sites`, on a free loopback port.
func withDemoUpstream<Result>(
    _ sites: [DemoSite],
    estimatesTokenLifetime: Int = 100,
    latency: Duration = .zero,
    _ body: (Int) async throws -> Result
) async throws -> Result {
    let configuration = DemoUpstreamConfiguration(sites: sites, latency: latency, estimatesTokenLifetime: estimatesTokenLifetime)
    return try await DemoUpstreamServer.withRunningServer(configuration: configuration) { endpoint in
        try await body(endpoint.port)
    }
}

/// The `id`s of a page of records.
func ids(_ records: [[String: Any]]) -> [Int] {
    records.compactMap { $0["id"] as? Int }
}
