import Foundation
import IPC
import Logging
import ServiceLifecycle
import Support

/// Accepts sync requests, records them, and runs them in the background across tenants.
///
/// ``submit(tenantIDs:scope:trigger:options:)`` returns as soon as the run is stored, so an HTTP
/// caller gets `202 Accepted` at once. The service's `run()` executes runs concurrently in one
/// task group; each tenant's part is a ``TenantRunner``'s, and at most `concurrency` tenants sync at
/// any moment across all runs (``SyncSlots``: round-robin across runs, `max_per_host` per upstream).
public final class RunCoordinator: Service, Sendable {
    let store: RunStore
    let fleet: WorkerFleet
    let logger: Logger
    private let requests: AsyncStream<RunRequest>
    let requestSink: AsyncStream<RunRequest>.Continuation
    let events = RunEventLog()
    let outbox: any RunEndOutbox
    let cancelled = CancelledRuns()
    let active = ActiveTenantRuns()
    /// Tenant rows of runs this supervisor runs or follows itself, which the queue poller leaves alone.
    let handledHere = HandledTenantRows()
    let live = LiveProgress()
    /// Sync-all runs none of whose tenants has started, which a matching sync-all joins.
    let unstarted = UnstartedRuns()
    /// Tenants this supervisor holds; `nil` runs every tenant here (no lease manager).
    let leases: LeaseTable?
    let stopping = LockedValue(false)
    /// Where runs, tenant syncs and the queue are counted; `nil` counts nothing.
    let metrics: SupervisorMetrics?
    /// Each tenant's part of a run.
    let runner: TenantRunner
    var durable: DurableWrites { runner.durable }
    /// Cancels of runs here and on other supervisors.
    let cancels: RunCancels

    init(
        store: RunStore, fleet: WorkerFleet, slots: SyncSlots, outbox: any RunEndOutbox, leases: LeaseTable? = nil, pollInterval: Double = 1,
        metrics: SupervisorMetrics? = nil, logger: Logger
    ) {
        self.metrics = metrics
        metrics?.prepareQueueSeries()
        self.leases = leases
        self.outbox = outbox
        self.store = store
        self.fleet = fleet
        self.logger = logger
        runner = TenantRunner(
            store: store, fleet: fleet, slots: slots, live: live, events: events, cancelled: cancelled, active: active,
            handledHere: handledHere, unstarted: unstarted, leases: leases, metrics: metrics, durable: DurableWrites(stopping: stopping), pollInterval: pollInterval
        )
        cancels = RunCancels(
            store: RunCancelStore(store), fleet: fleet, outbox: outbox, cancelled: cancelled, handledHere: handledHere, stopping: stopping,
            pollInterval: pollInterval, logger: logger
        )
        (requests, requestSink) = AsyncStream.makeStream(of: RunRequest.self)
    }

    /// Stores a new run over `tenantIDs` and queues it; returns its id.
    public func submit(tenantIDs: [String], scope: String, trigger: String, options: SyncOptions) async throws -> String {
        try await submitJoining(tenantIDs: tenantIDs, scope: scope, trigger: trigger, options: options).runID
    }

    /// What a sync request started, or joined.
    public struct Submission: Sendable {
        /// The run the caller should follow.
        public var runID: String
        /// Whether the request joined a run already in progress instead of starting one.
        public var joined: Bool
    }

