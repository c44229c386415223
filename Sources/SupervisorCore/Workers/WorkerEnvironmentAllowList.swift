/// The environment variables a worker process may inherit from the supervisor; nothing else passes.
///
/// A worker parses untrusted upstream data, so it gets only what it needs to run: the locale, the
/// time zone, `PATH` and `HOME`, and the `TENANTSYNC_WORKER_*` switches it reads itself (log level
/// and the test-only faults of docs/operations.md). The supervisor's secrets (`TENANTSYNC_API_KEY`,
/// the webhook secret, database URLs, `PGPASSWORD`, …) never reach it: its tenant's configuration
/// comes over its pipe in `hello`. `TENANTSYNC_SUPERVISOR_PID` is set by the spawner itself.
enum WorkerEnvironmentAllowList {
    /// Variables passed on by name.
    static let names: Set<String> = [
        "PATH", "LANG", "TZ", "HOME",
        "TENANTSYNC_WORKER_LOG_LEVEL",
        "TENANTSYNC_WORKER_FAULT", "TENANTSYNC_WORKER_FAULT_TENANT", "TENANTSYNC_WORKER_FAULT_ONCE",
        "TENANTSYNC_WORKER_HELLO", "TENANTSYNC_WORKER_FLOOD_SECONDS", "TENANTSYNC_WORKER_BAD_LINES",
        "TENANTSYNC_SUPERVISOR_PID",
    ]

    /// Whether a worker may inherit `name`: one of ``names``, or a locale category (`LC_*`).
    static func allows(_ name: String) -> Bool {
        names.contains(name) || name.hasPrefix("LC_")
    }

    /// `environment` with every variable a worker may not inherit removed.
    static func filter(_ environment: [String: String]) -> [String: String] {
        environment.filter { allows($0.key) }
    }
}
