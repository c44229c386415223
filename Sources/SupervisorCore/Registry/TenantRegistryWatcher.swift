import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Support
import Synchronization

/// Keeps this supervisor's fleet equal to the registry, whoever changes it.
///
/// Three things wake it: a notification on ``TenantRegistry/notificationChannel`` (sent at the commit
/// of every change, so other supervisors follow within moments), a poll of the table's
/// ``TenantRegistry/Fingerprint`` every ``pollInterval`` (in case the listening connection is down or a
/// notification is lost), and SIGHUP, which applies the configuration file's tenants to the registry
/// first. Each wake reads every tenant and reconciles the fleet, which leaves unchanged tenants alone;
/// the lease manager then hands new tenants to one supervisor and stops removed ones' workers.
final class TenantRegistryWatcher: Service, Sendable {
    let registry: TenantRegistry
    private let fleet: WorkerFleet
    private let databaseURL: String
    /// Seconds between two looks at the table's fingerprint.
    let pollInterval: Double
    /// The configuration file SIGHUP re-reads; `nil` for a supervisor built in code.
    private let configurationPath: String?
    private let logger: Logger
    private let wakeups: AsyncStream<Void>
    private let wakeSink: AsyncStream<Void>.Continuation
    /// One refresh at a time, so an older read never lands after a newer one.
    private let refreshing = AsyncSemaphore(value: 1)
    /// The fingerprint the fleet was last brought to.
    private let applied = Mutex<TenantRegistry.Fingerprint?>(nil)
    private let stopping = Mutex(false)

    init(registry: TenantRegistry, fleet: WorkerFleet, databaseURL: String, pollInterval: Double = 1, configurationPath: String?, logger: Logger) {
        self.registry = registry
        self.fleet = fleet
        self.databaseURL = databaseURL
        self.pollInterval = pollInterval
        self.configurationPath = configurationPath
        self.logger = logger
        (wakeups, wakeSink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Reads every tenant and brings the fleet to them now; returns what changed here.
    @discardableResult
    func refresh() async throws -> WorkerFleet.ReloadSummary {
        let outcome = await refreshing.withPermit { [registry, fleet] () -> Result<WorkerFleet.ReloadSummary, any Error> in
            do {
                // Read before the tenants: a change between the two reads is seen again by the next poll.
                let fingerprint = try await registry.fingerprint()
                let tenants = try await registry.all().map(\.tenant)
                let summary = await fleet.reconcile(tenants)
                self.applied.withLock { $0 = fingerprint }
                return .success(summary)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Asks for a refresh soon, without waiting for it.
    func wake() {
        wakeSink.yield()
    }

    func run() async throws {
        let hangups = configurationPath.map { _ in HangupSignals.observe() }
        await withDiscardingTaskGroup { group in
            group.addTask { [wakeSink] in
                try? await gracefulShutdown()
                self.stopping.withLock { $0 = true }
                hangups?.stop()
                wakeSink.finish()
            }
            if let hangups, let configurationPath {
                group.addTask {
                    for await _ in hangups.signals { await self.applyFile(at: configurationPath) }
                }
            }
            group.addTask { await self.listen() }
            group.addTask { await self.poll() }
            // The same failure (a key this supervisor lacks, the database away) is logged once, not every poll.
            var lastFailure: String?
            for await _ in wakeups {
                do {
                    try await refresh()
                    lastFailure = nil
                } catch {
                    let failure = "\(error)"
                    if failure != lastFailure {
                        logger.warning("could not read the tenant registry; tenants unchanged here, trying again at the next change or poll", metadata: ["error": "\(failure)"])
                    }
                    lastFailure = failure
                }
            }
        }
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    /// Listens for the registry's notifications on a connection of its own, reconnecting after failures.
    private func listen() async {
        var failures = 0
        while !isStopping {
            let client = PostgresClient(url: databaseURL, maximumConnections: 1)
            do {
                try await client.withConnection { [wakeSink] connection in
                    try connection.listen(TenantRegistry.notificationChannel)
                    // Changes made while nobody listened.
                    wakeSink.yield()
                    while !self.isStopping {
                        if !(try connection.waitForNotifications(timeout: 0.25)).isEmpty { wakeSink.yield() }
                    }
                }
            } catch {
                failures += 1
                if failures == 1 || failures.isMultiple(of: 60) {
                    logger.warning("not listening for tenant changes; polling meanwhile", metadata: ["error": "\(error)"])
                }
            }
            client.shutdown()
            if !isStopping { try? await Task.sleep(for: .seconds(1)) }
        }
    }

    /// Looks at the table's fingerprint every ``pollInterval`` and wakes the refresh when it moved.
    private func poll() async {
        while !isStopping {
            try? await Task.sleep(for: .milliseconds(Int(pollInterval * 1000)))
            guard !isStopping, let fingerprint = try? await registry.fingerprint() else { continue }
            if applied.withLock({ $0 }) != fingerprint { wakeSink.yield() }
        }
    }

    /// SIGHUP: writes the file's tenants into the registry (the file wins for the tenants it names) and
    /// takes its `default_schedule`; a bad file is logged and changes nothing.
    func applyFile(at path: String) async {
        logger.info("SIGHUP: applying the configuration file's tenants to the registry", metadata: ["config.path": "\(path)"])
        do {
            let configuration = try SupervisorConfiguration.load(path: path)
            // The keys first: a rotation gives supervisors the new key and keeps the old one readable.
            registry.keys.replace(with: try MasterKeyring.load(configuration))
            if configuration.declaresTenants {
                let change = try await registry.apply(configuration.tenants, source: .file) { $0.source == .file }
                logger.info("configuration file applied", metadata: [
                    "registry.written": "\(change.written.joined(separator: ","))", "registry.removed": "\(change.removed.joined(separator: ","))",
                ])
            }
            fleet.defaultSchedule.withLock { $0 = configuration.defaultSchedule }
            try await refresh()
        } catch {
            logger.error("configuration reload failed; tenants unchanged", metadata: ["error": "\(error)"])
        }
    }
}
