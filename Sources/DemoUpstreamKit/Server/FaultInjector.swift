import Hummingbird
import Synchronization

/// Decides, request by request, whether to fail on purpose (see ``DemoUpstreamFaults``).
final class FaultInjector: Sendable {
    /// What to do to one successful answer.
    struct BodyFaults: Sendable {
        var delay: Duration?
        var truncate = false
        var malformedRecord = false
        var reset = false
    }

    private struct State {
        var random: SplitMix64
        var burstLeft = 0
    }

    private let faults: DemoUpstreamFaults
    private let state: Mutex<State>

    init(faults: DemoUpstreamFaults) {
        self.faults = faults
        self.state = Mutex(State(random: SplitMix64(seed: faults.seed)))
    }

    /// Throws a 429 (in a burst) or a 500 for the drawn share of requests; otherwise returns what to
    /// do to the answer's body.
    func check() throws(DemoHTTPError) -> BodyFaults {
        let faults = self.faults
        enum Outcome { case rateLimited, error, pass(BodyFaults) }
        let outcome: Outcome = self.state.withLock { state in
            if state.burstLeft > 0 {
                state.burstLeft -= 1
                return .rateLimited
            }
            func draw(_ rate: Double) -> Bool { rate > 0 && state.random.chance(rate) }
            if draw(faults.rateLimitRate) {
                state.burstLeft = max(0, faults.rateLimitBurst - 1)
                return .rateLimited
            }
            if draw(faults.errorRate) { return .error }
            var body = BodyFaults()
            if draw(faults.slowRate) { body.delay = faults.slowDelay }
            if draw(faults.truncateRate) {
                body.truncate = true
            } else if draw(faults.resetRate) {
                body.reset = true
            } else if draw(faults.malformedRecordRate) {
                body.malformedRecord = true
            }
            return .pass(body)
        }
        switch outcome {
        case .rateLimited:
            var error = DemoHTTPError(status: .tooManyRequests, code: "rest_too_many_requests", message: "Too many requests.", style: .wordPress)
            error.retryAfterSeconds = faults.retryAfterSeconds
            throw error
        case .error:
            throw .injectedFault
        case .pass(let body):
            return body
        }
    }

    /// Waits out ``DemoUpstreamFaults/holdDelay`` when `page` is held; a stopping server answers sooner.
    func holdIfAsked(page: Int) async {
        if let first = self.faults.holdFromPage, page >= first {
            try? await Task.sleep(for: self.faults.holdDelay)
        }
    }

    /// Applies `faults` to a successful JSON answer.
    static func apply(_ faults: BodyFaults, to response: Response, body: ByteBuffer) async -> Response {
        if let delay = faults.delay {
            try? await Task.sleep(for: delay)
        }
        var bytes = Array(body.readableBytesView)
        if faults.truncate {
            bytes = Array(bytes.prefix(bytes.count / 2))
        } else if faults.malformedRecord, let open = bytes.firstIndex(of: UInt8(ascii: "[")) {
            let empty = bytes.index(after: open) < bytes.endIndex && bytes[bytes.index(after: open)] == UInt8(ascii: "]")
            let record = #"{"id":null,"malformed":true}"# + (empty ? "" : ",")
            bytes.insert(contentsOf: Array(record.utf8), at: bytes.index(after: open))
        }
        var response = response
        if faults.reset {
            let half = ByteBuffer(bytes: bytes.prefix(bytes.count / 2))
            response.headers[.contentLength] = String(bytes.count)
            response.body = ResponseBody { writer in
                try await writer.write(half)
                throw CancellationError()
            }
            return response
        }
        response.headers[.contentLength] = nil
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        return response
    }
}
