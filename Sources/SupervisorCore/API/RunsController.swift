import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `/api/runs`: list, show, cancel, live events (Server-Sent Events) and callback deliveries.
struct RunsController {
    let coordinator: RunCoordinator
    let authenticator: APIKeyAuthenticator
    let deliveryStore: WebhookDeliveryStore

    func addRoutes(to api: RouterGroup<APIRequestContext>) {
        api.get("/runs", use: list)
        api.get("/runs/:run", use: show)
        api.post("/runs/:run/cancel", use: cancel)
        api.get("/runs/:run/deliveries", use: deliveries)
        api.get("/runs/:run/events", use: events)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> RunSnapshot {
        try await run(request, context)
    }

    @Sendable func cancel(_ request: Request, context: APIRequestContext) async throws -> Response {
        let run = try await run(request, context)
        guard run.status.isLive else {
            throw APIError.conflict(.runFinished, "run \(run.runID) has already ended (\(run.status.rawValue))")
        }
        // Any supervisor cancels any live run: its own in memory, or through the run's row (see RunCoordinator.cancel).
        switch try await coordinator.cancel(run.runID) {
        case .accepted:
            break
        case .ended, .unknown:
            throw APIError.conflict(.runFinished, "run \(run.runID) is ending; its outcome is already decided")
        }
        return try EditedResponse(status: .accepted, response: APIAnswers.CancelAccepted(runID: run.runID)).response(from: request, context: context)
    }

    @Sendable func deliveries(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.Deliveries {
        let run = try await run(request, context)
        return APIAnswers.Deliveries(runID: run.runID, deliveries: try await deliveryStore.deliveries(of: run.runID))
    }

    /// The run named in the path, if the key may see it: a tenant-scoped key sees only its tenant's runs.
    private func run(_ request: Request, _ context: APIRequestContext) async throws -> RunSnapshot {
        let runID = try context.parameters.require("run")
        let principal = try authenticator.principal(of: request)
        guard let snapshot = try await coordinator.snapshot(runID) else { throw APIError.notFound("no run with id \(runID)") }
        if let tenant = principal.tenant, snapshot.scope != tenant {
            throw APIError.forbidden("this API key may not see run \(runID)")
        }
        return snapshot
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.Runs {
        let principal = try authenticator.principal(of: request)
        let query = request.uri.queryParameters
        var status: RunStatus?
        if let text = query["status"] {
            guard let value = RunStatus(rawValue: String(text)) else {
                let names = RunStatus.allCases.map(\.rawValue).sorted().joined(separator: ", ")
                throw APIError.badRequest("status must be one of \(names), got \"\(text)\"")
            }
            status = value
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
        return APIAnswers.Runs(runs: runs)
    }

    /// `text/event-stream` of the run: what the client missed after `Last-Event-ID`, then live events until `completed`.
    @Sendable func events(_ request: Request, context: APIRequestContext) async throws -> Response {
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
        let encoder = APIJSON.encoder
        func json(_ value: some Encodable) -> String { (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
        var events: [RunEvent] = []
        for tenant in run.tenants where !tenant.status.isLive {
            if let error = tenant.error, tenant.status != .succeeded {
                events.append(RunEvent(id: events.count + 1, name: "error", data: json(TenantEndedEvent(tenantID: tenant.tenantID, status: tenant.status, error: error))))
            }
            events.append(RunEvent(id: events.count + 1, name: "tenant_completed", data: json(TenantEndedEvent(
                tenantID: tenant.tenantID, status: tenant.status, error: tenant.error, counts: tenant.counts, results: RunResults(tenant.streams)
            ))))
        }
        if !run.status.isLive {
            let final = RunEndedEvent(runID: run.runID, status: run.status, error: run.error, results: RunResults(run.tenants.flatMap(\.streams)), durationSeconds: run.durationSeconds)
            events.append(RunEvent(id: events.count + 1, name: "completed", data: json(final)))
        }
        return events
    }
}
