import Foundation
import Hummingbird
import Logging

/// The supervisor's HTTP API: sync requests, runs, tenants and health.
struct APIRouter {
    let fleet: WorkerFleet
    let coordinator: RunCoordinator

    /// The accepted answer to a sync request.
    struct SyncAccepted: Encodable {
        var success = true
        var message: String
        var status = "processing"
        var runID: String
        var timestamp: String
        var tenants: [String]

        enum CodingKeys: String, CodingKey {
            case success, message, status, timestamp, tenants
            case runID = "run_id"
        }
    }

    func build() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ in
            try JSONResponse.make(["status": "ok"])
        }
        router.group("/api")
            .post("/sync") { request, _ in try await startSync(request: request, tenantID: nil) }
            .post("/tenants/:tenant/sync") { request, context in
                try await startSync(request: request, tenantID: try context.parameters.require("tenant"))
            }
            .get("/runs/:run") { _, context in
                let runID = try context.parameters.require("run")
                guard let snapshot = try await coordinator.snapshot(runID) else {
                    throw APIError.notFound("no run with id \(runID)")
                }
                return try JSONResponse.make(snapshot)
            }
            .get("/tenants") { _, _ in
                try JSONResponse.make(["tenants": await fleet.statuses()])
            }
            .get("/tenants/:tenant") { _, context in
                let tenantID = try context.parameters.require("tenant")
                guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
                return try JSONResponse.make(await controller.status())
            }
        return router
    }

    private func startSync(request: Request, tenantID: String?) async throws -> Response {
        let options = try SyncRequestParser.options(from: request.uri.queryParameters)
        let tenantIDs: [String]
        if let tenantID {
            guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
            guard controller.tenant.enabled else { throw APIError.conflict("tenant_disabled", "tenant \(tenantID) is disabled") }
            tenantIDs = [tenantID]
        } else {
            tenantIDs = fleet.order.filter { fleet.controller(for: $0)?.tenant.enabled == true }
            guard !tenantIDs.isEmpty else { throw APIError.conflict("no_tenants", "no enabled tenants to sync") }
        }
        let runID = try await coordinator.submit(tenantIDs: tenantIDs, scope: tenantID ?? "all", trigger: "api", options: options)
        let body = SyncAccepted(
            message: "Background synchronization started for \(tenantIDs.count) tenant(s). This may take several minutes.",
            runID: runID,
            timestamp: Date().formatted(.iso8601),
            tenants: tenantIDs
        )
        return try JSONResponse.make(body, status: .accepted, headers: [.location: "/api/runs/\(runID)"])
    }
}
