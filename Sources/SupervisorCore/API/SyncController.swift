import Foundation
import Hummingbird

/// `POST /api/sync` and `POST /api/tenants/{id}/sync`: start a run in the background (`202`), or wait
/// for its end with `background=false` (`200`).
struct SyncController {
    let fleet: WorkerFleet
    let coordinator: RunCoordinator
    let authenticator: APIKeyAuthenticator

    /// The accepted answer to a sync request.
    struct SyncAccepted: ResponseCodable {
        var success = true
        var message: String
        var status = "processing"
        var runID: String
        var timestamp: String
        var tenants: [String]
        /// Whether the request joined a run instead of starting one: a run already syncing this tenant, or a
        /// sync-all of the same tenants and options that has not started.
        var joined = false

        enum CodingKeys: String, CodingKey {
            case success, message, status, timestamp, tenants, joined
            case runID = "run_id"
        }
    }

    /// The answer to `?background=false`: the run's end, with the callback's `results`.
    struct SyncFinished: ResponseCodable {
        var success: Bool
        var message: String
        var status: RunStatus
        var runID: String
        var timestamp: String
        var results: RunResults
        var run: RunSnapshot

        enum CodingKeys: String, CodingKey {
            case success, message, status, timestamp, results, run
            case runID = "run_id"
        }
    }

    func addRoutes(to api: RouterGroup<APIRequestContext>) {
        api.post("/sync", use: syncAll)
        api.post("/tenants/:tenant/sync", use: syncTenant)
    }

    @Sendable func syncAll(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard try authenticator.principal(of: request).tenant == nil else {
            throw APIError.forbidden("this API key is limited to one tenant; use POST /api/tenants/{id}/sync")
        }
        return try await startSync(request: request, context: context, tenantID: nil)
    }

    @Sendable func syncTenant(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await startSync(request: request, context: context, tenantID: try context.parameters.require("tenant"))
    }

    private func startSync(request: Request, context: APIRequestContext, tenantID: String?) async throws -> Response {
        let options = try SyncRequestParser.options(from: request.uri.queryParameters)
        let background = try SyncRequestParser.background(from: request.uri.queryParameters)
        let tenantIDs: [String]
        if let tenantID {
            guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
            guard controller.tenant.enabled else { throw APIError.conflict(.tenantDisabled, "tenant \(tenantID) is disabled") }
            tenantIDs = [tenantID]
        } else {
            tenantIDs = fleet.order.filter { fleet.controller(for: $0)?.tenant.enabled == true }
            guard !tenantIDs.isEmpty else { throw APIError.conflict(.noTenants, "no enabled tenants to sync") }
        }
        let submission = try await coordinator.submitJoining(tenantIDs: tenantIDs, scope: tenantID ?? "all", trigger: "api", options: options)
        let runID = submission.runID
        guard background else {
            guard let run = try await coordinator.waitForEnd(runID) else { throw APIError.internalError("run \(runID) vanished") }
            let body = SyncFinished(
                success: run.status == .succeeded,
                message: "Synchronization finished: \(run.status.rawValue). New: \(run.totals.created), Updated: \(run.totals.updated).",
                status: run.status,
                runID: runID,
                timestamp: Date().formatted(.iso8601),
                results: RunResults(run.tenants.flatMap(\.streams)),
                run: run
            )
            return try EditedResponse(headers: [.location: "/api/runs/\(runID)"], response: body).response(from: request, context: context)
        }
        let body = SyncAccepted(
            message: Self.acceptedMessage(submission, tenantIDs: tenantIDs, scopedTo: tenantID),
            runID: runID,
            timestamp: Date().formatted(.iso8601),
            tenants: tenantIDs,
            joined: submission.joined
        )
        return try EditedResponse(status: .accepted, headers: [.location: "/api/runs/\(runID)"], response: body).response(from: request, context: context)
    }

    /// What a `202` says: a run started, or which run the request joined and why.
    private static func acceptedMessage(_ submission: RunCoordinator.Submission, tenantIDs: [String], scopedTo tenantID: String?) -> String {
        let runID = submission.runID
        if !submission.joined {
            return "Background synchronization started for \(tenantIDs.count) tenant(s). This may take several minutes."
        }
        if let tenantID {
            return "Tenant \(tenantID) is already syncing in run \(runID); this request joined that run."
        }
        return "A sync of the same \(tenantIDs.count) tenant(s) with the same options is queued in run \(runID) and has not started; this request joined it."
    }
}
