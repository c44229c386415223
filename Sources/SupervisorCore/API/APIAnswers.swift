import Hummingbird
import IPC

/// The `Codable` answers of the routes that are not a type of their own elsewhere (decodable too, so
/// the integration tests read answers into the types the API sends).
enum APIAnswers {
    /// `GET /health`.
    struct Health: ResponseCodable {
        var status = "ok"
    }

    /// `GET /api/tenants`.
    struct Tenants: ResponseCodable {
        var tenants: [TenantStatus]
    }

    /// `POST /api/tenants/{id}/start|stop|restart|kill`: what was done and the tenant's status afterwards.
    struct ControlDone: ResponseCodable {
        var action: String
        var tenant: TenantStatus
    }

    /// `PUT`, `PATCH` and `DELETE /api/tenants/{id}`: what this supervisor's fleet did (the keys of
    /// ``WorkerFleet/ReloadSummary``) and the tenant as the registry now holds it (as it was, for `DELETE`).
    struct TenantChanged: ResponseCodable {
        var summary: WorkerFleet.ReloadSummary
        var tenant: TenantRecordView

        enum CodingKeys: String, CodingKey {
            case tenant
        }

        init(summary: WorkerFleet.ReloadSummary, tenant: TenantRecordView) {
            self.summary = summary
            self.tenant = tenant
        }

        init(from decoder: any Decoder) throws {
            summary = try WorkerFleet.ReloadSummary(from: decoder)
            tenant = try decoder.container(keyedBy: CodingKeys.self).decode(TenantRecordView.self, forKey: .tenant)
        }

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tenant, forKey: .tenant)
        }
    }

    /// `POST /api/tenants/{id}/check`: the connection test passed, and what it found.
    struct ConnectionChecked: ResponseCodable {
        var tenant: String
        var passed = true
        /// `connection test successful: 3 accommodations found`.
        var message: String
    }

    /// `GET /api/runs`.
    struct Runs: ResponseCodable {
        var runs: [RunSnapshot]
    }

    /// `POST /api/runs/{id}/cancel`.
    struct CancelAccepted: ResponseCodable {
        var success = true
        var message = "cancellation requested; queued tenants are cancelled, running tenants finish their sync"
        var runID: String
        var status = "cancelling"

        enum CodingKeys: String, CodingKey {
            case success, message, status
            case runID = "run_id"
        }
    }

    /// `GET /api/runs/{id}/deliveries`.
    struct Deliveries: ResponseCodable {
        var runID: String
        var deliveries: [WebhookDeliveryStore.Delivery]

        enum CodingKeys: String, CodingKey {
            case deliveries
            case runID = "run_id"
        }
    }

    /// `GET /api/logs/counters`.
    struct LogCounters: ResponseCodable {
        var tenants: [String: TenantLogStore.Counters]
    }
}

extension WorkerFleet.ReloadSummary: ResponseEncodable {}
extension TenantStatus: ResponseEncodable {}
extension RunSnapshot: ResponseEncodable {}
