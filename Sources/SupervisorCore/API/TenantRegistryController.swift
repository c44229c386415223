import Foundation
import HTTPTypes
import Hummingbird

/// Changes to the tenant registry: `PUT`, `PATCH` and `DELETE /api/tenants/{id}`, `POST /api/tenants/reload`.
///
/// Every change is checked by the tenant's connector before anything is stored (``TenantValidator``),
/// honours `If-Match` (the tenant's version, sent as `ETag`) inside the transaction that writes, and is then
/// applied to this supervisor's fleet before the answer goes out; the other supervisors follow through
/// the registry's notifications. Secret settings sent as `"***"` keep their stored values.
struct TenantRegistryController {
    let watcher: TenantRegistryWatcher
    let authenticator: APIKeyAuthenticator

    var registry: TenantRegistry { watcher.registry }

    /// The body of `POST /api/tenants/reload`: the complete list of tenants wanted.
    struct ReloadRequest: Decodable {
        var tenants: [TenantConfiguration]
    }

    func addRoutes(to api: RouterGroup<APIRequestContext>) {
        api.put("/tenants/:tenant", use: put)
        api.patch("/tenants/:tenant", use: patch)
        api.delete("/tenants/:tenant", use: delete)
        api.post("/tenants/reload", use: reload)
    }

    /// Creates the tenant (`201`) or replaces it whole (`200`).
    @Sendable func put(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireGlobalKey(request)
        let tenantID = try context.parameters.require("tenant")
        guard TenantConfiguration.isValidID(tenantID) else {
            throw APIError.badRequest("tenant id \"\(tenantID)\" is invalid: use letters, digits, -, _ and . (at most 64)")
        }
        var body = try await APIRequestBody.decode(JSONTree.self, from: request) { error in
            "tenant \(tenantID): body is not JSON: \(ConfigurationError.describe(error))"
        }
        // The id may be left out of the body: the path names the tenant.
        if case .object(var object) = body, object["id"] == nil {
            object["id"] = .string(tenantID)
            body = .object(object)
        }
        let tenant = try Self.tenant(from: body, id: tenantID)
        let write = try await registry.write(tenantID, expecting: Self.condition(of: request), source: .api) { stored in
            let restored = tenant.restoringSecrets(from: stored?.tenant)
            try TenantValidator.validate(restored)
            return restored
        }
        return try await answer(write, request: request, context: context)
    }

    /// Changes the tenant by a JSON merge patch (RFC 7396): objects merge, `null` removes a key.
    @Sendable func patch(_ request: Request, context: APIRequestContext) async throws -> Response {
        try requireGlobalKey(request)
        let tenantID = try Self.existingTenantID(context)
        let patch = try await APIRequestBody.decode(JSONTree.self, from: request) { error in
            "tenant \(tenantID): body is not JSON: \(ConfigurationError.describe(error))"
        }
        guard case .object = patch else { throw APIError.badRequest("tenant \(tenantID): a merge patch is a JSON object") }
        let write = try await registry.write(tenantID, expecting: Self.condition(of: request), source: .api) { stored in
            guard let stored else { throw TenantRegistryError(tenantID: tenantID, reason: .notFound) }
            let current = try JSONDecoder().decode(JSONTree.self, from: JSONEncoder().encode(stored.tenant))
            let tenant = try Self.tenant(from: JSONMergePatch.apply(patch, to: current), id: tenantID).restoringSecrets(from: stored.tenant)
            try TenantValidator.validate(tenant)
            return tenant
        }
        return try await answer(write, request: request, context: context)
    }

