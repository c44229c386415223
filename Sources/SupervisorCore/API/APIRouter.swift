import Foundation
import Hummingbird
import Logging

/// The supervisor's HTTP API: sync requests, runs, tenants, logs and health, one controller each.
///
/// Every `/api` route sits behind ``APIKeyMiddleware``; `/health` is open.
struct APIRouter {
    let fleet: WorkerFleet
    let coordinator: RunCoordinator
    let authenticator: APIKeyAuthenticator
    let deliveries: WebhookDeliveryStore

    func build() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.get("/health") { _, _ in APIAnswers.Health() }
        let api = router.group("/api").add(middleware: APIKeyMiddleware(authenticator: authenticator))
        SyncController(fleet: fleet, coordinator: coordinator, authenticator: authenticator).addRoutes(to: api)
        TenantsController(fleet: fleet, authenticator: authenticator).addRoutes(to: api)
        RunsController(coordinator: coordinator, authenticator: authenticator, deliveryStore: deliveries).addRoutes(to: api)
        LogsController(fleet: fleet, authenticator: authenticator).addRoutes(to: api)
        return router
    }
}
