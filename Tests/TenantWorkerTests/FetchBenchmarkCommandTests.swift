import DemoUpstreamKit
import Foundation
import Support
import Testing
import TestSupport

@Suite("tenantsync-worker-testkit fetch-benchmark")
struct FetchBenchmarkCommandTests {
    /// Runs the worker binary with `arguments`; returns its exit status, stdout and stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Binaries.path(of: "tenantsync-worker-testkit"))
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test("reads every booking page of a site and reports bookings and reservation lines as JSON")
    func readsPages() async throws {
        let site = DemoSite(name: "fetch-bench", accommodations: 10, bookings: 250)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            let result = try await offPool {
                try Self.run([
                    "fetch-benchmark", "--base-url", "\(endpoint.baseURL)/sites/\(site.name)", "--consumer-key", site.consumerKey,
                    "--consumer-secret", site.consumerSecret, "--pages", "200", "--per-page", "100",
                ])
            }
            #expect(result.status == 0, "\(result.error)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            // 250 bookings are three pages; asking for 200 stops at the last one.
            #expect(report["bookings"] as? Int == 250)
            #expect((report["lines"] as? Int ?? 0) >= 250)
            #expect((report["seconds"] as? Double ?? -1) > 0)
        }
    }

    @Test("a wrong secret fails with the refusal and never prints the secret; bad arguments exit 78")
    func failures() async throws {
        let site = DemoSite(name: "fetch-bench-bad", accommodations: 2, bookings: 5)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            let wrong = try await offPool {
                try Self.run(["fetch-benchmark", "--base-url", "\(endpoint.baseURL)/sites/\(site.name)", "--consumer-key", site.consumerKey,
                              "--consumer-secret", "cs_wrong_value_123"])
            }
            #expect(wrong.status == 1)
            #expect(wrong.error.contains("HTTP 401"))
            #expect(!wrong.error.contains("cs_wrong_value_123") && !wrong.output.contains("cs_wrong_value_123"))
        }
        let missing = try await offPool { try Self.run(["fetch-benchmark", "--pages", "x"]) }
        #expect(missing.status == 78)
        #expect(missing.error.contains("usage: tenantsync-worker-testkit fetch-benchmark"))
    }
}
