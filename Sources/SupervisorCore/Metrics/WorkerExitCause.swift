import IPC

/// Why a worker process ended, as the `cause` label of `tenantsync_worker_exits_total`: a closed set.
enum WorkerExitCause: String, CaseIterable {
    /// Exit status 0: asked to stop, or finished.
    case clean
    /// The worker's own "retrying is pointless" status.
    case permanentFailure = "permanent_failure"
    /// Any other exit status.
    case failure
    /// Killed by a signal (a crash, or the supervisor's SIGKILL).
    case signal

    init(_ exit: WorkerExit) {
        if exit.signaled {
            self = .signal
        } else if exit.isClean {
            self = .clean
        } else if exit.isPermanentFailure {
            self = .permanentFailure
        } else {
            self = .failure
        }
    }
}
