import CurlHTTP
import DemoUpstreamKit
import Foundation
import SupervisorCore
import Support
import TestSupport

/// A supervisor in-process with misbehaving workers on demand, for supervision tests.
enum SupervisionHarness {
    /// Tenants on the demo upstream, served by the worker test kit, with fast liveness checks and the
    /// given supervision settings.
    static func configuration(
        sites: [DemoSite], endpoint: DemoUpstreamEndpoint, databaseURL: String, supervision: SupervisionSettings = SupervisionSettings()
    ) -> SupervisorConfiguration {
        var configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: databaseURL)
        // The worker test kit: the shipped worker's code plus the faults these tests ask for.
        configuration.workerPath = try? Binaries.path(of: "tenantsync-worker-testkit")
        var settings = supervision
        settings.checkInterval = settings.checkInterval ?? 0.2
        configuration.supervision = settings
        return configuration
    }

    /// Environment that makes `tenant`'s first worker (only the first, when `once`) misbehave.
    static func fault(_ fault: String, tenant: String, once: Bool, directory: URL) -> [String: String] {
        var environment = ["TENANTSYNC_WORKER_FAULT": fault, "TENANTSYNC_WORKER_FAULT_TENANT": tenant]
        if once { environment["TENANTSYNC_WORKER_FAULT_ONCE"] = directory.appendingPathComponent("fault-\(UUID().uuidString)").path }
        return environment
    }

    /// A scratch directory removed after `body`.
    static func withDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        try await withScratchDirectory(body)
    }

    /// Starts the supervisor with `workerEnvironment`, runs `body` once it listens, then stops it.
    static func withSupervisor<T: Sendable>(
        _ configuration: SupervisorConfiguration, workerEnvironment: [String: String] = [:], _ body: @Sendable (APIClient) async throws -> T
    ) async throws -> T {
        try await SupervisorTestHarness.withSupervisor(configuration, workerEnvironment: workerEnvironment, body)
    }
}

extension APIClient {
    /// Every tenant's status by id.
    func tenants() async throws -> [String: [String: Any]] {
        let list = try await request("GET", "/api/tenants").json["tenants"] as? [[String: Any]] ?? []
        return Dictionary(list.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Waits until `tenant`'s status satisfies `condition` and returns it.
    func waitForTenant(_ tenant: String, _ what: String, timeout: Duration = .seconds(30), _ condition: @escaping ([String: Any]) -> Bool) async throws -> [String: Any] {
        try await eventually(timeout: timeout, "\(tenant) \(what)") { () -> [String: Any]? in
            guard let status = try await tenants()[tenant] else { return nil }
            return condition(status) ? status : nil
        }
    }

    /// Waits until `tenant` is ready and returns its pid.
    func readyPID(_ tenant: String, timeout: Duration = .seconds(30)) async throws -> Int32 {
        let status = try await waitForTenant(tenant, "ready", timeout: timeout) { $0["state"] as? String == "ready" && $0["pid"] is Int }
        return Int32(status["pid"] as! Int)
    }
}

/// A JSON answer to a request with a body.
struct JSONAnswer: @unchecked Sendable {
    var status: Int
    var json: [String: Any]
}

extension APIClient {
    /// Sends `body` as JSON and decodes the answer.
    func send(_ method: String, _ path: String, json body: String) async throws -> JSONAnswer {
        var headers = [(name: "Content-Type", value: "application/json")]
        if let apiKey { headers.append((name: "X-API-KEY", value: apiKey)) }
        let request = HTTPRequest(method: method, url: baseURL + path, headers: headers, body: Array(body.utf8))
        let response = try await offPool { try CurlHTTPClient().perform(request) }
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return JSONAnswer(status: response.status, json: json)
    }
}
