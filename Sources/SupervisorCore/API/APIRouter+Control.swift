import Foundation
import Hummingbird

/// Control of each tenant's worker: `POST /api/tenants/{id}/start|stop|restart|kill`, and
/// tenants added, changed or removed at runtime (`PUT`/`DELETE /api/tenants/{id}`,
/// `POST /api/tenants/reload`) without touching other tenants' workers.
extension APIRouter {
    /// The answer to a control verb: what was done and the tenant's status afterwards.
    struct ControlDone: Encodable {
        var action: String
        var tenant: TenantStatus
    }

    /// The body of `POST /api/tenants/reload`: the complete list of tenants wanted.
    struct ReloadRequest: Decodable {
        var tenants: [TenantConfiguration]
    }

    func registerControlRoutes(on api: RouterGroup<BasicRequestContext>) {
        for verb in ["start", "stop", "restart", "kill"] {
            api.post("/tenants/:tenant/\(verb)") { _, context in
                let tenantID = try context.parameters.require("tenant")
                guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
                if ["start", "restart"].contains(verb), !controller.tenant.enabled {
                    throw APIError.conflict("tenant_disabled", "tenant \(tenantID) is disabled; enable it in the configuration first")
                }
                let done: TenantStatus?
                switch verb {
                case "start": done = await controller.start()
                case "stop": done = await controller.stop()
                case "restart": done = await controller.restart()
                default: done = await controller.kill()
                }
                guard let status = done else {
                    let owner = controller.environment.leases?.owner(of: tenantID).map { "supervisor \($0)" } ?? "no supervisor yet"
                    throw APIError.conflict("tenant_remote", "tenant \(tenantID) is held by \(owner); control its worker there")
                }
                return try JSONResponse.make(ControlDone(action: verb, tenant: status))
            }
        }
        api.put("/tenants/:tenant") { request, context in
            try requireGlobalKey(request)
            let tenantID = try context.parameters.require("tenant")
            var tenant: TenantConfiguration
            do {
                tenant = try await request.decode(as: TenantConfiguration.self, context: context)
            } catch {
                throw APIError.badRequest("tenant \(tenantID): body is not a valid tenant configuration: \(ConfigurationError.describe(error))")
            }
            guard tenant.id == tenantID else {
                throw APIError.badRequest("tenant id in the body (\(tenant.id)) differs from the one in the path (\(tenantID))")
            }
            try validate([tenant])
            tenant.id = tenantID
            return try JSONResponse.make(await fleet.upsert(tenant))
        }
        api.delete("/tenants/:tenant") { request, context in
            try requireGlobalKey(request)
            let tenantID = try context.parameters.require("tenant")
            guard await fleet.remove(tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
            return try JSONResponse.make(WorkerFleet.ReloadSummary(removed: [tenantID]))
        }
        api.post("/tenants/reload") { request, context in
            try requireGlobalKey(request)
            let body: ReloadRequest
            do {
                body = try await request.decode(as: ReloadRequest.self, context: context)
            } catch {
                throw APIError.badRequest("body must be {\"tenants\": [...]}: \(ConfigurationError.describe(error))")
            }
            try validate(body.tenants)
            return try JSONResponse.make(await fleet.reconcile(body.tenants))
        }
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