    /// Like ``submit(tenantIDs:scope:trigger:options:)``, but joins a run instead of queueing another:
    /// a request for one tenant (scope = that tenant) that is already syncing in a one-tenant run with
    /// the same options joins that run, and a sync-all joins a sync-all of the same tenants and options
    /// none of whose tenants has started yet, even one still being stored (``UnstartedRuns``). (A tenant syncing as part of another
    /// run is joined, or waited for, by its worker controller instead.)
    public func submitJoining(tenantIDs: [String], scope: String, trigger: String, options: SyncOptions) async throws -> Submission {
        let runID = Self.makeRunID()
        // The tenant is claimed before the run is stored, in one step with the check, so two
        // requests arriving together cannot both start a run of it.
        if tenantIDs == [scope], let holder = active.claim(scope, for: runID, options: options) {
            logger.info("tenant already syncing; request joined the run in progress", metadata: [
                "tenant.id": "\(scope)", "sync.run_id": "\(holder)",
            ])
            return Submission(runID: holder, joined: true)
        }
        let key = tenantIDs == [scope] ? nil : UnstartedRuns.Key(tenantIDs: tenantIDs, options: options)
        if let key, case .joined(let queued) = try await unstarted.enter(key, runID: runID, accepts: { [cancelled, leases] runID in
            // A cancelled run never syncs; a tenant held elsewhere may start there at any moment.
            !cancelled.contains(runID) && tenantIDs.allSatisfy { leases?.runsHere($0) != false }
        }) {
            logger.info("a sync-all of the same tenants is queued and has not started; request joined it", metadata: [
                "sync.run_id": "\(queued)", "run.tenants": "\(tenantIDs.count)",
            ])
            return Submission(runID: queued, joined: true)
        }
        // Registered before the rows exist, so the queue poller never races this run's own tasks.
        handledHere.insert(runID, tenantIDs)
        do {
            try await store.create(runID: runID, scope: scope, trigger: trigger, tenantIDs: tenantIDs, options: options)
        } catch {
            for tenantID in tenantIDs {
                handledHere.remove(runID, tenantID)
                active.release(tenantID, from: runID)
            }
            if key != nil { unstarted.failed(runID, error: error) }
            throw error
        }
        events.start(runID)
        cancelled.open(runID)
        if key != nil { unstarted.stored(runID) }
        logger.info("run queued", metadata: ["sync.run_id": "\(runID)", "run.tenants": "\(tenantIDs.count)", "run.scope": "\(scope)"])
        requestSink.yield(RunRequest(runID: runID, tenantIDs: tenantIDs, options: options, trigger: trigger))
        return Submission(runID: runID, joined: false)
    }

    /// The run as stored, with live progress of its running tenants.
    public func snapshot(_ runID: String) async throws -> RunSnapshot? {
        guard var snapshot = try await store.fetch(runID) else { return nil }
        let progress = live.progress(of: runID)
        // Progress is kept until the run ends; a tenant that has finished shows its counts, not it.
        for index in snapshot.tenants.indices where snapshot.tenants[index].status == .running {
            snapshot.tenants[index].progress = progress[snapshot.tenants[index].tenantID]
        }
        return snapshot
    }

