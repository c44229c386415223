import ArgumentParser
import CurlHTTP
import Foundation
import Support

/// Follows a Server-Sent Events log stream of the API over one long request, reconnecting with
/// `Last-Event-ID` when the connection drops; SIGINT (Ctrl-C) ends it with status 0.
struct LogStreamFollower {
    let api: APIOptions
    /// The first request: the tail, then live lines.
    let initialPath: String
    /// A reconnect: no new tail, only what `Last-Event-ID` says was missed.
    let resumePath: String

    /// Prints events through `handle` until interrupted; throws only when the first connection
    /// fails or the API refuses the request (a bad filter, a wrong key).
    func run(_ handle: (ServerSentEventParser.Event) -> Void) throws -> Never {
        // Ctrl-C is the normal way out of a follow: leave with what was printed flushed, status 0.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            fflush(nil)
            exit(0)
        }
        interrupt.resume()
        defer { interrupt.cancel() }

        var lastEventID: String?
        var retryMilliseconds = 2000
        var connected = false
        while true {
            var parser = ServerSentEventParser(lastEventID: lastEventID)
            var status = 0
            var errorBody: [UInt8] = []
            do {
                status = try CurlStreamingClient().stream(request(path: connected ? resumePath : initialPath, lastEventID: lastEventID)) { status, chunk in
                    guard (200..<300).contains(status) else {
                        errorBody.append(contentsOf: chunk.prefix(65_536 - errorBody.count))
                        return errorBody.count < 65_536
                    }
                    for event in parser.feed(chunk) { handle(event) }
                    fflush(nil)
                    return true
                }
            } catch {
                guard connected else { throw ValidationError("cannot reach the supervisor at \(api.url): \(error.message)") }
                status = 0
            }
            if status != 0, !(200..<300).contains(status), status < 500 {
                let object = (try? JSONSerialization.jsonObject(with: Data(errorBody))) as? [String: Any]
                throw ValidationError((object?["error"] as? [String: Any])?["message"] as? String ?? "HTTP \(status)")
            }
            connected = connected || (200..<300).contains(status)
            lastEventID = parser.lastEventID ?? lastEventID
            retryMilliseconds = parser.retryMilliseconds ?? retryMilliseconds
            FileHandle.standardError.write(Data("tenantsync: the log stream ended; reconnecting\n".utf8))
            // The server's `retry:` interval between attempts, as a browser's EventSource waits.
            Thread.sleep(forTimeInterval: Double(max(retryMilliseconds, 100)) / 1000)
        }
    }

    private func request(path: String, lastEventID: String?) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [(name: "Accept", value: "text/event-stream")]
        if let key = api.resolvedAPIKey { headers.append((name: "X-API-KEY", value: key)) }
        if let lastEventID { headers.append((name: "Last-Event-ID", value: lastEventID)) }
        // No overall timeout: the stream lasts until interrupted; TCP keep-alive notices a dead peer.
        return HTTPRequest(url: api.url + path, headers: headers, connectTimeout: .seconds(10), timeout: .zero)
    }
}
