/// The database roles of tenants that are gone.
extension WorkerFleet {
    /// Drops the database roles of `tenantIDs`, just removed and their workers stopped. A failure is
    /// logged: the next supervisor start sweeps the role again (``retireRolesOfGoneTenants()``).
    func retireRoles(of tenantIDs: [String]) async {
        guard let credentials = environment.credentials, !tenantIDs.isEmpty else { return }
        let supervisorID = environment.leases?.ownerID ?? ""
        for tenantID in tenantIDs {
            do {
                if let role = try await credentials.retireRole(of: tenantID, supervisorID: supervisorID) {
                    logger.info("dropped the database role of a removed tenant", metadata: ["tenant.id": "\(tenantID)", "db.role": "\(role)"])
                }
            } catch {
                logger.warning("cannot drop the database role of a removed tenant", metadata: ["tenant.id": "\(tenantID)", "error": "\(error)"])
            }
        }
    }

    /// Drops the database roles of tenants this supervisor does not have and no other live supervisor
    /// holds: tenants removed while the supervisor was down, or whose role could not be dropped then.
    func retireRolesOfGoneTenants() async {
        guard let credentials = environment.credentials else { return }
        do {
            let dropped = try await credentials.retireRoles(keeping: configurations.map(\.id), supervisorID: environment.leases?.ownerID ?? "")
            if !dropped.isEmpty {
                logger.info("dropped the database roles of tenants that are gone", metadata: ["db.roles": "\(dropped.joined(separator: ","))"])
            }
        } catch {
            logger.warning("cannot drop the database roles of tenants that are gone", metadata: ["error": "\(error)"])
        }
    }
}
