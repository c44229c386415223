/// Exit statuses a worker uses to tell the supervisor how it ended.
public enum WorkerExitCode {
    /// Clean exit after `shutdown` or stdin EOF.
    public static let success: Int32 = 0
    /// Transient failure (database unreachable, crash): restart with backoff.
    public static let failure: Int32 = 1
    /// Permanent failure (bad configuration, protocol mismatch): do not restart until told to.
    ///
    /// The value is `EX_CONFIG` from `sysexits.h`.
    public static let permanentFailure: Int32 = 78
}
