import Foundation
import Logging
import Postgres
import ServiceLifecycle
import Synchronization

/// Splits the tenants between the supervisors sharing one database, by leases there.
///
/// Every supervisor heartbeats a membership row and holds at most its fair share of the enabled
/// tenants, `ceil(enabled ÷ live supervisors)`: it claims free or expired leases up to that share,
/// renews what it holds, and hands back what exceeds it when another supervisor joins. A worker runs
/// only for a held tenant. A lease that could not be renewed is fenced by time: its worker is killed
/// ``LeaseSettings/fencingMargin`` before the lease could end, whether or not the database answers.
/// On graceful shutdown (after the fleet stopped its workers) every lease is released at once.
///
/// The manager has its own database connection, so renewals never queue behind run bookkeeping.
final class LeaseManager: Service, Sendable {
    let table: LeaseTable
    let settings: LeaseSettings
    private let store: LeaseStore
    private let database: PostgresClient
    private let fleet: WorkerFleet
    private let logger: Logger
    private let defaultHost: String?
    /// Tenants being handed back: `true` once their worker has stopped and the lease may go.
    private let handingBack = Mutex<[String: Bool]>([:])
    private let wakeups: AsyncStream<Void>
    private let wakeSink: AsyncStream<Void>.Continuation
    private let handBacks: AsyncStream<String>
    private let handBackSink: AsyncStream<String>.Continuation
    private let stopping = Mutex(false)
    /// When the last renewal started.
    let lastBeat = Mutex<ContinuousClock.Instant?>(nil)
    /// Why the last heartbeat failed (`database unreachable`), until one succeeds again.
    let heartbeatFailure = Mutex<String?>(nil)

    /// - Parameter defaultHost: the host name when the supervisor id is the default `host:pid`; rows of
    ///   dead processes of that host are cleared at start.
    init(table: LeaseTable, settings: LeaseSettings, databaseURL: String, fleet: WorkerFleet, defaultHost: String?, logger: Logger) {
        self.table = table
        self.settings = settings
        self.database = PostgresClient(url: databaseURL, maximumConnections: 1)
        self.store = LeaseStore(database: database, ownerID: table.ownerID, duration: settings.duration)
        self.fleet = fleet
        self.defaultHost = defaultHost
        var logger = logger
        logger[metadataKey: "supervisor.id"] = "\(table.ownerID)"
        self.logger = logger
        (wakeups, wakeSink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        (handBacks, handBackSink) = AsyncStream.makeStream(of: String.self)
    }

    /// Joins the membership and claims this supervisor's share, before any worker is spawned.
    func start() async throws {
        if let defaultHost {
            let dead = try await store.forgetDeadLocalOwners(host: defaultHost)
            if !dead.isEmpty {
                logger.warning("cleared the leases of supervisors on this host that are gone", metadata: ["lease.owners": "\(dead.joined(separator: ","))"])
            }
        }
        try await tick()
    }

    /// Asks the lease loop to look again now (tenants were added or removed).
    func wake() {
        wakeSink.yield()
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { [wakeSink, handBackSink] in
                try? await gracefulShutdown()
                self.stopping.withLock { $0 = true }
                wakeSink.finish()
                handBackSink.finish()
            }
            group.addTask { [wakeSink, interval = settings.claimInterval] in
                while !self.stopping.withLock({ $0 }) {
                    try? await Task.sleep(for: .seconds(interval))
                    wakeSink.yield()
                }
            }
            // The fence kills from a thread of its own, so the cooperative pool's load never delays it;
            // the fleet then records why each worker stopped.
            let fenced = startFence()
            group.addTask {
                for await (lost, cause) in fenced {
                    await self.fleet.leasesLost(lost, cause: cause)
                }
            }
            group.addTask {
                for await _ in self.wakeups {
                    do {
                        try await self.tick()
                        self.heartbeatFailure.withLock { $0 = nil }
                    } catch {
                        self.heartbeatFailure.withLock { $0 = Self.describe(error) }
                        self.logger.warning("lease heartbeat failed; held tenants stop before their leases could end", metadata: ["error": "\(error)"])
                    }
                }
            }
            // Stopping a worker may take its grace period; the beat goes on meanwhile.
            for await tenantID in handBacks {
                group.addTask {
                    await self.fleet.handBack(tenantID)
                    self.handingBack.withLock { $0[tenantID] = true }
                    self.wake()
                }
            }
        }
        let held = table.held
        table.drop(held)
        do {
            try await store.leave()
            logger.info("released every lease", metadata: ["lease.tenants": "\(held.sorted().joined(separator: ","))"])
        } catch {
            logger.error("could not release leases; other supervisors take them when they expire", metadata: ["error": "\(error)"])
        }
        database.shutdown()
    }