    /// Marks runs a previous supervisor left unfinished as interrupted (queuing their callbacks): runs of
    /// this supervisor's id and, with the default `host:pid` id (`defaultHost` set), runs of dead
    /// supervisors of this host, which a restart with the default id cannot recognise by its own id.
    ///
    /// Called before the API accepts requests, so it can never catch a run this supervisor just queued.
    func recoverAbandonedRuns(defaultHost: String? = nil) async throws {
        var deadOwners: [String] = []
        if let defaultHost { deadOwners = try await store.deadLocalRunOwners(host: defaultHost) }
        let interrupted = try await store.interruptAbandonedRuns(outbox: outbox, deadOwners: deadOwners)
        guard !interrupted.isEmpty else { return }
        logger.warning("marked runs of a previous supervisor as interrupted", metadata: [
            "run.ids": "\(interrupted.map(\.runID).joined(separator: ","))",
        ])
        // Their unfinished tenants sync again, in one new run per interrupted run.
        for run in interrupted {
            let tenantIDs = run.tenantIDs.filter { fleet.controller(for: $0)?.tenant.enabled == true }
            guard !tenantIDs.isEmpty else { continue }
            let requeued = try await submit(tenantIDs: tenantIDs, scope: run.scope, trigger: "requeue:\(run.runID)", options: run.options)
            logger.info("re-queued an interrupted run", metadata: ["sync.run_id": "\(requeued)", "run.interrupted": "\(run.runID)"])
        }
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { [requestSink] in
                try? await gracefulShutdown()
                self.stopping.withLock { $0 = true }
                requestSink.finish()
            }
            if let leases {
                let poller = QueuedRowPoller(runner: runner, leases: leases, outbox: outbox, logger: logger)
                group.addTask { await poller.run() }
            }
            group.addTask { [cancels] in await cancels.pollCancelRequests() }
            for await request in requests {
                group.addTask { await self.execute(request) }
            }
        }
    }

    private func execute(_ request: RunRequest) async {
        var logger = self.logger
        logger[metadataKey: "sync.run_id"] = "\(request.runID)"
        do {
            try await store.markRunStarted(request.runID)
        } catch {
            logger.error("cannot record run start", metadata: ["error": "\(error)"])
        }
        let runLogger = logger
        let outcomes = await withTaskGroup(of: TenantRunStatus?.self) { group in
            for tenantID in request.tenantIDs {
                group.addTask { await self.runner.run(request, tenantID: tenantID, logger: runLogger) }
            }
            var outcomes: [TenantRunStatus?] = []
            for await status in group { outcomes.append(status) }
            return outcomes
        }
        unstarted.started(request.runID)
        let statuses = outcomes.compactMap { $0 }
        guard statuses.count == outcomes.count else {
            // Shutting down while other supervisors still run some tenants: the last of them ends the run.
            _ = cancelled.seal(request.runID)
            live.forget(request.runID)
            events.append(request.runID, name: "completed", data: RunEndedEvent(runID: request.runID, status: .running, error: "this supervisor stopped; other supervisors end the run", results: nil), final: true)
            cancelled.remove(request.runID)
            logger.info("supervisor stopping; tenants held elsewhere end the run")
            return
        }
        // From here on a cancel is refused (`run_finished`): the outcome is being decided.
        let wasCancelled = cancelled.seal(request.runID)
        let (store, outbox) = (self.store, self.outbox)
        let stored = await durable.untilStored("the run's end", logger: logger) {
            try await store.finishRun(request.runID, tenants: statuses, cancelled: wasCancelled, outbox: outbox)
        }
        // As stored: a cancel another supervisor recorded in the run's row counts, as does another's end of it.
        let outcome = RunOutcome(tenants: statuses, cancelled: wasCancelled)
        let status = (stored ?? nil)?.status ?? outcome.status
        var final = RunEndedEvent(runID: request.runID, status: status, error: (stored ?? nil).map(\.error) ?? outcome.error, results: nil)
        if let snapshot = stored ?? nil {
            final.results = RunResults(snapshot.tenants.flatMap(\.streams))
            final.durationSeconds = snapshot.durationSeconds
        }
        live.forget(request.runID)
        events.append(request.runID, name: "completed", data: final, final: true)
        cancelled.remove(request.runID)
        metrics?.recordRunEnded(trigger: request.trigger, status: status)
        logger.info("run finished", metadata: ["run.status": "\(status)"])
    }

    /// Asks a run to stop, wherever it runs; see ``RunCancels/cancel(_:)``.
    func cancel(_ runID: String) async throws -> CancelledRuns.Answer {
        try await cancels.cancel(runID)
    }

    /// Recent runs, newest first.
    func list(tenant: String?, scope: String?, status: RunStatus?, limit: Int) async throws -> [RunSnapshot] {
        try await store.list(tenant: tenant, scope: scope, status: status, limit: limit)
    }

    /// Waits until the run has ended (its `completed` event), then returns it as stored.
    func waitForEnd(_ runID: String) async throws -> RunSnapshot? {
        if let subscription = events.subscribe(runID, after: 0), let live = subscription.live {
            for await _ in live {}
        }
        return try await snapshot(runID)
    }

    /// A sortable, unique run id: time in milliseconds then random hex.
    static func makeRunID() -> String {
        let milliseconds = UInt64(Date().timeIntervalSince1970 * 1000)
        let random = UInt32.random(in: 0...UInt32.max)
        return "run_" + String(milliseconds, radix: 36) + HexDigits.padded(random, width: 8)
    }
}

