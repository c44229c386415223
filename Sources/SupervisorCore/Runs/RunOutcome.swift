import IPC

/// How a run ends, decided from its tenants' parts: the one place that rule lives.
///
/// Pure: the coordinator, the store (a run ended by the supervisor that ran its last tenant) and the
/// callback all ask it, so they cannot disagree.
public struct RunOutcome: Sendable, Equatable {
    public var status: RunStatus
    /// Why the run did not succeed, for the run's `error`.
    public var error: String?

    /// The outcome of a run whose tenants ended with `tenants`; `cancelled` when the run was cancelled
    /// by request before its outcome was decided.
    public init(tenants: [TenantRunStatus], cancelled: Bool = false) {
        let failed = tenants.filter { $0 != .succeeded }.count
        if cancelled {
            status = .cancelled
            error = "run cancelled"
            return
        }
        error = failed == 0 ? nil : "\(failed) of \(tenants.count) tenants did not succeed"
        if tenants.allSatisfy({ $0 == .succeeded }) {
            status = .succeeded
        } else if tenants.contains(.cancelled) && !tenants.contains(.failed) {
            status = .cancelled
        } else if tenants.contains(.interrupted) {
            status = .interrupted
        } else if tenants.contains(.succeeded) {
            status = .partial
        } else {
            status = .failed
        }
    }

    /// A tenant's part from its worker's result: a worker's `cancelled` is this run's cancel when the
    /// run was cancelled, and otherwise its worker stopping under it.
    public static func tenantStatus(of result: RunResult, runCancelled: Bool) -> TenantRunStatus {
        switch result.status {
        case .succeeded: .succeeded
        case .failed: .failed
        case .cancelled: runCancelled ? .cancelled : .interrupted
        }
    }

    /// The callback's `status`, which automation scenarios already read: `success`, `partial` or `error`.
    public static func callbackStatus(_ status: RunStatus) -> String {
        switch status {
        case .succeeded: "success"
        case .partial: "partial"
        default: "error"
        }
    }
}
