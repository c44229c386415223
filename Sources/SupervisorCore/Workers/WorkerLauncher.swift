import Foundation
import IPC
import Logging
import Support

/// Starts a tenant's worker process: its environment, where its logs go, and the `hello` that
/// gives it the tenant.
///
/// The worker gets its configuration (secret settings and database URL included) over its stdin
/// only, never in argv or the environment, which it gets allow-listed (see ``WorkerEnvironmentAllowList``).
struct WorkerLauncher: Sendable {
    let tenant: TenantConfiguration
    let environment: WorkerEnvironment
    let logger: Logger
    /// Where the worker connects: the shared worker URL until ``issueCredentials()`` gives it a role of its own.
    private(set) var databaseURL: String

    init(tenant: TenantConfiguration, environment: WorkerEnvironment, logger: Logger) {
        self.tenant = tenant
        self.environment = environment
        self.logger = logger
        self.databaseURL = environment.workerDatabaseURL ?? environment.databaseURL
    }

    /// Gives the worker its tenant's database role, with a new password, when the supervisor issues
    /// roles (``WorkerEnvironment/credentials``).
    mutating func issueCredentials() async throws {
        guard let credentials = environment.credentials else { return }
        databaseURL = try await credentials.databaseURL(for: tenant.id)
    }

    /// Spawns the worker; its `log` records and stderr lines go to the tenant's log (stderr lines
    /// tagged with the run `runID` holds when they are read).
    func spawn(runID: LockedValue<String?>) async throws -> WorkerProcess {
        let readers = Self.logReaders(tenant: tenant, logStore: environment.logStore, logger: logger, runID: runID)
        return try await WorkerProcess.spawn(
            executable: environment.executable, environment: workerEnvironment(), logs: readers.logs,
            compactLogs: readers.compact, stderrLines: readers.stderr,
            whenRoom: { [logStore = environment.logStore] wake in logStore.whenDiskHasRoom(wake) }
        )
    }

    /// The `hello` that hands the worker its tenant.
    func hello() -> SupervisorMessage {
        let spec = TenantSpec(
            id: tenant.id,
            connector: tenant.connector,
            databaseURL: databaseURL,
            settings: tenant.settings,
            secretSettings: tenant.effectiveSecretSettings,
            heartbeatInterval: environment.heartbeatInterval
        )
        return .hello(Hello(tenantID: tenant.id, tenant: spec))
    }

    /// A worker's `fatal` as the cause an operator reads in `state_cause`, secrets masked.
    func reason(for fatal: Fatal) -> String {
        let message = SecretMasker(tenant: tenant, databaseURL: databaseURL).mask(fatal.message)
        return fatal.code == .credentialsRejected ? "credentials rejected: \(message)" : "\(fatal.code.rawValue): \(message)"
    }

    /// The worker's environment: the allow-listed part of the supervisor's (no secret, no database
    /// URL), plus the extras tests ask for.
    private func workerEnvironment() -> [String: String] {
        var variables = WorkerEnvironmentAllowList.filter(ProcessInfo.processInfo.environment)
        variables.merge(environment.extraEnvironment) { _, new in new }
        return variables
    }

    /// Where a worker's `log` records and stderr lines go, called on the threads that read its pipes.
    ///
    /// Both refuse a line while the disk writer is far behind (see ``TenantLogStore``); the pipe
    /// readers then stop reading that worker's pipe until there is room, which slows that worker
    /// only. `runID` is read for each stderr line, so a line written during a sync carries the run.
    static func logReaders(
        tenant: TenantConfiguration, logStore: TenantLogStore, logger: Logger, runID: LockedValue<String?>
    ) -> (
        logs: @Sendable (LogRecord, Int32) -> Bool,
        compact: @Sendable (UnsafeRawBufferPointer, [CompactLogSpan], Int32) -> Bool,
        stderr: @Sendable (String, Int32) -> Bool
    ) {
        (
            logs: { record, pid in
                guard logStore.offer(tenant: tenant, pid: pid, record: record) else { return false }
                echo(record, logger: logger)
                return true
            },
            compact: { bytes, lines, pid in
                guard logStore.offerCompact(tenant: tenant, pid: pid, bytes: bytes, lines: lines) else { return false }
                // Only warnings and worse are echoed, so only those are decoded for it.
                for line in lines where (line.level ?? LogLevels.warningIndex) >= LogLevels.warningIndex {
                    if let record = try? CompactLogLine.decode(UnsafeRawBufferPointer(rebasing: bytes[line.line])) {
                        echo(record, logger: logger)
                    }
                }
                return true
            },
            stderr: { line, pid in
                guard logStore.offerStderr(tenant: tenant, pid: pid, line: line, runID: runID.withLock { $0 }) else { return false }
                logger.info("\(line)", metadata: ["worker.pid": "\(pid)", "log.source": "stderr"])
                return true
            }
        )
    }

    /// Every record is in the tenant's log; the supervisor's own output repeats only warnings and
    /// errors, so a chatty tenant cannot drown it (or slow it down).
    static func echo(_ record: LogRecord, logger: Logger) {
        let level = Logger.Level(rawValue: record.level) ?? .info
        guard level >= .warning else { return }
        var metadata: Logger.Metadata = record.fields.mapValues { .string($0) }
        if let runID = record.runID { metadata["sync.run_id"] = "\(runID)" }
        if let stream = record.stream { metadata["sync.stream"] = "\(stream)" }
        logger.log(level: level, "\(record.message)", metadata: metadata)
    }
}
