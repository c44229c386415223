/// The estimates API's bearer tokens for one site and how many requests each has left.
///
/// A plain state machine, kept behind a `Mutex` by the site store. Tokens expire after a fixed number
/// of requests, not after a time, so tests can make a client hit an expiry on a page of their choice.
struct EstimatesTokenBook: Sendable {
    /// Tokens still outstanding at most; the oldest are forgotten first.
    static let capacity = 1_024

    private var random: SplitMix64
    private var remaining: [String: Int] = [:]
    private var issueOrder: [String] = []

    init(siteName: String, seed: UInt64) {
        self.random = SplitMix64.stream(site: siteName, seed: seed, stream: "estimates-tokens")
    }

    /// Issues a new token good for `lifetime` requests.
    mutating func issue(lifetime: Int) -> String {
        let token = "est_" + self.random.hex(40)
        self.remaining[token] = lifetime
        self.issueOrder.append(token)
        if self.issueOrder.count > Self.capacity {
            let excess = self.issueOrder.count - Self.capacity
            for old in self.issueOrder[..<excess] { self.remaining[old] = nil }
            self.issueOrder.removeFirst(excess)
        }
        return token
    }

    /// Spends one request of `token`; returns whether the token was still valid.
    mutating func use(_ token: String) -> Bool {
        guard let left = self.remaining[token], left > 0 else { return false }
        self.remaining[token] = left - 1 == 0 ? nil : left - 1
        return true
    }
}
