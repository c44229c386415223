import DemoUpstreamKit
import Testing

@Suite("Demo upstream: estimates API")
struct DemoUpstreamEstimatesTests {
    let site = DemoSite(name: "builder-a", seed: 4, bookings: 0)

    private func login(port: Int, password: String? = nil) async throws -> DemoTestResponse {
        let json = "{\"email\":\"\(self.site.estimatesEmail)\",\"password\":\"\(password ?? self.site.estimatesPassword)\"}"
        return try await DemoUpstreamTestClient.post(port: port, self.site.estimatesPath("auth/login"), json: json)
    }

    private func token(port: Int) async throws -> String {
        let response = try await self.login(port: port)
        #expect(response.status == 200)
        return try #require(response.object()["token"] as? String)
    }

    @Test("A wrong password or a missing token is a 401")
    func refused() async throws {
        try await withDemoUpstream([self.site]) { port in
            let wrong = try await self.login(port: port, password: "nope")
            #expect(wrong.status == 401)
            #expect(try wrong.object()["error"] as? String == "invalid_credentials")
            let anonymous = try await DemoUpstreamTestClient.get(port: port, self.site.estimatesPath("estimates"))
            #expect(anonymous.status == 401)
        }
    }

    @Test("Pages of 100 end with the first short page and cover all 1,609 estimates")
    func pagination() async throws {
        let expected = DemoSiteDataset(site: self.site).estimates.map(\.id)
        #expect(expected.count == 1_609)
        try await withDemoUpstream([self.site]) { port in
            let token = try await self.token(port: port)
            var seen: [String] = []
            var page = 1
            while true {
                let response = try await DemoUpstreamTestClient.get(
                    port: port, self.site.estimatesPath("estimates?page=\(page)&limit=100"),
                    headers: [("Authorization", "Bearer \(token)")]
                )
                #expect(response.status == 200)
                let data = try #require(response.object()["data"] as? [[String: Any]])
                seen += data.compactMap { $0["id"] as? String }
                if let first = data.first {
                    for field in ["id", "name", "customer_name", "status", "total", "created_at", "updated_at"] {
                        #expect(first[field] != nil, "\(field)")
                    }
                }
                if data.count < 100 { break }
                page += 1
            }
            #expect(page == 17)
            #expect(seen == expected)
        }
    }

    @Test("start_date and end_date filter on created_at, inclusive")
    func dateFilter() async throws {
        let dataset = DemoSiteDataset(site: self.site)
        let expected = dataset.estimates.filter { $0.createdAt >= "2024-01-01" && $0.createdAt < "2024-02-01" }.map(\.id)
        try await withDemoUpstream([self.site]) { port in
            let token = try await self.token(port: port)
            let response = try await DemoUpstreamTestClient.get(
                port: port, self.site.estimatesPath("estimates?limit=1000&start_date=2024-01-01&end_date=2024-01-31"),
                headers: [("Authorization", "Bearer \(token)")]
            )
            let data = try #require(response.object()["data"] as? [[String: Any]])
            #expect(!expected.isEmpty)
            #expect(data.compactMap { $0["id"] as? String } == expected)
        }
    }

    @Test("A token expires after its request budget; logging in again gives a working one")
    func tokenExpiry() async throws {
        try await withDemoUpstream([self.site], estimatesTokenLifetime: 3) { port in
            let token = try await self.token(port: port)
            let target = self.site.estimatesPath("estimates?limit=10")
            for _ in 0..<3 {
                let response = try await DemoUpstreamTestClient.get(port: port, target, headers: [("Authorization", "Bearer \(token)")])
                #expect(response.status == 200)
            }
            let expired = try await DemoUpstreamTestClient.get(port: port, target, headers: [("Authorization", "Bearer \(token)")])
            #expect(expired.status == 401)
            #expect(try expired.object()["error"] as? String == "token_expired")
            let fresh = try await self.token(port: port)
            #expect(fresh != token)
            let again = try await DemoUpstreamTestClient.get(port: port, target, headers: [("Authorization", "Bearer \(fresh)")])
            #expect(again.status == 200)
        }
    }
}
