/// What is asked of a tenant's worker from outside its own life: an operator's verb, the lease manager's
/// start, fence or hand-over, the supervisor's shutdown.
///
/// Each is one ``WorkerLifecycle`` event with its cause (what `state_cause` shows afterwards); one that
/// stops a worker may wait for it to exit. ``TenantWorkerController/carryOut(_:)`` carries them out.
enum WorkerCommand: Sendable, Equatable {
    /// An operator starts the worker if none runs; an errored one gets a fresh crash history.
    case start
    /// An operator stops the worker gracefully; it stays stopped until started.
    case stop
    /// An operator stops the worker gracefully and starts a new one.
    case restart
    /// An operator SIGKILLs the worker's process group; it stays stopped until started.
    case kill
    /// This supervisor came to hold the tenant's lease.
    case leaseAcquired
    /// The lease is gone or about to end unrenewed (fencing): SIGKILL now, `cause` saying why.
    case leaseLost(cause: String)
    /// The lease goes to another supervisor: the worker stops gracefully first.
    case handBack
    /// The supervisor shuts down: the worker stops gracefully and stays stopped.
    case shutdown

    /// The lifecycle event the command is, given at `now`.
    func event(at now: ContinuousClock.Instant) -> WorkerLifecycle.Event {
        switch self {
        case .start: .start(cause: "started by an operator", at: now)
        case .stop: .stop(cause: "stopped by an operator")
        case .restart: .restart(cause: "restarted by an operator", at: now)
        case .kill: .kill(cause: "killed by an operator")
        case .leaseAcquired: .start(cause: "lease acquired", at: now)
        case .leaseLost(let cause): .kill(cause: cause)
        case .handBack: .stop(cause: "lease handed to another supervisor")
        case .shutdown: .stop(cause: "supervisor shutting down")
        }
    }

    /// Whether only the supervisor holding the tenant's lease may carry it out: an operator's start or
    /// restart, which would otherwise leave a worker no lease fences.
    var needsLease: Bool {
        self == .start || self == .restart
    }

    /// How long the command waits for the worker it stops to exit, with `gracePeriod` the time a worker
    /// gets after `shutdown`; `nil` for a command that does not wait.
    func exitTimeout(gracePeriod: Duration) -> Duration? {
        switch self {
        case .kill, .leaseLost: .seconds(5)
        case .handBack: gracePeriod + .seconds(5)
        case .start, .stop, .restart, .leaseAcquired, .shutdown: nil
        }
    }
}
