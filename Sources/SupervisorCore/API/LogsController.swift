import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/api/tenants/{id}/logs` and `/api/logs`: tails from memory and live follows (Server-Sent Events).
///
/// Query: `lines` (default 100, at most ``TenantLogStore/maxTailLines``; older lines than the ring
/// holds come from the files), `level` (minimum: `debug`, `info`, `warn`, …), `grep`
/// (case-insensitive substring of the message), `since` (RFC 3339 time), `after` (a `seq` already
/// seen), `follow=true`, `format=json|text` for what each event's `data` holds. A follow that
/// reconnects with `Last-Event-ID` gets the lines after that one still in memory, then live ones.
struct LogsController {
    let fleet: WorkerFleet
    let authenticator: APIKeyAuthenticator

    struct LogTail: ResponseCodable {
        var tenant: String?
        var lines: [TenantLogEntry]
        var counters: [String: TenantLogStore.Counters]
    }

    func addRoutes(to api: RouterGroup<APIRequestContext>) {
        api.get("/tenants/:tenant/logs", use: tenantLogs)
        api.get("/logs", use: allLogs)
        api.get("/logs/counters", use: counters)
    }

    @Sendable func tenantLogs(_ request: Request, context: APIRequestContext) async throws -> Response {
        let tenantID = try context.parameters.require("tenant")
        guard try authenticator.principal(of: request).may(use: tenantID) else {
            throw APIError.forbidden("this API key may not read tenant \(tenantID)")
        }
        guard fleet.controller(for: tenantID) != nil else { throw APIError.notFound("no tenant \(tenantID)") }
        return try await logs(request, context: context, tenant: tenantID)
    }

    /// A tenant-scoped key sees its own tenant only.
    @Sendable func allLogs(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await logs(request, context: context, tenant: try authenticator.principal(of: request).tenant)
    }

    @Sendable func counters(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.LogCounters {
        let principal = try authenticator.principal(of: request)
        return APIAnswers.LogCounters(tenants: fleet.logStore.counters().filter { principal.may(use: $0.key) })
    }

    private func logs(_ request: Request, context: APIRequestContext, tenant: String?) async throws -> Response {
        let query = request.uri.queryParameters
        let store = fleet.logStore
        var filter = LogFilter(tenant: tenant)
        if let level = query["level"].map(String.init), !level.isEmpty {
            guard let normalized = LogLevels.normalize(level) else {
                throw APIError.badRequest("level \"\(level)\" is unknown: use trace, debug, info, notice, warn, error or critical")
            }
            filter.minimumLevel = normalized
        }
        if let grep = query["grep"].map(String.init), !grep.isEmpty { filter.grep = grep }
        if let since = query["since"].map(String.init), !since.isEmpty {
            guard let date = LogTimestamp.parse(since) else {
                throw APIError.badRequest("since \"\(since)\" is not an RFC 3339 time such as 2026-01-02T03:04:05Z")
            }
            filter.since = date
        }
        if let after = query["after"].map(String.init), !after.isEmpty {
            guard let value = UInt64(after) else { throw APIError.badRequest("after must be a line sequence number") }
            filter.after = value
        }
        var lines = 100
        if let text = query["lines"].map(String.init), !text.isEmpty {
            guard let value = Int(text), value >= 0 else { throw APIError.badRequest("lines must be a non-negative integer") }
            lines = min(value, TenantLogStore.maxTailLines)
        }
        let text: Bool
        switch query["format"].map(String.init) ?? "json" {
        case "json": text = false
        case "text": text = true
        case let other: throw APIError.badRequest("format \"\(other)\" is unknown: use json or text")
        }
        let follow = ["true", "1", "yes"].contains(query["follow"].map(String.init) ?? "")
        guard follow else {
            let counters = store.counters().filter { tenant == nil || $0.key == tenant }
            return try LogTail(tenant: tenant, lines: await store.historyOffPool(filter, limit: lines), counters: counters)
                .response(from: request, context: context)
        }
        if let lastEventID = request.headers[HTTPField.Name("Last-Event-ID")!], let seen = UInt64(lastEventID) {
            // A reconnect: what it missed, as far as memory still has it, instead of a new tail.
            filter.after = max(filter.after ?? 0, seen)
            lines = store.settings.ringLines
        }

        // Subscribe before taking the tail, then skip what the tail already showed: no gap, no repeat.
        let follower = store.follow(filter)
        let backlog = await store.historyOffPool(filter, limit: lines)
        let shown = backlog.last?.sequence ?? 0
        let body = ResponseBody { writer in
            defer { store.unfollow(follower) }
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            for entry in backlog {
                try await writer.write(ByteBuffer(string: Self.serverSentEvent(entry, text: text)))
            }
            following: while true {
                switch await follower.next(timeout: .seconds(15)) {
                case .event(.entry(let entry)):
                    guard entry.sequence > shown else { continue }
                    try await writer.write(ByteBuffer(string: Self.serverSentEvent(entry, text: text)))
                case .event(.dropped(let count)):
                    let data = "{\"dropped\":\(count),\"message\":\"dropped \(count) lines: this follower fell behind; the log files have every line\"}"
                    try await writer.write(ByteBuffer(string: "event: dropped\ndata: \(data)\n\n"))
                case .idle:
                    // A comment keeps proxies from timing out and finds clients that went away.
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                case .finished:
                    break following
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

    /// One `log` event; `text` data is the text line prefixed with the tenant (`tenant | line`).
    /// Lines read back from the files (sequence 0) carry no `id`, so a reconnect resumes after the
    /// last line from memory.
    static func serverSentEvent(_ entry: TenantLogEntry, text: Bool) -> String {
        let data = text ? "\(entry.tenant) | \(entry.text())" : entry.json()
        let id = entry.sequence > 0 ? "id: \(entry.sequence)\n" : ""
        return "\(id)event: log\ndata: \(data)\n\n"
    }
}
