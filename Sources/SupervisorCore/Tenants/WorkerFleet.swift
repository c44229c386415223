import Logging
import ServiceLifecycle

/// All tenants' worker controllers, supervised together as one service.
///
/// `run()` starts every enabled tenant's controller in one task group; on graceful shutdown it
/// stops every worker (shutdown message, grace period, then SIGKILL) before returning.
public final class WorkerFleet: Service, Sendable {
    let controllers: [String: TenantWorkerController]
    /// Tenant ids in configuration order.
    let order: [String]
    private let logger: Logger

    init(tenants: [TenantConfiguration], environment: WorkerEnvironment, logger: Logger) {
        var controllers: [String: TenantWorkerController] = [:]
        for tenant in tenants {
            controllers[tenant.id] = TenantWorkerController(tenant: tenant, environment: environment, logger: logger)
        }
        self.controllers = controllers
        self.order = tenants.map(\.id)
        self.logger = logger
    }

    public func run() async throws {
        let enabled = order.compactMap { id in controllers[id] }.filter { $0.tenant.enabled }
        logger.info("starting workers", metadata: ["fleet.tenants": "\(enabled.count)"])
        await withTaskGroup(of: Void.self) { group in
            for controller in enabled {
                group.addTask { await controller.supervise() }
            }
            group.addTask {
                try? await gracefulShutdown()
                await withTaskGroup(of: Void.self) { stopping in
                    for controller in enabled {
                        stopping.addTask { await controller.shutdown() }
                    }
                }
            }
        }
        logger.info("all workers stopped")
    }

    /// The controller of `tenantID`, if configured.
    func controller(for tenantID: String) -> TenantWorkerController? {
        controllers[tenantID]
    }

    /// Every tenant's status, in configuration order.
    public func statuses() async -> [TenantStatus] {
        var result: [TenantStatus] = []
        for id in order {
            if let controller = controllers[id] { result.append(await controller.status()) }
        }
        return result
    }
}
