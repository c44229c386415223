import Logging
import ServiceLifecycle
import Support
import Synchronization

/// All tenants' worker controllers, supervised together as one service.
///
/// `run()` supervises every tenant's controller in one task group; tenants added at runtime
/// join that group, removed ones are stopped and leave it. On graceful shutdown it stops every
/// worker (shutdown message, grace period, then SIGKILL) before returning.
///
/// Schedules are kept apart from workers: a controller's `tenant` has no schedule (``ScheduleChoice/inherited``),
/// each tenant's resolved schedule is in ``FleetRoster/schedules`` and published to the environment's
/// ``ScheduleBook``, so changing only a tenant's schedule leaves its worker running.
public final class WorkerFleet: Service, Sendable {
    private let members = Mutex(FleetRoster())
    let environment: WorkerEnvironment
    let logger: Logger
    private let additions: AsyncStream<TenantWorkerController>
    private let additionSink: AsyncStream<TenantWorkerController>.Continuation
    /// Called after the tenant list changed (the lease manager looks for new tenants to claim).
    let onTenantsChanged = Mutex<@Sendable () -> Void>({})
    /// Set once graceful shutdown began: no worker starts and no queued run row is picked up after it.
    let stopping = Mutex(false)
    /// One change of the tenant list at a time (PUT, DELETE, reload, SIGHUP): each reads the list and
    /// writes it back, so two at once would undo each other, and a changed tenant's old worker must
    /// be gone before its next one starts.
    private let changes = AsyncSemaphore(value: 1)
    /// The schedule of tenants without one of their own (`default_schedule`); a SIGHUP reload replaces it.
    let defaultSchedule: Mutex<TenantSchedule?>

    init(tenants: [TenantConfiguration], defaultSchedule: TenantSchedule? = nil, environment: WorkerEnvironment, logger: Logger) {
        self.environment = environment
        self.logger = logger
        self.defaultSchedule = Mutex(defaultSchedule)
        (additions, additionSink) = AsyncStream.makeStream(of: TenantWorkerController.self)
        members.withLock { members in
            for tenant in tenants {
                members.controllers[tenant.id] = TenantWorkerController(tenant: FleetRoster.withoutSchedule(tenant), environment: environment, logger: logger)
                members.schedules[tenant.id] = tenant.schedule.resolved(default: defaultSchedule)
                members.order.append(tenant.id)
            }
        }
        publishSchedules()
    }

    /// Writes every tenant's schedule into the environment's ``ScheduleBook``.
    private func publishSchedules() {
        environment.schedules.configure(members.withLock { $0.scheduleBookEntries })
    }

    /// Every tenant as configured, schedules included, in configuration order.
    var configurations: [TenantConfiguration] {
        members.withLock { $0.configurations }
    }

    /// Tenant ids in configuration order.
    var order: [String] { members.withLock { $0.order } }
    /// Every tenant's log lines.
    var logStore: TenantLogStore { environment.logStore }

    public func run() async throws {
        let initial = members.withLock { members in members.order.compactMap { members.controllers[$0] } }
        logger.info("starting workers", metadata: ["fleet.tenants": "\(initial.filter { $0.tenant.enabled }.count)"])
        await withTaskGroup(of: Void.self) { group in
            for controller in initial {
                group.addTask { await controller.supervise() }
                group.addTask { await controller.monitor() }
            }
            group.addTask { [additionSink] in
                try? await gracefulShutdown()
                self.stopping.withLock { $0 = true }
                additionSink.finish()
                let everyone = self.members.withLock { Array($0.controllers.values) }
                await withTaskGroup(of: Void.self) { stopping in
                    for controller in everyone {
                        stopping.addTask { await controller.shutdown() }
                    }
                }
            }
            for await controller in additions {
                group.addTask { await controller.supervise() }
                group.addTask { await controller.monitor() }
            }
        }
        logger.info("all workers stopped")
    }

    /// The controller of `tenantID`, if configured.
    func controller(for tenantID: String) -> TenantWorkerController? {
        members.withLock { $0.controllers[tenantID] }
    }

    /// Every tenant's status, in configuration order.
    public func statuses() async -> [TenantStatus] {
        let controllers = members.withLock { members in members.order.compactMap { members.controllers[$0] } }
        var result: [TenantStatus] = []
        for controller in controllers { result.append(await controller.status()) }
        return result
    }

    /// What a reload changed.
    public struct ReloadSummary: Codable, Sendable, Equatable {
        public var added: [String] = []
        public var changed: [String] = []
        public var removed: [String] = []
        public var unchanged: [String] = []
    }

    /// Brings the fleet to `tenants`: new tenants get a worker, changed ones a fresh worker (unless only
    /// their schedule changed), missing ones are stopped; tenants whose configuration is unchanged are not touched.
    @discardableResult
    func reconcile(_ tenants: [TenantConfiguration]) async -> ReloadSummary {
        await changes.withPermit { await self.apply(tenants) }
    }

    /// ``reconcile(_:)`` once the caller holds ``changes``.
    @discardableResult
    private func apply(_ tenants: [TenantConfiguration]) async -> ReloadSummary {
        let defaultSchedule = self.defaultSchedule.withLock { $0 }
        let change = members.withLock { members in
            members.reconcile(to: tenants, defaultSchedule: defaultSchedule) { tenant in
                TenantWorkerController(tenant: tenant, environment: environment, logger: logger)
            }
        }
        let summary = change.summary
        // A changed tenant's old worker is gone before its new one starts.
        for controller in change.stale { await controller.shutdown() }
        // Only once their workers are gone, so their exits do not bring the series back.
        for id in summary.removed { environment.metrics?.forgetTenant(id) }
        await retireRoles(of: summary.removed)
        for controller in change.fresh { additionSink.yield(controller) }
        publishSchedules()
        onTenantsChanged.withLock { $0 }()
        logger.info("tenants reloaded", metadata: [
            "fleet.added": "\(summary.added.joined(separator: ","))", "fleet.changed": "\(summary.changed.joined(separator: ","))",
            "fleet.removed": "\(summary.removed.joined(separator: ","))",
        ])
        return summary
    }

    /// Adds `tenant` or replaces its configuration, leaving every other tenant alone.
    func upsert(_ tenant: TenantConfiguration) async -> ReloadSummary {
        await changes.withPermit {
            var tenants = self.configurations
            if let index = tenants.firstIndex(where: { $0.id == tenant.id }) {
                tenants[index] = tenant
            } else {
                tenants.append(tenant)
            }
            return await self.apply(tenants)
        }
    }

    /// Removes `tenantID`, stopping its worker; `false` if there is no such tenant.
    func remove(_ tenantID: String) async -> Bool {
        await changes.withPermit {
            let tenants = self.configurations
            guard tenants.contains(where: { $0.id == tenantID }) else { return false }
            await self.apply(tenants.filter { $0.id != tenantID })
            return true
        }
    }
}
