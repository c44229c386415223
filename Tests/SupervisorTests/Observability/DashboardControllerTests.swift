import Foundation
import Hummingbird
import Testing
import TestSupport

@testable import SupervisorCore

@Suite("Dashboard files: served open, with a strict content security policy")
struct DashboardControllerTests {
    @Test("GET / is the page, GET /ui/{asset} its script and style; anything else is a JSON 404")
    func assets() async throws {
        let router = Router(context: APIRequestContext.self)
        DashboardController(logger: SupervisorTestHarness.quietLogger()).addRoutes(to: router)
        try await withRouterServer(router) { client in
            let page = try await client.request("GET", "/")
            #expect(page.status == 200)
            #expect(page.response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.response.header("Content-Security-Policy") == DashboardController.contentSecurityPolicy)
            #expect(page.response.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(page.response.header("X-Content-Type-Options") == "nosniff")
            #expect(Data(page.response.body) == (try Repository.file("Sources/SupervisorCore/Dashboard/Assets/index.html")))
            #expect(page.response.bodyText.contains(#"<script src="/ui/app.js" defer></script>"#))

            let script = try await client.request("GET", "/ui/app.js")
            #expect(script.status == 200)
            #expect(script.response.header("Content-Type") == "text/javascript; charset=utf-8")
            #expect(script.response.bodyText.contains("X-API-KEY"))
            let style = try await client.request("GET", "/ui/style.css")
            #expect(style.response.header("Content-Type") == "text/css; charset=utf-8")

            for missing in ["/ui/index.html", "/ui/secrets.json", "/ui/..%2FPackage.swift"] {
                let response = try await client.request("GET", missing)
                #expect(response.status == 404, "\(missing)")
                #expect((response.json["error"] as? [String: Any])?["code"] as? String == "not_found")
            }
        }
    }
}
