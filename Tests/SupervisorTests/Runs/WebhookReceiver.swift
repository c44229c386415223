import DemoUpstreamKit
import Foundation
import Hummingbird
import Logging
import Synchronization
import SupervisorCore
import TestSupport

/// A real HTTP server that receives callbacks, checks their Standard Webhooks signature, and
/// answers with the statuses the test scripts (failures first, then 200); a 429 carries `Retry-After: 1`.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var id: String
        var timestamp: Int64
        var body: [UInt8]
        var signatureValid: Bool
        var answered: Int
        var at: ContinuousClock.Instant
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    static let secret = "whsec_" + Data("tenantsync test signing key 32b!".utf8).base64EncodedString()

    private let signer: WebhookSigner
    private let state = Mutex<(script: [Int], received: [Received])>(([], []))
    /// Every request, as it arrives.
    let arrivals = AsyncInbox<Received>()

    init(script: [Int] = []) throws {
        signer = try WebhookSigner(secret: Self.secret)
        state.withLock { $0.script = script }
    }

    /// The statuses to answer next, in order; 200 once they are used up.
    func script(_ statuses: [Int]) {
        state.withLock { $0.script = statuses }
    }

    var received: [Received] { state.withLock { $0.received } }

    private func handle(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let body = Array(buffer.readableBytesView)
        let id = request.headers[.init("webhook-id")!] ?? ""
        let timestamp = Int64(request.headers[.init("webhook-timestamp")!] ?? "") ?? 0
        let signature = request.headers[.init("webhook-signature")!] ?? ""
        let valid = signer.verify(id: id, timestamp: timestamp, body: body, header: signature)
        let status = state.withLock { state -> Int in
            let status = state.script.isEmpty ? 200 : state.script.removeFirst()
            return valid ? status : 401
        }
        let received = Received(id: id, timestamp: timestamp, body: body, signatureValid: valid, answered: status, at: .now)
        state.withLock { $0.received.append(received) }
        arrivals.push(received)
        // 429 asks for a pause longer than the test schedule's delays.
        return Response(status: .init(code: status), headers: status == 429 ? [.retryAfter: "1"] : [:])
    }

    /// Runs the receiver on a loopback port for `body`, which gets the callback URL.
    func withRunning<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, _ in try await self.handle(request) }
        let ports = AsyncInbox<Int>()
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { ports.push($0.localAddress?.port ?? 0) },
            logger: logger
        )
        return try await GracefulServer.withRunning(application, logger: logger) {
            guard let port = try await ports.next(timeout: .seconds(30)) else { throw TestSupportError("receiver did not listen") }
            return try await body("http://127.0.0.1:\(port)/hook")
        }
    }
}
