import Foundation
import Hummingbird
import NIOCore

/// Reads request bodies up to ``limit``; a larger one is answered `413 payload_too_large`.
///
/// The rest of a body over the limit is read and dropped (up to ``drainLimit``) before the answer
/// goes out: a client that sends its whole body before reading (many do) would otherwise find the
/// connection closed under it, or its writes stalled, and never see the 413.
enum APIRequestBody {
    /// The largest body a route accepts: 2 MiB, far above any tenant list.
    static let limit = 2 * 1024 * 1024
    /// How much of a body over the limit is read and dropped before answering; a body declared
    /// larger is answered at once.
    static let drainLimit = 64 * 1024 * 1024

    static let tooLargeMessage = "request body is larger than the limit of \(limit / 1_048_576) MiB"

    /// The whole body, or `413 payload_too_large` once it has been read past ``limit``.
    static func collect(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > drainLimit {
            throw APIError(.payloadTooLarge, tooLargeMessage)
        }
        var collected = ByteBuffer()
        var total = 0
        do {
            for try await var chunk in request.body {
                total += chunk.readableBytes
                if total <= limit {
                    collected.writeBuffer(&chunk)
                } else if total > drainLimit {
                    break
                }
            }
        } catch {
            // The client went away or stalled past the idle timeout: its fault, not the supervisor's.
            throw APIError.badRequest("the request body could not be read: \(error)")
        }
        guard total <= limit else { throw APIError(.payloadTooLarge, tooLargeMessage) }
        return collected
    }

    /// The body decoded as JSON; a body that is not `T` is a `400` whose message `describe` words.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, describe: (any Error) -> String) async throws -> T {
        let body = try await collect(request)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch {
            throw APIError.badRequest(describe(error))
        }
    }
}
