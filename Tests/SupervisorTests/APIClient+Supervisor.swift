import Foundation
import IPC
@testable import SupervisorCore
import TestSupport

// The API's answers under short names: the tests decode answers into the types the API sends.
typealias TenantList = APIAnswers.Tenants
typealias ControlDone = APIAnswers.ControlDone
typealias RunList = APIAnswers.Runs
typealias DeliveryList = APIAnswers.Deliveries
typealias SyncAccepted = SyncController.SyncAccepted
typealias SyncFinished = SyncController.SyncFinished
typealias LogTail = LogsController.LogTail
typealias ReloadSummary = WorkerFleet.ReloadSummary

extension APIClient {
    /// Every tenant's status by id, as `GET /api/tenants` lists them.
    func tenants() async throws -> [String: TenantStatus] {
        let list = try await decode(TenantList.self, "GET", "/api/tenants").tenants
        return Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Waits until `tenant`'s status satisfies `condition` and returns it.
    func waitForTenant(
        _ tenant: String, _ what: String, timeout: Duration = .seconds(30), _ condition: @escaping (TenantStatus) -> Bool
    ) async throws -> TenantStatus {
        try await eventually(timeout: timeout, "\(tenant) \(what)") { () -> TenantStatus? in
            guard let status = try await tenants()[tenant] else { return nil }
            return condition(status) ? status : nil
        }
    }

    /// Waits until `tenant` is ready and returns its pid.
    func readyPID(_ tenant: String, timeout: Duration = .seconds(30)) async throws -> Int32 {
        let status = try await waitForTenant(tenant, "ready", timeout: timeout) { $0.state == .ready && $0.pid != nil }
        return status.pid ?? 0
    }

    /// Polls a run until it leaves `queued`/`running`, failing at the deadline.
    func waitForRun(_ runID: String, timeout: Duration = .seconds(60)) async throws -> RunSnapshot {
        try await eventually(timeout: timeout, "run \(runID) to finish") { () -> RunSnapshot? in
            let run = try await decode(RunSnapshot.self, "GET", "/api/runs/\(runID)")
            return run.status.isLive ? nil : run
        }
    }
}

extension TenantRunSnapshot {
    /// The result of the stream named `name`, if the tenant's part has one.
    func stream(_ name: String) -> StreamResult? {
        streams.first { $0.stream == name }
    }
}
