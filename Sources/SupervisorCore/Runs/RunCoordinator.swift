import Foundation
import IPC
import Logging
import ServiceLifecycle

/// Accepts sync requests, records them, and runs them in the background across tenants.
///
/// ``submit(tenantIDs:scope:trigger:options:)`` returns as soon as the run is stored, so an HTTP
/// caller gets `202 Accepted` at once. The service's `run()` executes runs concurrently in one
/// task group; at most `concurrency` tenants sync at any moment across all runs, the rest wait
/// first in, first out.
public final class RunCoordinator: Service, Sendable {
    private let store: RunStore
    private let fleet: WorkerFleet
    private let logger: Logger
    private let permits: AsyncSemaphore
    private let requests: AsyncStream<RunRequest>
    private let requestSink: AsyncStream<RunRequest>.Continuation
    private let live = LiveProgress()
    let events = RunEventLog()
    private let outbox: WebhookOutbox
    private let cancelled = CancelledRuns()
    private let active = ActiveTenantRuns()

    struct RunRequest: Sendable {
        var runID: String
        var tenantIDs: [String]
        var options: SyncOptions
    }

    init(store: RunStore, fleet: WorkerFleet, concurrency: Int, outbox: WebhookOutbox, logger: Logger) {
        self.outbox = outbox
        self.store = store
        self.fleet = fleet
        self.logger = logger
        self.permits = AsyncSemaphore(value: concurrency)
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

    /// Like ``submit(tenantIDs:scope:trigger:options:)``, but a request for one tenant that is already
    /// syncing in a run of its own joins that run instead of queueing a second sync of the tenant.
    /// (A tenant syncing as part of a larger run is joined by its worker controller instead.)
    public func submitJoining(tenantIDs: [String], scope: String, trigger: String, options: SyncOptions) async throws -> Submission {
        if tenantIDs.count == 1, let holder = active.run(of: tenantIDs[0]) {
            logger.info("tenant already syncing; request joined the run in progress", metadata: [
                "tenant.id": "\(tenantIDs[0])", "sync.run_id": "\(holder)",
            ])
            return Submission(runID: holder, joined: true)
        }
        let runID = Self.makeRunID()
        try await store.create(runID: runID, scope: scope, trigger: trigger, tenantIDs: tenantIDs, options: options)
        events.start(runID)
        logger.info("run queued", metadata: ["sync.run_id": "\(runID)", "run.tenants": "\(tenantIDs.count)", "run.scope": "\(scope)"])
        // Only one-tenant runs are joinable: a key scoped to that tenant may always follow them.
        if tenantIDs.count == 1 { _ = active.claim(tenantIDs, for: runID) }
        requestSink.yield(RunRequest(runID: runID, tenantIDs: tenantIDs, options: options))
        return Submission(runID: runID, joined: false)
    }

    /// The run as stored, with live progress of its running tenants.
    public func snapshot(_ runID: String) async throws -> RunSnapshot? {
        guard var snapshot = try await store.fetch(runID) else { return nil }
        let progress = live.progress(of: runID)
        for index in snapshot.tenants.indices {
            snapshot.tenants[index].progress = progress[snapshot.tenants[index].tenantID]
        }
        return snapshot
    }

    /// Marks runs a previous supervisor left unfinished as interrupted (queuing their callbacks).
    ///
    /// Called before the API accepts requests, so it can never catch a run this supervisor just queued.
    func recoverAbandonedRuns() async throws {
        let interrupted = try await store.interruptAbandonedRuns(outbox: outbox)
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
                requestSink.finish()
            }
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
        let statuses = await withTaskGroup(of: String.self) { group in
            for tenantID in request.tenantIDs {
                group.addTask { await self.execute(request, tenantID: tenantID, logger: runLogger) }
            }
            var statuses: [String] = []
            for await status in group { statuses.append(status) }
            return statuses
        }
        let wasCancelled = cancelled.contains(request.runID)
        let status = wasCancelled ? "cancelled" : Self.runStatus(statuses)
        let failed = statuses.filter { $0 != "succeeded" }.count
        let error = wasCancelled ? "run cancelled" : failed == 0 ? nil : "\(failed) of \(statuses.count) tenants did not succeed"
        var final = RunEndedEvent(runID: request.runID, status: status, error: error, results: nil)
        do {
            if let snapshot = try await store.finishRun(request.runID, status: status, error: error, outbox: outbox) {
                final.results = WebhookPayload.results(snapshot.tenants.flatMap(\.streams))
                final.durationSeconds = snapshot.durationSeconds
            }
        } catch {
            logger.error("cannot record run end", metadata: ["error": "\(error)"])
        }
        live.forget(request.runID)
        cancelled.remove(request.runID)
        events.append(request.runID, name: "completed", data: final, final: true)
        logger.info("run finished", metadata: ["run.status": "\(status)"])
    }

