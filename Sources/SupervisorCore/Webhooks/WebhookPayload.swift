import Foundation
import IPC

/// The callback sent at the end of a run: the fields automation scenarios already read, plus `run_id` and `tenants`.
///
/// `event` names what ended (see ``WebhookEventNames``); `results` is described by ``RunResults``.
struct WebhookPayload: Encodable, Sendable {
    struct DateRange: Encodable, Sendable {
        var startDate: String?
        var endDate: String?
        enum CodingKeys: String, CodingKey {
            case startDate = "start_date"
            case endDate = "end_date"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(startDate, forKey: .startDate)
            try container.encode(endDate, forKey: .endDate)
        }
    }

    struct Performance: Encodable, Sendable {
        var durationSeconds: Double
        var durationMinutes: Double
        enum CodingKeys: String, CodingKey {
            case durationSeconds = "duration_seconds"
            case durationMinutes = "duration_minutes"
        }
    }

    struct TenantBreakdown: Encodable, Sendable {
        var tenantID: String
        var status: TenantRunStatus
        var results: RunResults
        var error: String?
        enum CodingKeys: String, CodingKey {
            case tenantID = "tenant_id"
            case status, results, error
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tenantID, forKey: .tenantID)
            try container.encode(status, forKey: .status)
            try container.encode(results, forKey: .results)
            try container.encode(error, forKey: .error)
        }
    }

    /// `sync_<connector>_completed` (`sync_estimates_completed`), or `sync_completed` for a run mixing connectors.
    var event: String
    var timestamp: String
    /// `success`, `error` or `partial`.
    var status: String
    var results: RunResults
    var dateRange: DateRange
    var performance: Performance
    var error: String?
    var environment: String
    var runID: String
    /// The run's own status.
    var runStatus: RunStatus
    var tenants: [TenantBreakdown]

    enum CodingKeys: String, CodingKey {
        case event, timestamp, status, results, performance, error, environment, tenants
        case dateRange = "date_range"
        case runID = "run_id"
        case runStatus = "run_status"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event, forKey: .event)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(status, forKey: .status)
        try container.encode(results, forKey: .results)
        try container.encode(dateRange, forKey: .dateRange)
        try container.encode(performance, forKey: .performance)
        try container.encode(error, forKey: .error) // null on success, as the seed's receivers expect
        try container.encode(environment, forKey: .environment)
        try container.encode(runID, forKey: .runID)
        try container.encode(runStatus, forKey: .runStatus)
        try container.encode(tenants, forKey: .tenants)
    }

    /// The payload of `run`, restricted to `tenantIDs` when given (for a tenant's own webhook URL).
    init(run: RunSnapshot, environment: String, event: String, only tenantIDs: Set<String>? = nil) {
        self.event = event
        let tenants = run.tenants.filter { tenantIDs?.contains($0.tenantID) ?? true }
        var streams: [StreamResult] = []
        for tenant in tenants { streams += tenant.streams }
        let status = tenantIDs == nil ? run.status : RunOutcome(tenants: tenants.map(\.status)).status
        timestamp = run.finishedAt ?? Date().formatted(.iso8601)
        self.status = RunOutcome.callbackStatus(status)
        results = RunResults(streams)
        dateRange = DateRange(startDate: run.options?.startDate, endDate: run.options?.endDate)
        let seconds = ((run.durationSeconds ?? 0) * 10).rounded() / 10
        performance = Performance(durationSeconds: seconds, durationMinutes: (seconds / 60 * 10).rounded() / 10)
        let errors = tenants.compactMap { tenant in tenant.error.map { "\(tenant.tenantID): \($0)" } }
        error = self.status == "success" ? nil : (errors.isEmpty ? run.error : errors.joined(separator: "; "))
        self.environment = environment
        runID = run.runID
        runStatus = status
        self.tenants = tenants.map { tenant in
            TenantBreakdown(tenantID: tenant.tenantID, status: tenant.status, results: RunResults(tenant.streams), error: tenant.error)
        }
    }
}
