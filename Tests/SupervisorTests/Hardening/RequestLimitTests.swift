import CurlHTTP
import DemoUpstreamKit
import Foundation
import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Request limits: bodies over 2 MiB get a JSON 413, slow clients are cut")
struct RequestLimitTests {
    static func port(of api: APIClient) throws -> Int {
        try #require(Int(api.baseURL.split(separator: ":").last ?? ""))
    }

    @Test("a 20 MB body sent whole before reading gets the JSON 413; so does one sent by a usual client")
    func payloadTooLarge() async throws {
        let site = DemoSite(name: "limits-a", accommodations: 2, bookings: 2)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let configuration = SupervisorTestHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    let port = try Self.port(of: api)
                    let size = 20 * 1024 * 1024
                    let answer = try await offPool { () -> [UInt8] in
                        let connection = try RawHTTPConnection(port: port, timeout: .seconds(30))
                        try connection.send("""
                            PUT /api/tenants/limits-big HTTP/1.1\r
                            Host: 127.0.0.1\r
                            X-API-KEY: \(APIClient.defaultAPIKey)\r
                            Content-Type: application/json\r
                            Content-Length: \(size)\r
                            Connection: close\r
                            \r

                            """)
                        // The whole body goes out before anything is read, as many clients do.
                        try connection.send([UInt8](repeating: UInt8(ascii: " "), count: size))
                        return try connection.readToEnd()
                    }
                    let parsed = RawHTTPConnection.parse(answer)
                    #expect(parsed.status == 413, "\(parsed.headers)")
                    let error = parsed.body["error"] as? [String: Any] ?? [:]
                    #expect(error["code"] as? String == "payload_too_large")
                    #expect((error["message"] as? String)?.contains("2 MiB") == true)

                    let body = Array(#"{"id":"limits-big","connector":"motopress","settings":{"pad":""#.utf8)
                        + [UInt8](repeating: UInt8(ascii: "x"), count: 3 * 1024 * 1024) + Array(#""}}"#.utf8)
                    let request = HTTPRequest(
                        method: "PUT", url: api.baseURL + "/api/tenants/limits-big",
                        headers: [(name: "X-API-KEY", value: APIClient.defaultAPIKey), (name: "Content-Type", value: "application/json")],
                        body: body, timeout: .seconds(60)
                    )
                    let response = try await offPool { try CurlHTTPClient().perform(request) }
                    #expect(response.status == 413)
                    let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
                    #expect((json["error"] as? [String: Any])?["code"] as? String == "payload_too_large")
                    #expect(try await api.tenants()["limits-big"] == nil)
                }
            }
        }
    }

    @Test("a body over 2 MiB on routes that read none (a sync-all, a tenant's sync, a cancel) gets the JSON 413 and starts nothing")
    func payloadTooLargeWhereNoBodyIsRead() async throws {
        let site = DemoSite(name: "limits-unread", accommodations: 2, bookings: 2)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                let configuration = SupervisorTestHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    _ = try await api.readyPID(site.name)
                    let body = String(repeating: "x", count: 3 * 1024 * 1024)
                    for path in ["/api/sync", "/api/tenants/limits-unread/sync", "/api/runs/run_none/cancel"] {
                        let answer = try await api.request("POST", path, json: body)
                        #expect(answer.status == 413, "\(path)")
                        #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "payload_too_large", "\(path)")
                    }
                    #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM sync_runs") == 0)
                    // A body within the limit is still no concern of these routes.
                    #expect(try await api.request("POST", "/api/sync", json: "{}").status == 202)
                }
            }
        }
    }

    @Test("a client that stops in the middle of its headers or its body is cut after http_idle_timeout; an event stream is not")
    func slowClientsCut() async throws {
        let site = DemoSite(name: "limits-slow", accommodations: 2, bookings: 2)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisorTestHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: url)
                configuration.httpIdleTimeout = 1
                try await SupervisorTestHarness.withSupervisor(configuration) { api in
                    _ = try await api.readyPID(site.name)
                    let port = try Self.port(of: api)
                    let halfRequests = [
                        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
                        "PUT /api/tenants/limits-slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-KEY: \(APIClient.defaultAPIKey)\r\nContent-Length: 100\r\n\r\n{\"id\":",
                    ]
                    for half in halfRequests {
                        let (read, elapsed) = try await offPool { () -> (RawHTTPConnection.Read, Duration) in
                            let connection = try RawHTTPConnection(port: port, timeout: .seconds(10))
                            let started = ContinuousClock.now
                            try connection.send(half)
                            var read = connection.read()
                            // An answer (408, 400) before the close is fine too; what matters is the close.
                            while case .data = read { read = connection.read() }
                            return (read, ContinuousClock.now - started)
                        }
                        #expect(read == .closed, "\(half.prefix(20)): \(read)")
                        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(10), "\(elapsed)")
                    }

                    // A follow of the tenant's log outlives the timeout: an answer being written is never cut.
                    let stillOpen = try await offPool { () -> Bool in
                        let connection = try RawHTTPConnection(port: port, timeout: .seconds(3))
                        try connection.send("GET /api/tenants/limits-slow/logs?follow=true&lines=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-KEY: \(APIClient.defaultAPIKey)\r\n\r\n")
                        let started = ContinuousClock.now
                        while ContinuousClock.now - started < .milliseconds(2500) {
                            if connection.read() == .closed { return false }
                        }
                        return true
                    }
                    #expect(stillOpen)
                }
            }
        }
    }
}
