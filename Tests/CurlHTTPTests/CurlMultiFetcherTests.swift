import CurlHTTP
import Hummingbird
import Support
import Synchronization
import Testing

@Suite("CurlMultiFetcher")
struct CurlMultiFetcherTests {
    /// Requests in flight on the server: the current count and the highest seen.
    final class InFlight: Sendable {
        private let state = Mutex((current: 0, highest: 0))

        func enter() {
            state.withLock {
                $0.current += 1
                $0.highest = max($0.highest, $0.current)
            }
        }

        func leave() {
            state.withLock { $0.current -= 1 }
        }

        var highest: Int { state.withLock { $0.highest } }
    }

    @Test("20 requests with at most 4 in flight, each delivered once with its index")
    func fetchTwenty() async throws {
        let inFlight = InFlight()
        let served = Arrivals()
        let router = Router()
        router.get("/item/:n") { _, context -> String in
            inFlight.enter()
            defer { inFlight.leave() }
            let n = try context.parameters.require("n", as: Int.self)
            if n == 0 {
                // Holds one slot until five more items were served after it arrived, which needs finished
                // transfers to free slots (only three others are open): so index 0 cannot complete first,
                // and fetches really overlap, however late its own request reaches the server.
                await served.wait(forMore: 5, atMost: 19)
            } else {
                await served.arrive()
            }
            return "item-\(n)"
        }
        try await withTestServer(router) { base in
            let requests = (0..<20).map { HTTPRequest(url: base + "/item/\($0)", timeout: .seconds(20)) }
            let fetcher = CurlMultiFetcher(maximumConcurrent: 4)
            let completions = await offPool { () -> [(index: Int, body: String?)] in
                var completions: [(index: Int, body: String?)] = []
                fetcher.fetchAll(requests) { index, result in
                    completions.append((index, try? result.get().bodyText))
                }
                return completions
            }
            #expect(completions.count == 20)
            #expect(Set(completions.map(\.index)) == Set(0..<20))
            for completion in completions {
                #expect(completion.body == "item-\(completion.index)")
            }
            #expect(completions.first?.index != 0, "completion order, not request order")
            #expect(inFlight.highest <= 4)
            #expect(inFlight.highest >= 2)
        }
    }

    @Test("Failures are delivered with their index and do not stop the others")
    func mixedFailures() async throws {
        try await withTestServer(makeTestRouter()) { base in
            try await withClosedLoopbackPort { closedPort in
                let requests = [
                    HTTPRequest(url: base + "/hello"),
                    HTTPRequest(url: "http://127.0.0.1:\(closedPort)/nothing"),
                    HTTPRequest(url: base + "/stall", timeout: .milliseconds(300)),
                    HTTPRequest(url: base + "/hello", headers: [(name: "Bad Name", value: "x")]),
                    HTTPRequest(method: "POST", url: base + "/echo", body: Array("payload".utf8)),
                ]
                let fetcher = CurlMultiFetcher(maximumConcurrent: 2)
                let results = await offPool { () -> [Int: Result<HTTPResponse, HTTPClientError>] in
                    var results: [Int: Result<HTTPResponse, HTTPClientError>] = [:]
                    fetcher.fetchAll(requests) { index, result in
                        #expect(results[index] == nil, "each index is delivered once")
                        results[index] = result
                    }
                    // A second batch on the same fetcher reuses its handles and connections.
                    fetcher.fetchAll([HTTPRequest(url: base + "/hello")]) { index, result in
                        results[100 + index] = result
                    }
                    return results
                }
                #expect(text(results[0]) == "hello, world")
                #expect(results[1].flatMap(failure)?.code == .couldNotConnect)
                #expect(results[2].flatMap(failure)?.code == .timeout)
                #expect(results[3].flatMap(failure)?.code == .invalidRequest)
                #expect(text(results[4]) == "payload")
                #expect(text(results[100]) == "hello, world")
                #expect(results[100].flatMap { try? $0.get().newConnections } == 0)
            }
        }
    }

    private func text(_ result: Result<HTTPResponse, HTTPClientError>?) -> String? {
        result.flatMap { try? $0.get().bodyText }
    }
}
