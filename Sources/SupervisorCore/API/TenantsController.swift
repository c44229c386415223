import Foundation
import Hummingbird

/// `/api/tenants`: workers' status with each tenant's registry entry, control of one tenant's worker
/// (`start`, `stop`, `restart`, `kill`), and pausing and resuming its schedule (`pause`, `resume`).
/// Changes to the tenants themselves are ``TenantRegistryController``'s.
struct TenantsController {
    let fleet: WorkerFleet
    let authenticator: APIKeyAuthenticator
    /// Pauses and resumes schedules; `nil` answers those routes with 500 (an API built without one).
    let scheduler: TenantScheduler?
    /// The registry the tenants' entries are read from; `nil` shows statuses without them.
    let registry: TenantRegistryWatcher?

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
        api.post("/tenants/:tenant/check", use: check)
        for verb in ScheduleVerb.allCases {
            api.post("/tenants/:tenant/\(verb.rawValue)") { request, context in try await schedule(verb, request, context: context) }
        }
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.Tenants {
        let principal = try authenticator.principal(of: request)
        // Workers' statuses live in memory: they are answered even while the database is away, without entries.
        let records = (try? await registry?.registry.all()) ?? []
        let views = Dictionary(records.map { ($0.tenant.id, $0.masked) }, uniquingKeysWith: { first, _ in first })
        var statuses = await fleet.statuses().filter { principal.may(use: $0.id) }
        for index in statuses.indices { statuses[index].configuration = views[statuses[index].id] }
        return APIAnswers.Tenants(tenants: statuses)
    }

    /// The tenant's status and registry entry, with its version as `ETag`. A tenant just stored by another
    /// supervisor is taken into this one's fleet first. Without the database, the status alone.
    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let tenantID = try context.parameters.require("tenant")
        let record = (try? await registry?.registry.record(tenantID)) ?? nil
        if fleet.controller(for: tenantID) == nil, record != nil { try await registry?.refresh() }
        guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
        var status = await controller.status()
        status.configuration = record?.masked
        var headers = HTTPFields()
        if let record { headers[.eTag] = record.entityTag }
        return try EditedResponse(headers: headers, response: status).response(from: request, context: context)
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

    /// How long a connection test may take, the upstream's retries included.
    static let checkTimeout = Duration.seconds(60)

    /// Runs the connector's connection test in the tenant's worker: `200` with what it found, `502
    /// connection_failed` with what went wrong, `409` when no worker of the tenant is ready here.
    @Sendable func check(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.ConnectionChecked {
        let tenantID = try context.parameters.require("tenant")
        guard let controller = fleet.controller(for: tenantID) else { throw APIError.notFound("no tenant \(tenantID)") }
        guard controller.tenant.enabled else {
            throw APIError.conflict(.tenantDisabled, "tenant \(tenantID) is disabled; enable it to test its connection")
        }
        guard await controller.holdsLease else {
            let owner = controller.environment.leases?.owner(of: tenantID).map { "supervisor \($0)" } ?? "no supervisor yet"
            throw APIError.conflict(.tenantRemote, "tenant \(tenantID) is held by \(owner); test its connection there")
        }
        switch await controller.checkConnection(timeout: Self.checkTimeout) {
        case .answered(let result) where result.passed:
            return APIAnswers.ConnectionChecked(tenant: tenantID, message: result.message)
        case .answered(let result):
            throw APIError(.connectionFailed, "tenant \(tenantID): \(result.message)")
        case .unavailable(let reason):
            throw APIError(.workerNotReady, "tenant \(tenantID) cannot be tested now: \(reason)")
        }
    }
}
