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
