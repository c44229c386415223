/// What the lease manager asks of the fleet: start the workers of tenants it gained, stop the ones it lost.
extension WorkerFleet {
    /// Enabled tenant ids in configuration order: the tenants leases are taken on.
    var enabledTenantIDs: [String] {
        order.filter { controller(for: $0)?.tenant.enabled == true }
    }

    /// Whether graceful shutdown began.
    var isShuttingDown: Bool { stopping.withLock { $0 } }

    /// Starts the workers of newly held tenants.
    func leasesAcquired(_ tenantIDs: [String]) async {
        for tenantID in tenantIDs { await controller(for: tenantID)?.leaseAcquired() }
    }

    /// Kills the workers of tenants whose leases are gone or about to end (fencing), all at once;
    /// `cause` is what their status shows.
    func leasesLost(_ tenantIDs: [String], cause: String) async {
        await withTaskGroup(of: Void.self) { group in
            for tenantID in tenantIDs {
                guard let controller = controller(for: tenantID) else { continue }
                group.addTask { await controller.leaseLost(cause: cause) }
            }
        }
    }

    /// Stops the worker of a tenant whose lease is handed to another supervisor, gracefully.
    func handBack(_ tenantID: String) async {
        await controller(for: tenantID)?.carryOut(.handBack)
    }

    /// `tenantIDs` with idle tenants first, so rebalancing interrupts as few syncs as possible.
    func handBackOrder(_ tenantIDs: [String]) async -> [String] {
        var idle: [String] = []
        var busy: [String] = []
        for tenantID in tenantIDs.sorted().reversed() {
            if await controller(for: tenantID)?.currentRunID == nil { idle.append(tenantID) } else { busy.append(tenantID) }
        }
        return idle + busy
    }
}