    /// Starts the fence's thread: several times a second it drops the leases about to end unrenewed and
    /// SIGKILLs their workers at once, then yields them (with the cause) for the fleet's records. The
    /// stream finishes once the supervisor stops.
    private func startFence() -> AsyncStream<([String], String)> {
        let (fenced, sink) = AsyncStream.makeStream(of: ([String], String).self)
        let margin = Duration.milliseconds(Int(settings.fencingMargin * 1000))
        let period = min(settings.fencingMargin / 4, 0.25)
        let liveWorkers = fleet.environment.liveWorkers
        let thread = Thread { [self] in
            // Named from inside: on Linux a name set before start() is not applied.
            Thread.current.name = "tenantsync-lease-fence"
            while !stopping.withLock({ $0 }) {
                let expiring = table.expiring(before: .now + margin)
                if !expiring.isEmpty {
                    let lost = table.drop(expiring)
                    let killed = liveWorkers.kill(lost)
                    let cause = "lease lost: " + (heartbeatFailure.withLock { $0 } ?? "not renewed in time")
                    logger.error("leases not renewed in time; stopping their workers", metadata: [
                        "lease.tenants": "\(lost.sorted().joined(separator: ","))", "worker.cause": "\(cause)",
                        "worker.pids": "\(killed.map(String.init).joined(separator: ","))",
                    ])
                    sink.yield((lost, cause))
                }
                Thread.sleep(forTimeInterval: period)
            }
            sink.finish()
        }
        thread.start()
        return fenced
    }

    /// One heartbeat: renew, learn the membership, then claim up to the share or hand back above it.
    func tick() async throws {
        let started = ContinuousClock.now
        let renew = lastBeat.withLock { last in last.map { started - $0 >= .milliseconds(Int(settings.renewInterval * 1000)) } ?? true }
        let beat = try await store.beat(renew: renew)
        if renew { lastBeat.withLock { $0 = started } }
        let validUntil = started + .milliseconds(Int(settings.duration * 1000))
        let margin = Duration.milliseconds(Int(settings.fencingMargin * 1000))

        // Tenants handed back whose workers have stopped: their leases go now, between two beats.
        let stopped = handingBack.withLock { handing in handing.filter(\.value).map(\.key) }
        if !stopped.isEmpty {
            try await store.release(stopped)
            table.drop(stopped)
            handingBack.withLock { handing in for tenantID in stopped { handing[tenantID] = nil } }
            logger.info("handed leases back", metadata: ["lease.tenants": "\(stopped.sorted().joined(separator: ","))"])
        }
        if let renewed = beat.renewed?.filter({ !stopped.contains($0) }) {
            // A renewal that came back too late to be trusted counts as lost; the fence takes care of it.
            if validUntil - margin > .now {
                let regained = table.hold(renewed, until: validUntil)
                if !regained.isEmpty { await fleet.leasesAcquired(regained) }
            }
            let lost = table.held.subtracting(renewed)
            if !lost.isEmpty {
                table.drop(lost)
                logger.error("leases lost to another supervisor; stopping their workers", metadata: ["lease.tenants": "\(lost.sorted().joined(separator: ","))"])
                await fleet.leasesLost(Array(lost), cause: "lease lost: taken by another supervisor")
            }
        }
        table.setOwners(beat.owners)

        let enabled = fleet.enabledTenantIDs
        let enabledSet = Set(enabled)
        // Tenants removed or disabled: their workers are gone; give their leases back.
        let unwanted = table.held.subtracting(enabledSet).filter { tenantID in handingBack.withLock { $0[tenantID] == nil } }
        if !unwanted.isEmpty {
            try await store.release(Array(unwanted))
            table.drop(unwanted)
        }

        let share = enabled.isEmpty ? 0 : (enabled.count + beat.liveMembers - 1) / beat.liveMembers
        let handing = handingBack.withLock { Set($0.keys) }
        let kept = table.held.intersection(enabledSet).subtracting(handing)
        if kept.count < share {
            let candidates = enabled.filter { !kept.contains($0) && !handing.contains($0) && (beat.owners[$0] == nil || beat.owners[$0] == table.ownerID) }
            guard !candidates.isEmpty else { return }
            let claimStarted = ContinuousClock.now
            let claimed = try await store.claim(candidates, limit: share - kept.count)
            let gained = table.hold(claimed, until: claimStarted + .milliseconds(Int(settings.duration * 1000)))
            if !gained.isEmpty {
                logger.info("claimed tenant leases", metadata: [
                    "lease.tenants": "\(gained.joined(separator: ","))", "lease.share": "\(share)", "lease.members": "\(beat.liveMembers)",
                ])
                await fleet.leasesAcquired(gained)
            }
        } else if kept.count > share {
            let surplus = await fleet.handBackOrder(Array(kept)).prefix(kept.count - share)
            handingBack.withLock { handing in for tenantID in surplus { handing[tenantID] = false } }
            table.markReleasing(surplus)
            logger.info("handing leases back to rebalance", metadata: [
                "lease.tenants": "\(surplus.joined(separator: ","))", "lease.share": "\(share)", "lease.members": "\(beat.liveMembers)",
            ])
            for tenantID in surplus { handBackSink.yield(tenantID) }
        }
    }
}
