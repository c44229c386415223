import Hummingbird

/// `GET /health` (liveness: the process answers) and `GET /ready` (readiness: it can do its work).
/// Both are open, without an API key, for load balancers and orchestrators.
struct HealthController {
    let database: DatabaseProbe
    let leases: LeaseManager?

    func addRoutes(to router: Router<APIRequestContext>) {
        router.get("/health", use: health)
        router.get("/ready", use: ready)
    }

    @Sendable func health(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.Health {
        APIAnswers.Health()
    }

    /// `200 {"status":"ready"}`, or `503 not_ready` naming every problem: `database unreachable: …`,
    /// `migrations not applied: …`, `leases not renewing: …`.
    @Sendable func ready(_ request: Request, context: APIRequestContext) async throws -> APIAnswers.Health {
        var problems: [String] = []
        if let problem = await database.problem() { problems.append(problem) }
        if let problem = leases?.renewalProblem() { problems.append(problem) }
        guard problems.isEmpty else { throw APIError(.notReady, problems.joined(separator: "; ")) }
        return APIAnswers.Health(status: "ready")
    }
}
