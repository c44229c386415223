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

    struct RunRequest: Sendable {
        var runID: String
        var tenantIDs: [String]
        var options: SyncOptions
    }

    init(store: RunStore, fleet: WorkerFleet, concurrency: Int, logger: Logger) {
        self.store = store
        self.fleet = fleet
        self.logger = logger
        self.permits = AsyncSemaphore(value: concurrency)
        (requests, requestSink) = AsyncStream.makeStream(of: RunRequest.self)
    }

    /// Stores a new run over `tenantIDs` and queues it; returns its id.
    public func submit(tenantIDs: [String], scope: String, trigger: String, options: SyncOptions) async throws -> String {
        let runID = Self.makeRunID()
        try await store.create(runID: runID, scope: scope, trigger: trigger, tenantIDs: tenantIDs, options: options)
        logger.info("run queued", metadata: ["sync.run_id": "\(runID)", "run.tenants": "\(tenantIDs.count)", "run.scope": "\(scope)"])
        requestSink.yield(RunRequest(runID: runID, tenantIDs: tenantIDs, options: options))
        return runID
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

    public func run() async throws {
        let interrupted = try await store.interruptAbandonedRuns()
        if !interrupted.isEmpty {
            logger.warning("marked runs of a previous supervisor as interrupted", metadata: ["run.ids": "\(interrupted.joined(separator: ","))"])
        }
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
        let status = Self.runStatus(statuses)
        let failed = statuses.filter { $0 != "succeeded" }.count
        let error = failed == 0 ? nil : "\(failed) of \(statuses.count) tenants did not succeed"
        do {
            try await store.finishRun(request.runID, status: status, error: error)
        } catch {
            logger.error("cannot record run end", metadata: ["error": "\(error)"])
        }
        live.forget(request.runID)
        logger.info("run finished", metadata: ["run.status": "\(status)"])
    }

    private func execute(_ request: RunRequest, tenantID: String, logger: Logger) async -> String {
        await permits.withPermit {
            var logger = logger
            logger[metadataKey: "tenant.id"] = "\(tenantID)"
            let result: RunResult
            if let controller = fleet.controller(for: tenantID) {
                try? await store.markTenantStarted(request.runID, tenantID: tenantID)
                let command = SyncCommand(runID: request.runID, full: request.options.full, startDate: request.options.startDate, endDate: request.options.endDate)
                result = await controller.sync(command) { [live] progress in
                    live.record(progress, tenantID: tenantID)
                }
            } else {
                result = RunResult(runID: request.runID, status: .failed, streams: [], error: "unknown tenant \(tenantID)", durationMilliseconds: 0)
            }
            let status = result.status == .cancelled ? "interrupted" : result.status.rawValue
            do {
                try await store.finishTenant(request.runID, tenantID: tenantID, status: status, result: result)
            } catch {
                logger.error("cannot record tenant result", metadata: ["error": "\(error)"])
            }
            logger.info("tenant finished", metadata: [
                "run.status": "\(status)", "sync.created": "\(result.totals.created)", "sync.updated": "\(result.totals.updated)",
                "sync.unchanged": "\(result.totals.unchanged)", "error": "\(result.error ?? "")",
            ])
            return status
        }
    }

    /// The run's status from its tenants' statuses.
    static func runStatus(_ statuses: [String]) -> String {
        if statuses.allSatisfy({ $0 == "succeeded" }) { return "succeeded" }
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

