import Logging

/// Runs a tenant's schedule starts: stored by the scheduler in the transaction that fires the schedule,
/// then run like any other run (listed, streamed, called back), with trigger `schedule`.
extension RunCoordinator {
    /// The trigger of runs a schedule started.
    static let scheduleTrigger = "schedule"

    /// Takes `tenantID` for the scheduled run `runID`, about to be stored: false when a run of the
    /// tenant is in hand here (or the coordinator is stopping), and the fire is then skipped.
    ///
    /// Registered before the run's rows exist, like ``submitJoining(tenantIDs:scope:trigger:options:)``'s,
    /// so the queue poller never runs them beside this run's own task, and a request to sync the tenant
    /// meanwhile joins this run.
    func reserveScheduledRun(_ runID: String, tenantID: String) -> Bool {
        guard !stopping.withLock({ $0 }), active.claimIfIdle(tenantID, for: runID, options: ScheduleStore.scheduledRunOptions) else {
            return false
        }
        handledHere.insert(runID, [tenantID])
        return true
    }

    /// Gives back a reservation whose run was never stored (the transaction failed).
    func releaseScheduledRun(_ runID: String, tenantID: String) {
        handledHere.remove(runID, tenantID)
        active.release(tenantID, from: runID)
    }

    /// Runs the stored, reserved scheduled run `runID` of `tenantID`.
    func startScheduledRun(_ runID: String, tenantID: String) {
        events.start(runID)
        cancelled.open(runID)
        logger.info("scheduled run queued", metadata: ["sync.run_id": "\(runID)", "tenant.id": "\(tenantID)", "run.trigger": "\(Self.scheduleTrigger)"])
        requestSink.yield(RunRequest(runID: runID, tenantIDs: [tenantID], options: ScheduleStore.scheduledRunOptions, trigger: Self.scheduleTrigger))
    }
}
