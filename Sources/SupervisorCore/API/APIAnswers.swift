import Hummingbird
import IPC

/// The `Codable` answers of the routes that are not a type of their own elsewhere.
enum APIAnswers {
    /// `GET /health`.
    struct Health: ResponseEncodable {
        var status = "ok"
    }

    /// `GET /api/tenants`.
    struct Tenants: ResponseEncodable {
        var tenants: [TenantStatus]
    }

    /// `POST /api/tenants/{id}/start|stop|restart|kill`: what was done and the tenant's status afterwards.
    struct ControlDone: ResponseEncodable {
        var action: String
        var tenant: TenantStatus
    }

    /// `GET /api/runs`.
    struct Runs: ResponseEncodable {
        var runs: [RunSnapshot]
    }

    /// `POST /api/runs/{id}/cancel`.
    struct CancelAccepted: ResponseEncodable {
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
    struct Deliveries: ResponseEncodable {
        var runID: String
        var deliveries: [WebhookDeliveryStore.Delivery]

        enum CodingKeys: String, CodingKey {
            case deliveries
            case runID = "run_id"
        }
    }

    /// `GET /api/logs/counters`.
    struct LogCounters: ResponseEncodable {
        var tenants: [String: TenantLogStore.Counters]
    }
}

extension WorkerFleet.ReloadSummary: ResponseEncodable {}
extension TenantStatus: ResponseEncodable {}
extension RunSnapshot: ResponseEncodable {}
