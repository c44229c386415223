import Foundation

extension TenantWorkerController {
    /// A snapshot for status displays.
    func status() -> TenantStatus {
        var status = record.status(of: tenant, lifecycle: lifecycle, session: session, badLines: badLines.count)
        environment.complete(&status, of: tenant, workerRunsHere: process != nil)
        return status
    }
}
