import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Least privilege: a worker inherits only the allow-listed environment")
struct WorkerEnvironmentTests {
    /// `/proc/<pid>/environ` of a process as a dictionary.
    static func environment(of pid: Int32) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
        var result: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return result
    }

    @Test("a real worker of a real supervisor holding secrets in its environment sees none of them")
    func noSecretsInWorkerEnvironment() async throws {
        let site = DemoSite(name: "env-hotel", accommodations: 2, bookings: 2)
        try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            try await TestDatabase.withDatabase(migrated: false) { url in
                var configuration = SupervisorTestHarness.configuration(sites: [site], endpoint: endpoint, databaseURL: "")
                configuration.apiKeys = [APIKeyConfiguration(keyEnvironmentVariable: "TENANTSYNC_API_KEY")]
                configuration.webhooks = WebhookConfiguration(urls: ["http://127.0.0.1:9/hook"], secretEnvironmentVariable: "TENANTSYNC_WEBHOOK_SECRET")
                let webhookSecret = "whsec_" + Data("environment-test-secret-bytes".utf8).base64EncodedString()
                let secrets = [
                    "TENANTSYNC_API_KEY": APIClient.defaultAPIKey,
                    "TENANTSYNC_WEBHOOK_SECRET": webhookSecret,
                    // The supervisor reads its database from the environment (the file has none).
                    "TENANTSYNC_DATABASE_URL": url,
                    "TENANTSYNC_WORKER_DATABASE_URL": url,
                    "PGPASSWORD": "pg-password-not-for-workers",
                    "AWS_SECRET_ACCESS_KEY": "aws-secret-not-for-workers",
                ]
                let allowed = ["LANG": "C.UTF-8", "LC_MESSAGES": "C", "TZ": "UTC", "TENANTSYNC_WORKER_LOG_LEVEL": "info"]
                let serve = try await ServeProcess.start(configuration: configuration, environment: secrets.merging(allowed) { _, new in new })
                defer { serve.cleanUp() }
                let pid = try await serve.api.readyPID(site.name)
                let environment = try Self.environment(of: pid)

                for name in environment.keys {
                    #expect(WorkerEnvironmentAllowList.allows(name), "worker inherited \(name)")
                }
                for (name, value) in secrets {
                    #expect(environment[name] == nil, "worker inherited \(name)")
                    #expect(!environment.values.contains { $0.contains(value) }, "a value of the worker's environment holds \(name)'s value")
                }
                for (name, value) in allowed { #expect(environment[name] == value) }
                #expect(environment["TENANTSYNC_SUPERVISOR_PID"] == String(serve.process.processIdentifier))
                #expect(environment["PATH"] != nil)
                // The secrets did reach the supervisor: the key from the environment opens the API.
                #expect(try await serve.api.request("GET", "/api/tenants").status == 200)
                kill(serve.process.processIdentifier, SIGTERM)
                #expect(try await serve.exits.next(timeout: .seconds(30)) == 0)
            }
        }
    }

    @Test("every environment variable the worker reads is on the allow list")
    func allowListCoversWhatTheWorkerReads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let pattern = try NSRegularExpression(pattern: #"environment\["([A-Z0-9_]+)"\]"#)
        var read: Set<String> = []
        // The worker test kit is a worker too: tests start it under the supervisor.
        for folder in ["Sources/TenantWorker", "Sources/SyncEngine", "Tests/WorkerTestKit"] {
            let directory = root.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            #expect(!files.isEmpty, "no sources under \(folder)")
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let range = Range(match.range(at: 1), in: text) { read.insert(String(text[range])) }
                }
            }
        }
        #expect(read.contains("TENANTSYNC_WORKER_FAULT"))
        // The benchmark command's secret is given by hand to `fetch-benchmark`, never by the supervisor.
        for name in read.subtracting(["TENANTSYNC_BENCH_SECRET"]) {
            #expect(WorkerEnvironmentAllowList.allows(name), "the worker reads \(name), which the supervisor does not pass on")
        }
        for secret in ["TENANTSYNC_API_KEY", "TENANTSYNC_WEBHOOK_SECRET", "TENANTSYNC_DATABASE_URL", "TENANTSYNC_WORKER_DATABASE_URL", "PGPASSWORD"] {
            #expect(!WorkerEnvironmentAllowList.allows(secret))
        }
    }
}
