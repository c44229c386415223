import IPC
import Support

/// One spawned worker process, from spawn to exit, as its controller sees it: what it said about
/// itself, when it was last heard from and last made progress, the sync in its hands and its
/// resource use, and whether it is healthy.
///
/// ``TenantWorkerController`` keeps one while the process lives and drops it at the exit, so
/// nothing of one worker (its fatal error, its progress, its CPU sample) is ever read as its
/// successor's. Everything here but the process handle is plain state: the health rules are a
/// function of it and of the clock, testable without a process.
struct WorkerSession: Sendable {
    /// A sync the worker was given, and whoever waits for its end.
    struct SyncInHand: Sendable {
        let runID: String
        let continuation: CheckedContinuation<SyncOutcome, Never>
        /// The sync's attempts, where this one's progress is recorded as it comes.
        let attempts: LockedValue<SyncAttempts>
        let onProgress: @Sendable (SyncProgress) -> Void
    }

    let process: WorkerProcess
    /// What the worker said before exiting for good; it takes no more syncs.
    private(set) var fatal: Fatal?
    /// When the worker last said anything: heartbeats and every other message.
    private(set) var lastHeardAt: ContinuousClock.Instant
    /// When the sync in hand last made progress (or started).
    private(set) var lastProgressAt: ContinuousClock.Instant?
    private(set) var latestProgress: SyncProgress?
    private(set) var syncInHand: SyncInHand?
    private(set) var sample: ProcessSample?
    private(set) var cpuPercent: Double?

    init(process: WorkerProcess, at now: ContinuousClock.Instant) {
        self.process = process
        self.lastHeardAt = now
    }

    var pid: Int32 { process.pid }

    /// The worker said something, whatever it was.
    mutating func heard(at now: ContinuousClock.Instant) {
        lastHeardAt = now
    }

    mutating func reported(_ fatal: Fatal) {
        self.fatal = fatal
    }

    /// The worker was given `runID`; its progress and result go to `continuation` and `onProgress`.
    mutating func handOver(
        _ runID: String, to continuation: CheckedContinuation<SyncOutcome, Never>, attempts: LockedValue<SyncAttempts>,
        onProgress: @escaping @Sendable (SyncProgress) -> Void, at now: ContinuousClock.Instant
    ) {
        syncInHand = SyncInHand(runID: runID, continuation: continuation, attempts: attempts, onProgress: onProgress)
        lastProgressAt = now
    }

    /// Gives the worker `command`, its progress and result to go to `continuation` and `onProgress`;
    /// `false`, with nothing left in hand, when the worker's input is closed. The attempt is counted in
    /// `attempts` once the worker has it, and a cancel asked for meanwhile (`cancelReason`) follows at
    /// once: the worker cancels a run it has not started yet.
    mutating func start(
        _ command: SyncCommand, for continuation: CheckedContinuation<SyncOutcome, Never>, attempts: LockedValue<SyncAttempts>,
        cancelReason: () -> String?, onProgress: @escaping @Sendable (SyncProgress) -> Void, at now: ContinuousClock.Instant
    ) -> Bool {
        handOver(command.runID, to: continuation, attempts: attempts, onProgress: onProgress, at: now)
        guard process.send(.sync(command)) else {
            _ = takeSyncInHand()
            return false
        }
        attempts.withLock { $0.begin() }
        if let reason = cancelReason() {
            process.send(.cancel(CancelRun(runID: command.runID, reason: reason)))
        }
        return true
    }

    /// Records progress of the sync in hand and returns who wants to hear of it; `nil` for progress
    /// of any other run.
    mutating func progressed(_ progress: SyncProgress, at now: ContinuousClock.Instant) -> SyncInHand? {
        guard let syncInHand, syncInHand.runID == progress.runID else { return nil }
        lastProgressAt = now
        latestProgress = progress
        syncInHand.attempts.withLock { $0.record(progress) }
        return syncInHand
    }

    /// Ends the sync in hand when `result` is its result, and returns whoever waited for it; `nil`,
    /// changing nothing, for the result of any other run.
    mutating func finish(with result: RunResult) -> SyncInHand? {
        guard syncInHand?.runID == result.runID else { return nil }
        return takeSyncInHand()
    }

    /// Ends the sync in hand (its result came, it could not be sent, or the worker died) and returns
    /// whoever waited for it.
    mutating func takeSyncInHand() -> SyncInHand? {
        defer {
            syncInHand = nil
            latestProgress = nil
            lastProgressAt = nil
        }
        return syncInHand
    }

    /// Takes a `/proc` sample of the process and works out its CPU use since the last one.
    mutating func sampleResources(at now: ContinuousClock.Instant) {
        guard let fresh = ProcessSample.read(pid: process.pid, at: now) else { return }
        if let sample { cpuPercent = fresh.cpuPercent(since: sample) }
        sample = fresh
    }

    /// Why the worker must be killed and replaced now, or `nil` while it is healthy: silent past the
    /// heartbeat timeout, without progress during a sync past the stuck timeout, or over its memory limit.
    func unhealthyCause(syncing: Bool, liveness: LivenessPolicy, at now: ContinuousClock.Instant) -> String? {
        if now - lastHeardAt > liveness.heartbeatTimeout {
            return "no heartbeat for \(Self.describe(now - lastHeardAt)) (limit \(Self.describe(liveness.heartbeatTimeout)))"
        }
        if syncing, let lastProgressAt, now - lastProgressAt > liveness.stuckTimeout {
            return "stuck: no progress for \(Self.describe(now - lastProgressAt)) during a sync (limit \(Self.describe(liveness.stuckTimeout)))"
        }
        if let limit = liveness.memoryLimitBytes, let resident = sample?.residentBytes, resident > limit {
            return "resident memory \(resident / 1_048_576) MiB over the limit of \(limit / 1_048_576) MiB"
        }
        return nil
    }

    static func describe(_ duration: Duration) -> String {
        String(format: "%.1fs", duration.seconds)
    }
}
