import DemoUpstreamKit
import Foundation
import SupervisorCore
import TestSupport

/// A worker misbehaving on purpose, set through the worker's environment (see the worker's `WorkerFaultInjector`).
struct InjectedFault: Sendable {
    /// `crash-on-sync`, `hang-on-sync`, `exit-at-start`, `exit-permanent`, `no-heartbeat`, `leak-memory`,
    /// `bad-lines` or `wrong-protocol` (see the worker test kit's `WorkerFault`).
    var name: String
    /// The tenant whose workers misbehave; the others behave.
    var tenant: String
    /// Only the tenant's first worker misbehaves, and its replacements behave.
    var once: Bool
    /// More settings of the fault, such as `TENANTSYNC_WORKER_BAD_LINES`.
    var settings: [String: String]

    init(_ name: String, tenant: String, once: Bool, settings: [String: String] = [:]) {
        self.name = name
        self.tenant = tenant
        self.once = once
        self.settings = settings
    }

    /// The workers' environment; a one-time fault keeps its marker file in `directory`.
    func environment(directory: URL) -> [String: String] {
        var environment = settings.merging(["TENANTSYNC_WORKER_FAULT": name, "TENANTSYNC_WORKER_FAULT_TENANT": tenant]) { _, new in new }
        if once { environment["TENANTSYNC_WORKER_FAULT_ONCE"] = directory.appendingPathComponent("fault-\(UUID().uuidString)").path }
        return environment
    }
}

/// One supervision test's world: the demo upstream serving its sites, a fresh database, a scratch
/// directory, and a supervisor over them, listening.
///
/// Made by ``withSupervisorStack(sites:latency:upstreamFaults:migrated:supervision:fault:as:configure:editFile:_:)``,
/// which tears it all down when the test's body returns or throws. The parts the supervisor runs
/// against read as the stack's own properties (`stack.databaseURL`, `stack.endpoint`).
@dynamicMemberLookup
struct SupervisorStack: Sendable {
    /// How the supervisor runs.
    enum Flavour: Sendable {
        /// A ``SupervisorApp`` in the test process; its workers are real child processes.
        case inProcess
        /// `tenantsync serve` as a child process with the configuration as its file, for tests of
        /// signals, process lifetime and the configuration file.
        case process
    }

    /// What the supervisor runs against, ready before it starts.
    struct Parts: Sendable {
        /// The demo upstream; ``DemoUpstreamServer/apply(_:to:)`` edits a site while the test runs.
        let upstream: DemoUpstreamServer
        let endpoint: DemoUpstreamEndpoint
        /// A database of its own, dropped with the stack.
        let databaseURL: String
        /// A scratch directory, removed with the stack; a `.process` supervisor keeps its files here.
        let directory: URL
    }

    let parts: Parts
    /// The configuration the supervisor was started with.
    let configuration: SupervisorConfiguration
    /// The environment its workers get (the injected fault, if any).
    let workerEnvironment: [String: String]
    /// A client of its API.
    let api: APIClient
    fileprivate let process: ServeProcess?
    fileprivate let stopInProcess: (@Sendable () async throws -> Void)?

    subscript<Value>(dynamicMember keyPath: KeyPath<Parts, Value>) -> Value {
        parts[keyPath: keyPath]
    }

    /// The `tenantsync serve` process of a `.process` stack, to signal and to watch exit.
    var serve: ServeProcess {
        guard let process else { preconditionFailure("an in-process stack has no serve process") }
        return process
    }

    /// Stops an in-process supervisor gracefully and returns once it has stopped (its workers too), so the
    /// test can look at what it left behind; the rest of the stack stays up.
    func stop() async throws {
        guard let stopInProcess else { preconditionFailure("signal a .process stack's serve process instead") }
        try await stopInProcess()
    }

    /// Starts one more `tenantsync serve` on the same upstream and database, with the stack's
    /// configuration changed by `configure`, in a scratch directory of its own. The caller cleans it up.
    func startServe(configure: (inout SupervisorConfiguration) -> Void) async throws -> ServeProcess {
        var configuration = configuration
        configure(&configuration)
        return try await ServeProcess.start(configuration: configuration)
    }
}

/// Runs `body` against a ``SupervisorStack``: the demo upstream serving `sites`, a fresh database,
/// a scratch directory and a supervisor with one MotoPress tenant per site, listening. Everything
/// is stopped and removed when `body` returns or throws.
///
/// - Parameters:
///   - latency, upstreamFaults: what the demo upstream adds to every answer.
///   - migrated: whether the database is migrated before the supervisor starts (which migrates it anyway).
///   - supervision: the supervision settings, with liveness checks every 0.2 s unless they say
///     otherwise; `nil` leaves the supervisor's defaults.
///   - fault: a misbehaving worker.
///   - configure: changes the configuration before the supervisor starts (and may seed the database).
///   - editFile: for `.process` only, edits the configuration file as JSON, for values the typed
///     configuration never writes.
func withSupervisorStack<T>(
    sites: [DemoSite],
    latency: Duration = .zero,
    upstreamFaults: DemoUpstreamFaults = .none,
    migrated: Bool = false,
    supervision: SupervisionSettings? = nil,
    fault: InjectedFault? = nil,
    as flavour: SupervisorStack.Flavour = .inProcess,
    configure: (inout SupervisorConfiguration, SupervisorStack.Parts) throws -> Void = { _, _ in },
    editFile: ((inout JSONValue) -> Void)? = nil,
    _ body: (SupervisorStack) async throws -> T
) async throws -> T {
    let upstream = try await DemoUpstreamServer.prepare(configuration: DemoUpstreamConfiguration(sites: sites, latency: latency, faults: upstreamFaults))
    return try await upstream.withRunning { endpoint in
        try await TestDatabase.withDatabase(migrated: migrated) { databaseURL in
            try await withScratchDirectory { directory in
                let parts = SupervisorStack.Parts(upstream: upstream, endpoint: endpoint, databaseURL: databaseURL, directory: directory)
                var configuration = SupervisorTestHarness.configuration(sites: sites, endpoint: endpoint, databaseURL: databaseURL)
                if var supervision {
                    supervision.checkInterval = supervision.checkInterval ?? 0.2
                    configuration.supervision = supervision
                }
                if fault != nil || supervision != nil {
                    // The worker test kit: the shipped worker's code plus the faults supervision tests ask for.
                    configuration.workerPath = try Binaries.path(of: "tenantsync-worker-testkit")
                }
                try configure(&configuration, parts)
                let workerEnvironment = fault?.environment(directory: directory) ?? [:]
                switch flavour {
                case .inProcess:
                    return try await SupervisorTestHarness.withRunningSupervisor(configuration, workerEnvironment: workerEnvironment) { running in
                        try await body(SupervisorStack(
                            parts: parts, configuration: configuration, workerEnvironment: workerEnvironment, api: running.api,
                            process: nil, stopInProcess: running.stop
                        ))
                    }
                case .process:
                    let serve: ServeProcess
                    if let editFile {
                        var file = try JSONValue(encoding: configuration)
                        editFile(&file)
                        serve = try await ServeProcess.start(configuration: file, in: directory, environment: workerEnvironment)
                    } else {
                        serve = try await ServeProcess.start(configuration: configuration, in: directory, environment: workerEnvironment)
                    }
                    defer { serve.cleanUp() }
                    return try await body(SupervisorStack(
                        parts: parts, configuration: configuration, workerEnvironment: workerEnvironment, api: serve.api,
                        process: serve, stopInProcess: nil
                    ))
                }
            }
        }
    }
}
