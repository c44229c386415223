import Foundation
import Hummingbird

/// `/api/tenants`: workers' status, control of one tenant's worker (`start`, `stop`, `restart`,
/// `kill`), pausing and resuming its schedule (`pause`, `resume`), and tenants added, changed or
/// removed at runtime (`PUT`/`DELETE /api/tenants/{id}`, `POST /api/tenants/reload`) without touching
/// other tenants' workers.
struct TenantsController {
    let fleet: WorkerFleet
    let authenticator: APIKeyAuthenticator
    /// Pauses and resumes schedules; `nil` answers those routes with 500 (an API built without one).
    let scheduler: TenantScheduler?

    /// The body of `POST /api/tenants/reload`: the complete list of tenants wanted.
    struct ReloadRequest: Decodable {
        var tenants: [TenantConfiguration]
    }

    /// What a control verb does to the tenant's worker.
    enum Verb: String, CaseIterable {
        case start, stop, restart, kill
    }

    /// What a schedule verb does to the tenant's schedule.
    enum ScheduleVerb: String, CaseIterable {
        case pause, resume
    }

    func addRoutes(to api: RouterGroup<APIRequestContext>) {
        api.get("/tenants", use: list)
        api.get("/tenants/:tenant", use: show)
        for verb in Verb.allCases {
            api.post("/tenants/:tenant/\(verb.rawValue)") { request, context in try await control(verb, request, context: context) }
        }
        for verb in ScheduleVerb.allCases {
            api.post("/tenants/:tenant/\(verb.rawValue)") { request, context in try await schedule(verb, request, context: context) }
        }
        api.put("/tenants/:tenant", use: put)
        api.delete("/tenants/:tenant", use: delete)
        api.post("/tenants/reload", use: reload)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.Tenants {
        let principal = try authenticator.principal(of: request)
        return APIAnswers.Tenants(tenants: await fleet.statuses().filter { principal.may(use: $0.id) })
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> TenantStatus {
        let tenantID = try context.parameters.require("tenant")
        guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
        return await controller.status()
    }

    @Sendable func control(_ verb: Verb, _ request: Request, context: APIRequestContext) async throws -> APIAnswers.ControlDone {
        let tenantID = try context.parameters.require("tenant")
        guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
        if [.start, .restart].contains(verb), !controller.tenant.enabled {
            throw APIError.conflict(.tenantDisabled, "tenant \(tenantID) is disabled; enable it in the configuration first")
        }
        let done: TenantStatus?
        switch verb {
        case .start: done = await controller.start()
        case .stop: done = await controller.stop()
        case .restart: done = await controller.restart()
        case .kill: done = await controller.kill()
        }
        guard let status = done else {
            let owner = controller.environment.leases?.owner(of: tenantID).map { "supervisor \($0)" } ?? "no supervisor yet"
            throw APIError.conflict(.tenantRemote, "tenant \(tenantID) is held by \(owner); control its worker there")
        }
        return APIAnswers.ControlDone(action: verb.rawValue, tenant: status)
    }

    /// Pauses or resumes the tenant's schedule, stored for every supervisor; the worker is left alone.
    @Sendable func schedule(_ verb: ScheduleVerb, _ request: Request, context: APIRequestContext) async throws -> APIAnswers.ControlDone {
        let tenantID = try context.parameters.require("tenant")
        guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
        guard let scheduler else { throw APIError.internalError("this supervisor has no scheduler") }
        switch verb {
        case .pause: try await scheduler.pause(tenantID)
        case .resume: try await scheduler.resume(tenantID)
        }
        return APIAnswers.ControlDone(action: verb.rawValue, tenant: await controller.status())
    }

    @Sendable func put(_ request: Request, context: APIRequestContext) async throws -> WorkerFleet.ReloadSummary {
        try requireGlobalKey(request)
        let tenantID = try context.parameters.require("tenant")
        var tenant = try await APIRequestBody.decode(TenantConfiguration.self, from: request) { error in
            "tenant \(tenantID): body is not a valid tenant configuration: \(ConfigurationError.describe(error))"
        }
        guard tenant.id == tenantID else {
            throw APIError.badRequest("tenant id in the body (\(tenant.id)) differs from the one in the path (\(tenantID))")
        }
        try validate([tenant])
        tenant.id = tenantID
        return await fleet.upsert(tenant)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> WorkerFleet.ReloadSummary {
        try requireGlobalKey(request)
        let tenantID = try context.parameters.require("tenant")
        guard await fleet.remove(tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
        return WorkerFleet.ReloadSummary(removed: [tenantID])
    }

    @Sendable func reload(_ request: Request, context: APIRequestContext) async throws -> WorkerFleet.ReloadSummary {
        try requireGlobalKey(request)
        let body = try await APIRequestBody.decode(ReloadRequest.self, from: request) { error in
            "body must be {\"tenants\": [...]}: \(ConfigurationError.describe(error))"
        }
        try validate(body.tenants)
        return await fleet.reconcile(body.tenants)
    }

    private func requireGlobalKey(_ request: Request) throws {
        guard try authenticator.principal(of: request).tenant == nil else {
            throw APIError.forbidden("this API key is limited to one tenant and may not change the tenant list")
        }
    }

    private func validate(_ tenants: [TenantConfiguration]) throws {
        var seen = Set<String>()
        for tenant in tenants {
            guard TenantConfiguration.isValidID(tenant.id) else {
                throw APIError.badRequest("tenant id \"\(tenant.id)\" is invalid: use letters, digits, -, _ and . (at most 64)")
            }
            guard seen.insert(tenant.id).inserted else { throw APIError.badRequest("tenant id \"\(tenant.id)\" appears twice") }
            do {
                try tenant.supervision?.validate(context: "tenant \(tenant.id)")
            } catch {
                throw APIError.badRequest(error.message)
            }
        }
    }
}
