/// Deliberate misbehaviour for tests of supervision; never set it in production.
///
/// `TENANTSYNC_WORKER_FAULT` selects one fault; `TENANTSYNC_WORKER_FAULT_TENANT` limits it to one
/// tenant; `TENANTSYNC_WORKER_FAULT_ONCE` names a marker file so that only the first worker to
/// create it misbehaves (its restarted successor behaves). The fault sits between the real pipes
/// and ``WorkerRuntime``, so the runtime itself stays untouched.
///
/// For benchmarks against process supervisors that do not speak the protocol,
/// `TENANTSYNC_WORKER_HELLO` holds a `hello` line that the injector gives the runtime before
/// anything read from stdin, so the worker reaches `ready` on its own.
enum WorkerFault: String, Sendable {
    /// No misbehaviour: only useful with `TENANTSYNC_WORKER_HELLO`.
    case none = "none"
    /// SIGKILLs itself when the first progress of a sync is sent: a crash mid-sync.
    case crashOnSync = "crash-on-sync"
    /// Never starts the sync it is given, while heartbeats go on: a stuck worker.
    case hangOnSync = "hang-on-sync"
    /// Exits with status 1 right after `hello`: a crash loop.
    case exitAtStart = "exit-at-start"
    /// Exits with the permanent-failure status right after `hello`.
    case exitPermanent = "exit-permanent"
    /// Sends no heartbeats: a silent worker.
    case noHeartbeat = "no-heartbeat"
    /// Allocates and touches memory without end after `hello`.
    case leakMemory = "leak-memory"
    /// Once `ready` is out, writes `log` messages (`log-flood line N`) as fast as the supervisor takes
    /// them for `TENANTSYNC_WORKER_FLOOD_SECONDS` (default 10), then one `log-flood done N lines`
    /// message, then behaves: the log path's throughput and loss, counted by line number.
    case logFlood = "log-flood"
    /// Once `ready` is out, writes `TENANTSYNC_WORKER_BAD_LINES` (default 100) stdout lines that are not
    /// protocol messages (not JSON, an unknown `type`, a message missing its fields), then behaves.
    case badLines = "bad-lines"
    /// Answers `hello` with a `ready` that claims protocol version 99.
    case wrongProtocol = "wrong-protocol"
}
