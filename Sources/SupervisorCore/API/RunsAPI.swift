import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `/api/runs`: list, show, cancel, live events (Server-Sent Events) and callback deliveries.
struct RunsAPI {
    let coordinator: RunCoordinator
    let authenticator: APIKeyAuthenticator
    let deliveries: WebhookDeliveryStore

    static let statuses: Set<String> = ["queued", "running", "succeeded", "failed", "partial", "cancelled", "interrupted"]

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.get("/runs") { request, _ in try await list(request) }
        api.get("/runs/:run") { request, context in
            try JSONResponse.make(try await run(request, context))
        }
        api.post("/runs/:run/cancel") { request, context in
            let run = try await run(request, context)
            guard ["queued", "running"].contains(run.status) else {
                throw APIError.conflict("run_finished", "run \(run.runID) has already ended (\(run.status))")
            }
            switch await coordinator.cancel(run.runID) {
            case .accepted:
                break
            case .ended:
                throw APIError.conflict("run_finished", "run \(run.runID) is ending; its outcome is already decided")
            case .unknown:
                throw APIError.conflict("run_not_live", "run \(run.runID) is not running in this supervisor")
            }
            return try JSONResponse.make(
                ["success": true, "message": "cancellation requested; queued tenants are cancelled, running tenants finish their sync",
                 "run_id": AnyEncodable(run.runID), "status": "cancelling"] as [String: AnyEncodable],
                status: .accepted
            )
        }
        api.get("/runs/:run/deliveries") { request, context in
            let run = try await run(request, context)
            return try JSONResponse.make(["run_id": AnyEncodable(run.runID), "deliveries": AnyEncodable(try await deliveries.deliveries(of: run.runID))])
        }
        api.get("/runs/:run/events") { request, context in try await events(request, context) }
    }

    /// The run named in the path, if the key may see it: a tenant-scoped key sees only its tenant's runs.
    private func run(_ request: Request, _ context: BasicRequestContext) async throws -> RunSnapshot {
        let runID = try context.parameters.require("run")
        let principal = try authenticator.principal(of: request)
        guard let snapshot = try await coordinator.snapshot(runID) else { throw APIError.notFound("no run with id \(runID)") }
        if let tenant = principal.tenant, snapshot.scope != tenant {
            throw APIError.forbidden("this API key may not see run \(runID)")
        }
        return snapshot
    }

    private func list(_ request: Request) async throws -> Response {
        let principal = try authenticator.principal(of: request)
        let query = request.uri.queryParameters
        let status = query["status"].map(String.init)
        if let status, !Self.statuses.contains(status) {
            throw APIError.badRequest("status must be one of \(Self.statuses.sorted().joined(separator: ", ")), got \"\(status)\"")
        }
        var limit = 50
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...500).contains(value) else {
                throw APIError.badRequest("limit must be a whole number from 1 to 500, got \"\(text)\"")
            }
            limit = value
        }
        var tenant = query["tenant"].map(String.init)
        if let tenant, !TenantConfiguration.isValidID(tenant) {
            throw APIError.badRequest("tenant \"\(tenant)\" is not a tenant id: letters, digits, -, _ and . (at most 64)")
        }
        if let scoped = principal.tenant {
            if let tenant, tenant != scoped { throw APIError.forbidden("this API key may not use tenant \(tenant)") }
            tenant = scoped
        }
        let runs = try await coordinator.list(tenant: tenant, scope: principal.tenant, status: status, limit: limit)
        return try JSONResponse.make(["runs": runs])
    }

    /// `text/event-stream` of the run: what the client missed after `Last-Event-ID`, then live events until `completed`.
    private func events(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let run = try await run(request, context)
        let lastHeader = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters["last_event_id"].map(String.init)
        var lastEventID = 0
        if let lastHeader {
            guard let value = Int(lastHeader.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                throw APIError.badRequest("Last-Event-ID must be a non-negative event id, got \"\(lastHeader)\"")
            }
            lastEventID = value
        }
        let subscription = coordinator.events.subscribe(run.runID, after: lastEventID)
            ?? RunEventLog.Subscription(history: Self.reconstructedEvents(run).filter { $0.id > lastEventID }, live: nil)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            for event in subscription.history {
                try await writer.write(ByteBuffer(string: event.serverSentEvent))
            }
            if let live = subscription.live {
                // Ends at the run's `completed` event, or when the supervisor shuts down.
                for await event in live.cancelOnGracefulShutdown() {
                    try await writer.write(ByteBuffer(string: event.serverSentEvent))
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
            body: body
        )
    }

    /// The events of a run no longer in memory (finished before a restart): one `tenant_completed`
    /// per tenant, an `error` per failed tenant, then `completed`. Progress events are not kept.
    static func reconstructedEvents(_ run: RunSnapshot) -> [RunEvent] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json(_ value: some Encodable) -> String { (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
        var events: [RunEvent] = []
        for tenant in run.tenants where !["queued", "running"].contains(tenant.status) {
            if let error = tenant.error, tenant.status != "succeeded" {
                events.append(RunEvent(id: events.count + 1, name: "error", data: json(TenantEndedEvent(tenantID: tenant.tenantID, status: tenant.status, error: error))))
            }
            events.append(RunEvent(id: events.count + 1, name: "tenant_completed", data: json(TenantEndedEvent(
                tenantID: tenant.tenantID, status: tenant.status, error: tenant.error, counts: tenant.counts, results: RunResults(tenant.streams)
            ))))
        }
        if !["queued", "running"].contains(run.status) {
            let final = RunEndedEvent(runID: run.runID, status: run.status, error: run.error, results: RunResults(run.tenants.flatMap(\.streams)), durationSeconds: run.durationSeconds)
            events.append(RunEvent(id: events.count + 1, name: "completed", data: json(final)))
        }
        return events
    }
}

/// A type-erased `Encodable`, for small mixed JSON objects.
struct AnyEncodable: Encodable, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    private let encodeValue: (any Encoder) throws -> Void
    init(_ value: some Encodable) { encodeValue = value.encode(to:) }
    init(stringLiteral value: String) { self.init(value) }
    init(booleanLiteral value: Bool) { self.init(value) }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