    private func execute(_ request: RunRequest, tenantID: String, logger: Logger) async -> String {
        await permits.withPermit {
            var logger = logger
            logger[metadataKey: "tenant.id"] = "\(tenantID)"
            let result: RunResult
            if cancelled.contains(request.runID), (try? await store.cancelQueuedTenant(request.runID, tenantID: tenantID)) == true {
                logger.info("tenant cancelled before it started")
                events.append(request.runID, name: "tenant_completed", data: TenantEndedEvent(tenantID: tenantID, status: "cancelled", error: "run cancelled before the tenant started"))
                return "cancelled"
            }
            if let controller = fleet.controller(for: tenantID) {
                try? await store.markTenantStarted(request.runID, tenantID: tenantID)
                let command = SyncCommand(runID: request.runID, full: request.options.full, startDate: request.options.startDate, endDate: request.options.endDate)
                result = await controller.sync(command) { [live, events] progress in
                    live.record(progress, tenantID: tenantID)
                    events.append(request.runID, name: "progress", data: ProgressEvent(tenantID: tenantID, progress: progress))
                }
            } else {
                result = RunResult(runID: request.runID, status: .failed, streams: [], error: "unknown tenant \(tenantID)", durationMilliseconds: 0)
            }
            defer { active.release(tenantID, from: request.runID) }
            let status = result.status == .cancelled ? "interrupted" : result.status.rawValue
            do {
                try await store.finishTenant(request.runID, tenantID: tenantID, status: status, result: result)
            } catch {
                logger.error("cannot record tenant result", metadata: ["error": "\(error)"])
            }
            if let error = result.error, status != "succeeded" {
                events.append(request.runID, name: "error", data: TenantEndedEvent(tenantID: tenantID, status: status, error: error))
            }
            events.append(request.runID, name: "tenant_completed", data: TenantEndedEvent(
                tenantID: tenantID, status: status, error: result.error, counts: result.totals, results: WebhookPayload.results(result.streams)
            ))
            logger.info("tenant finished", metadata: [
                "run.status": "\(status)", "sync.created": "\(result.totals.created)", "sync.updated": "\(result.totals.updated)",
                "sync.unchanged": "\(result.totals.unchanged)", "error": "\(result.error ?? "")",
            ])
            return status
        }
    }

    /// Asks a live run to stop: tenants still waiting for a slot are cancelled, running ones finish
    /// their sync, and the run ends `cancelled`. Returns false when the run is not live here.
    func cancel(_ runID: String) -> Bool {
        guard events.isLive(runID) else { return false }
        cancelled.insert(runID)
        logger.info("run cancel requested", metadata: ["sync.run_id": "\(runID)"])
        return true
    }

    /// Recent runs, newest first.
    func list(tenant: String?, scope: String?, status: String?, limit: Int) async throws -> [RunSnapshot] {
        try await store.list(tenant: tenant, scope: scope, status: status, limit: limit)
    }

    /// Waits until the run has ended (its `completed` event), then returns it as stored.
    func waitForEnd(_ runID: String) async throws -> RunSnapshot? {
        if let subscription = events.subscribe(runID, after: 0), let live = subscription.live {
            for await _ in live {}
        }
        return try await snapshot(runID)
    }

    /// The run's status from its tenants' statuses.
    static func runStatus(_ statuses: [String]) -> String {
        if statuses.allSatisfy({ $0 == "succeeded" }) { return "succeeded" }
        if statuses.contains("cancelled") && !statuses.contains("failed") { return "cancelled" }
        if statuses.contains("interrupted") { return "interrupted" }
        if statuses.contains("succeeded") { return "partial" }
        return "failed"
    }

    /// A sortable, unique run id: time in milliseconds then random hex.
    static func makeRunID() -> String {
        let milliseconds = UInt64(Date().timeIntervalSince1970 * 1000)
        let random = UInt32.random(in: 0...UInt32.max)
        return "run_" + String(milliseconds, radix: 36) + String(format: "%08x", random)
    }
}