    @Sendable func delete(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.TenantChanged {
        try requireGlobalKey(request)
        let tenantID = try Self.existingTenantID(context)
        let removed = try await registry.delete(tenantID, expecting: Self.condition(of: request))
        var summary = await refreshed()
        if !summary.removed.contains(tenantID) { summary.removed.append(tenantID) }
        return APIAnswers.TenantChanged(summary: summary, tenant: removed.masked)
    }

    /// Makes the registry exactly `tenants`: the listed ones are stored, every other tenant is removed.
    @Sendable func reload(_ request: Request, context: APIRequestContext) async throws -> WorkerFleet.ReloadSummary {
        try requireGlobalKey(request)
        let body = try await APIRequestBody.decode(ReloadRequest.self, from: request) { error in
            "body must be {\"tenants\": [...]}: \(ConfigurationError.describe(error))"
        }
        var seen = Set<String>()
        for tenant in body.tenants {
            try TenantValidator.validate(tenant)
            guard seen.insert(tenant.id).inserted else { throw APIError.badRequest("tenant id \"\(tenant.id)\" appears twice") }
        }
        let change = try await registry.apply(body.tenants, source: .api) { _ in true }
        var summary = await refreshed()
        // The watcher may have applied the change already: the answer still says what this change did.
        let touched = Set(change.written + change.removed)
        summary.added.removeAll(where: touched.contains)
        summary.changed.removeAll(where: touched.contains)
        summary.removed.removeAll(where: touched.contains)
        summary.unchanged.removeAll(where: touched.contains)
        for id in change.written {
            if change.created.contains(id) { summary.added.append(id) } else { summary.changed.append(id) }
        }
        summary.removed += change.removed
        return summary
    }

    /// The answer to a `PUT` or `PATCH`: what this supervisor's fleet did, the tenant as stored, and its `ETag`.
    private func answer(_ write: TenantRegistry.Write, request: Request, context: APIRequestContext) async throws -> Response {
        var summary = await refreshed()
        // The watcher may have applied the change already (its notification came first): the answer still
        // says what this change did to the tenant.
        let id = write.record.tenant.id
        summary.added.removeAll { $0 == id }
        summary.changed.removeAll { $0 == id }
        summary.unchanged.removeAll { $0 == id }
        if write.created {
            summary.added.append(id)
        } else if write.changed {
            summary.changed.append(id)
        } else {
            summary.unchanged.append(id)
        }
        let body = APIAnswers.TenantChanged(summary: summary, tenant: write.record.masked)
        return try EditedResponse(status: write.created ? .created : .ok, headers: [.eTag: write.record.entityTag], response: body)
            .response(from: request, context: context)
    }

    /// Brings this supervisor's fleet to the registry; a failure leaves it to the watcher's next poll.
    private func refreshed() async -> WorkerFleet.ReloadSummary {
        do {
            return try await watcher.refresh()
        } catch {
            watcher.wake()
            return WorkerFleet.ReloadSummary()
        }
    }

    /// What `If-Match` and `If-None-Match` ask of the tenant's version.
    private static func condition(of request: Request) -> TenantVersionCondition {
        let ifMatch = request.headers[values: .ifMatch]
        let ifNoneMatch = request.headers[values: .ifNoneMatch]
        return TenantVersionCondition(
            ifMatch: ifMatch.isEmpty ? nil : ifMatch.joined(separator: ","), ifNoneMatch: ifNoneMatch.isEmpty ? nil : ifNoneMatch.joined(separator: ",")
        )
    }

    /// The path's tenant id; one no tenant can have is `404` at once, before it reaches the database.
    private static func existingTenantID(_ context: APIRequestContext) throws -> String {
        let tenantID = try context.parameters.require("tenant")
        guard TenantConfiguration.isValidID(tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
        return tenantID
    }

    /// `tree` as a tenant whose id must be `id`; `400` naming what is wrong otherwise.
    private static func tenant(from tree: JSONTree, id: String) throws -> TenantConfiguration {
        let tenant: TenantConfiguration
        do {
            tenant = try JSONDecoder().decode(TenantConfiguration.self, from: JSONEncoder().encode(tree))
        } catch {
            throw APIError.badRequest("tenant \(id): body is not a valid tenant configuration: \(ConfigurationError.describe(error))")
        }
        guard tenant.id == id else {
            throw APIError.badRequest("tenant id in the body (\(tenant.id)) differs from the one in the path (\(id))")
        }
        return tenant
    }

    private func requireGlobalKey(_ request: Request) throws {
        guard try authenticator.principal(of: request).tenant == nil else {
            throw APIError.forbidden("this API key is limited to one tenant and may not change the tenant list")
        }
    }
}
