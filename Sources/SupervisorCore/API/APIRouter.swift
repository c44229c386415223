import Foundation
import Hummingbird
import Logging

/// The supervisor's HTTP API: sync requests, runs, tenants, logs and health, one controller each.
///
/// Every `/api` route sits behind ``APIKeyMiddleware``; `/health` and `/ready` are open. Every error,
/// of any route or of none, is the documented JSON body (``APIErrorMiddleware``). Hummingbird's
/// `MetricsMiddleware` counts every request for `GET /metrics`.
struct APIRouter {
    let fleet: WorkerFleet
    let coordinator: RunCoordinator
    let authenticator: APIKeyAuthenticator
    let deliveries: WebhookDeliveryStore
    let database: DatabaseProbe
    let leases: LeaseManager?
    let scheduler: TenantScheduler?
    /// The tenant registry; `nil` leaves out the routes that change it.
    let registry: TenantRegistryWatcher?
    let logger: Logger

    func build() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        // Outermost, so it counts every answer, errors included, by route pattern (`Unknown` for no route).
        router.add(middleware: MetricsMiddleware())
        // Next, so it wraps every route and the answer for unknown ones.
        router.add(middleware: APIErrorMiddleware(logger: logger))
        router.add(middleware: RequestBodyLimitMiddleware())
        HealthController(database: database, leases: leases).addRoutes(to: router)
        let api = router.group("/api").add(middleware: APIKeyMiddleware(authenticator: authenticator))
        SyncController(fleet: fleet, coordinator: coordinator, authenticator: authenticator).addRoutes(to: api)
        TenantsController(fleet: fleet, authenticator: authenticator, scheduler: scheduler, registry: registry).addRoutes(to: api)
        if let registry {
            TenantRegistryController(watcher: registry, authenticator: authenticator).addRoutes(to: api)
        }
        RunsController(coordinator: coordinator, authenticator: authenticator, deliveryStore: deliveries).addRoutes(to: api)
        LogsController(fleet: fleet, authenticator: authenticator).addRoutes(to: api)
        return router
    }
}
