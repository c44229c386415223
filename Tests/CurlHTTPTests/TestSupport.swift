import CurlHTTP
import DemoUpstreamKit
import Foundation
import Hummingbird
import Logging
import Support

// Hummingbird re-exports HTTPTypes' HTTPRequest and HTTPResponse; in this module the names mean ours.
typealias HTTPRequest = CurlHTTP.HTTPRequest
typealias HTTPResponse = CurlHTTP.HTTPResponse

struct TestServerDidNotStart: Error {}

/// Runs `router` on 127.0.0.1 at a port the OS picks, for the duration of `body`, which gets the base URL.
func withTestServer<T: Sendable>(
    _ router: Router<BasicRequestContext>,
    _ body: (_ baseURL: String) async throws -> T
) async throws -> T {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "CurlHTTPTests.server")
    logger.logLevel = .critical  // the server's shutdown at the end of a test logs what no test needs
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: logger
    )
    return try await GracefulServer.withRunning(app, logger: logger, onStopped: { portContinuation.finish() }) {
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw TestServerDidNotStart() }
        return try await body("http://127.0.0.1:\(port)")
    }
}

/// Performs `request` with `client` on a thread of its own, off the concurrency pool (where a blocking
/// libcurl call could starve the in-process test server).
func perform(_ client: CurlHTTPClient, _ request: HTTPRequest) async -> Result<HTTPResponse, HTTPClientError> {
    await offPool {
        Result { () throws(HTTPClientError) -> HTTPResponse in try client.perform(request) }
    }
}

/// The error `result` holds, or `nil` when it is a response.
func failure(_ result: Result<HTTPResponse, HTTPClientError>) -> HTTPClientError? {
    if case .failure(let error) = result { return error }
    return nil
}

/// Holds a loopback port bound but not listening, so connecting to it is refused, for the duration of `body`.
func withClosedLoopbackPort<T>(_ body: (Int) async throws -> T) async throws -> T {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    precondition(descriptor >= 0, "socket() failed")
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    precondition(bound, "bind() failed")
    return try await body(Int(UInt16(bigEndian: address.sin_port)))
}
