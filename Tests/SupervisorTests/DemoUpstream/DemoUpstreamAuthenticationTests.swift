import DemoUpstreamKit
import Foundation
import Testing

@Suite("Demo upstream: authentication and routing")
struct DemoUpstreamAuthenticationTests {
    let site = DemoSite(name: "hotel-a", bookings: 12)
    let other = DemoSite(name: "hotel-b", bookings: 12)

    @Test("Basic auth with the site's consumer key and secret is accepted")
    func basicAuth() async throws {
        try await withDemoUpstream([self.site, self.other]) { port in
            let response = try await DemoUpstreamTestClient.get(port: port, self.site.motoPressPath("bookings"), site: self.site)
            #expect(response.status == 200)
        }
    }

    @Test("consumer_key and consumer_secret query parameters are accepted")
    func queryAuth() async throws {
        try await withDemoUpstream([self.site]) { port in
            let target = self.site.motoPressPath(
                "accommodations?consumer_key=\(self.site.consumerKey)&consumer_secret=\(self.site.consumerSecret)"
            )
            let response = try await DemoUpstreamTestClient.get(port: port, target)
            #expect(response.status == 200)
        }
    }

    @Test("Missing credentials are a 401 from the permission check")
    func missingCredentials() async throws {
        try await withDemoUpstream([self.site]) { port in
            let response = try await DemoUpstreamTestClient.get(port: port, self.site.motoPressPath("bookings"))
            #expect(response.status == 401)
            let error = try response.object()
            #expect(error["code"] as? String == "mphb_rest_cannot_view")
            #expect((error["data"] as? [String: Any])?["status"] as? Int == 401)
        }
    }

    @Test("A wrong secret, or another site's credentials, are a 401 authentication error")
    func wrongCredentials() async throws {
        try await withDemoUpstream([self.site, self.other]) { port in
            var wrongSecret = self.site
            wrongSecret.consumerSecret = "cs_wrong"
            for credentials in [wrongSecret, self.other] {
                let response = try await DemoUpstreamTestClient.get(port: port, self.site.motoPressPath("bookings"), site: credentials)
                #expect(response.status == 401)
                #expect(try response.object()["code"] as? String == "mphb_rest_authentication_error")
            }
        }
    }

    @Test("An unknown site or route is WordPress's rest_no_route 404")
    func unknownSiteAndRoute() async throws {
        try await withDemoUpstream([self.site]) { port in
            let targets = [
                "/sites/no-such-hotel/wp-json/mphb/v1/bookings",
                self.site.motoPressPath("coupons"),
                "/wp-json/mphb/v1/bookings",
            ]
            for target in targets {
                let response = try await DemoUpstreamTestClient.get(port: port, target, site: self.site)
                #expect(response.status == 404, "\(target)")
                #expect(try response.object()["code"] as? String == "rest_no_route", "\(target)")
            }
        }
    }

    @Test("The same configuration serves identical bytes; another seed serves different ones")
    func deterministicBytes() async throws {
        let reseeded = DemoSite(name: "hotel-a", seed: 2, bookings: 12)
        var pages: [[UInt8]] = []
        for site in [self.site, self.site, reseeded] {
            let body = try await withDemoUpstream([site]) { port in
                try await DemoUpstreamTestClient.get(port: port, site.motoPressPath("bookings?per_page=100"), site: site).body
            }
            pages.append(body)
        }
        #expect(pages[0] == pages[1])
        #expect(pages[0] != pages[2])
    }
}
