import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Fires tenants' schedules: every ``tick`` it stores the configured schedules if they changed, fires
/// the due schedules of the tenants whose syncs run here, and reads every tenant's next fire for status
/// displays.
///
/// Only the holder of a tenant's lease fires its schedule, and each fire is claimed in
/// `tenant_schedules` under a row lock in the transaction that stores its run (``ScheduleStore/claimDue(among:limit:reserve:)``),
/// so however many supervisors share the database, a fire starts one run. The run is then an ordinary
/// run of ``RunCoordinator``.
final class TenantScheduler: Service, Sendable {
    let store: ScheduleStore
    let book: ScheduleBook
    let coordinator: RunCoordinator
    let fleet: WorkerFleet
    /// Tenants this supervisor holds; `nil` fires every enabled tenant here (no lease manager).
    let leases: LeaseTable?
    /// Time between two looks for due schedules: fires come at most this late.
    let tick: Duration
    let logger: Logger
    /// Set when the configured schedules may differ from the stored ones: at start and after every change of the tenants.
    private let configurationChanged = Mutex(true)

    init(store: ScheduleStore, book: ScheduleBook, coordinator: RunCoordinator, fleet: WorkerFleet, leases: LeaseTable?, tick: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.book = book
        self.coordinator = coordinator
        self.fleet = fleet
        self.leases = leases
        self.tick = tick
        self.logger = logger
    }

    /// The tenants or their schedules changed: store them on the next tick.
    func wake() {
        configurationChanged.withLock { $0 = true }
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.tickOnce()
                try await Task.sleep(for: self.tick)
            }
        }
    }

    /// One round: store changed schedules, fire due ones, refresh the book.
    func tickOnce() async {
        await storeConfiguredSchedules()
        if !fleet.isShuttingDown { await fireDue() }
        await refreshBook()
    }

    private func storeConfiguredSchedules() async {
        let changed = configurationChanged.withLock { changed in
            defer { changed = false }
            return changed
        }
        guard changed else { return }
        do {
            let stored = try await store.apply(book.configured)
            if !stored.isEmpty {
                logger.info("schedules stored; their next fire recomputed", metadata: ["schedule.tenants": "\(stored.sorted().joined(separator: ","))"])
            }
        } catch {
            configurationChanged.withLock { $0 = true }
            logger.warning("cannot store the configured schedules; retrying", metadata: ["error": "\(error)"])
        }
    }

    /// The enabled tenants whose syncs run here.
    private var firingTenants: [String] {
        let runnable = leases?.runnable
        return fleet.order.filter { tenantID in
            guard fleet.controller(for: tenantID)?.tenant.enabled == true else { return false }
            return runnable?.contains(tenantID) ?? true
        }
    }

    private func fireDue() async {
        let tenants = firingTenants
        guard !tenants.isEmpty else { return }
        let coordinator = self.coordinator
        let reserved = Mutex<[(runID: String, tenantID: String)]>([])
        let fires: [ScheduleFire]
        do {
            fires = try await store.claimDue(among: tenants) { tenantID, runID in
                guard coordinator.reserveScheduledRun(runID, tenantID: tenantID) else { return false }
                reserved.withLock { $0.append((runID, tenantID)) }
                return true
            }
        } catch {
            for reservation in reserved.withLock({ $0 }) { coordinator.releaseScheduledRun(reservation.runID, tenantID: reservation.tenantID) }
            logger.warning("cannot fire due schedules", metadata: ["error": "\(error)"])
            return
        }
        for fire in fires {
            var metadata: Logger.Metadata = [
                "tenant.id": "\(fire.tenantID)", "schedule.slot": "\(fire.slot.formatted(.iso8601))",
                "schedule.next_fire_at": "\(fire.nextFireAt.map { $0.formatted(.iso8601) } ?? "none")",
            ]
            switch fire.outcome {
            case .started(let runID):
                metadata["sync.run_id"] = "\(runID)"
                logger.info("schedule fired", metadata: metadata)
                coordinator.startScheduledRun(runID, tenantID: fire.tenantID)
            case .skipped(let busyRunID):
                metadata["sync.busy_run_id"] = "\(busyRunID ?? "in hand here")"
                logger.notice("schedule fire skipped: the tenant is still syncing", metadata: metadata)
                if let controller = fleet.controller(for: fire.tenantID) {
                    fleet.logStore.supervisorEvent(
                        tenant: controller.tenant, message: "scheduled sync skipped: still syncing (run \(busyRunID ?? "in hand"))"
                    )
                }
            case .unreadable(let reason):
                metadata["error"] = "\(reason)"
                logger.error("stored schedule cannot be read; it fires no more until the configuration sets it again", metadata: metadata)
            }
        }
    }

    private func refreshBook() async {
        let generation = book.beginRead()
        do {
            book.record(try await store.states(of: Array(book.configured.keys)), readFrom: generation)
        } catch {
            logger.debug("cannot read schedules for status", metadata: ["error": "\(error)"])
        }
    }

    /// Pauses `tenantID`'s schedule in the database (for every supervisor) and in the book.
    func pause(_ tenantID: String) async throws {
        let state = try await store.pause(tenantID, configured: book.schedule(of: tenantID))
        book.recordWrite(state, of: tenantID)
        logger.info("schedule paused", metadata: ["tenant.id": "\(tenantID)"])
    }

    /// Resumes `tenantID`'s schedule: its next fire is the first slot after now.
    func resume(_ tenantID: String) async throws {
        let state = try await store.resume(tenantID, configured: book.schedule(of: tenantID))
        book.recordWrite(state, of: tenantID)
        logger.info("schedule resumed", metadata: [
            "tenant.id": "\(tenantID)", "schedule.next_fire_at": "\(state.nextFireAt.map { $0.formatted(.iso8601) } ?? "none")",
        ])
    }
}
