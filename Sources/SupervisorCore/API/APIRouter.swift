import Foundation
import Hummingbird
import Logging

/// The supervisor's HTTP API: sync requests, runs, tenants and health.
///
/// Every `/api` route sits behind ``APIKeyMiddleware``; `/health` is open.
struct APIRouter {
    let fleet: WorkerFleet
    let coordinator: RunCoordinator
    let authenticator: APIKeyAuthenticator
    let deliveries: WebhookDeliveryStore

    /// The accepted answer to a sync request.
    struct SyncAccepted: Encodable {
        var success = true
        var message: String
        var status = "processing"
        var runID: String
        var timestamp: String
        var tenants: [String]
        /// Whether the request joined a run already syncing this tenant.
        var joined = false

        enum CodingKeys: String, CodingKey {
            case success, message, status, timestamp, tenants, joined
            case runID = "run_id"
        }
    }

    /// The answer to `?background=false`: the run's end, with the callback's `results`.
    struct SyncFinished: Encodable {
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

    func build() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ in
            try JSONResponse.make(["status": "ok"])
        }
        let api = router.group("/api").add(middleware: APIKeyMiddleware(authenticator: authenticator))
        api.post("/sync") { request, _ in
            guard try authenticator.principal(of: request).tenant == nil else {
                throw APIError.forbidden("this API key is limited to one tenant; use POST /api/tenants/{id}/sync")
            }
            return try await startSync(request: request, tenantID: nil)
        }
        api.post("/tenants/:tenant/sync") { request, context in
            try await startSync(request: request, tenantID: try context.parameters.require("tenant"))
        }
        api.get("/tenants") { request, _ in
            let principal = try authenticator.principal(of: request)
            let statuses = await fleet.statuses().filter { principal.may(use: $0.id) }
            return try JSONResponse.make(["tenants": statuses])
        }
        api.get("/tenants/:tenant") { _, context in
            let tenantID = try context.parameters.require("tenant")
            guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
            return try JSONResponse.make(await controller.status())
        }
        RunsAPI(coordinator: coordinator, authenticator: authenticator, deliveries: deliveries).register(on: api)
        // Feature routes register below, one line each.
        registerLogRoutes(on: api)
        registerControlRoutes(on: api)
        return router
    }

    private func startSync(request: Request, tenantID: String?) async throws -> Response {
        let options = try SyncRequestParser.options(from: request.uri.queryParameters)
        let background = try SyncRequestParser.background(from: request.uri.queryParameters)
        let tenantIDs: [String]
        if let tenantID {
            guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
            guard controller.tenant.enabled else { throw APIError.conflict("tenant_disabled", "tenant \(tenantID) is disabled") }
            tenantIDs = [tenantID]
        } else {
            tenantIDs = fleet.order.filter { fleet.controller(for: $0)?.tenant.enabled == true }
            guard !tenantIDs.isEmpty else { throw APIError.conflict("no_tenants", "no enabled tenants to sync") }
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
            return try JSONResponse.make(body, headers: [.location: "/api/runs/\(runID)"])
        }
        let body = SyncAccepted(
            message: submission.joined
                ? "Tenant \(tenantIDs[0]) is already syncing in run \(runID); this request joined that run."
                : "Background synchronization started for \(tenantIDs.count) tenant(s). This may take several minutes.",
            runID: runID,
            timestamp: Date().formatted(.iso8601),
            tenants: tenantIDs,
            joined: submission.joined
        )
        return try JSONResponse.make(body, status: .accepted, headers: [.location: "/api/runs/\(runID)"])
    }
}
