/// Everything the demo upstream serves and how: address, sites, latency and injected faults.
///
/// The server only ever binds a loopback address; ``validate()`` refuses anything else.
public struct DemoUpstreamConfiguration: Sendable, Hashable {
    /// Loopback address to bind: `127.0.0.1` (default), another `127.x.y.z`, `localhost` or `::1`.
    public var host: String
    /// Port to bind; `0` lets the system pick a free one, reported when the server is listening.
    public var port: Int
    /// The sites served, each under `/sites/{name}/`.
    public var sites: [DemoSite]
    /// Simulated upstream latency, slept before answering each API request.
    public var latency: Duration
    /// Failures injected on purpose.
    public var faults: DemoUpstreamFaults
    /// Number of authenticated requests an estimates token serves before it expires with a 401.
    public var estimatesTokenLifetime: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        sites: [DemoSite],
        latency: Duration = .zero,
        faults: DemoUpstreamFaults = .none,
        estimatesTokenLifetime: Int = 100
    ) {
        self.host = host
        self.port = port
        self.sites = sites
        self.latency = latency
        self.faults = faults
        self.estimatesTokenLifetime = estimatesTokenLifetime
    }

    /// Creates a configuration whose sites share one shape: handy for demos and load tests.
    public init(
        siteNames: [String],
        seed: UInt64 = 1,
        accommodations: Int = 12,
        trashedAccommodations: Int = 0,
        bookings: Int = 50,
        estimates: Int = 1_609
    ) {
        self.init(
            sites: siteNames.map {
                DemoSite(
                    name: $0, seed: seed, accommodations: accommodations,
                    trashedAccommodations: trashedAccommodations, bookings: bookings, estimates: estimates
                )
            }
        )
    }

    /// Checks the host is loopback, the port, lifetimes and counts are in range, and names are unique.
    public func validate() throws(DemoUpstreamError) {
        guard Self.isLoopback(self.host) else {
            throw DemoUpstreamError(code: .nonLoopbackHost, context: "host '\(self.host)' is not a loopback address")
        }
        guard (0...65_535).contains(self.port) else {
            throw DemoUpstreamError(code: .invalidValue, context: "port \(self.port)")
        }
        guard self.estimatesTokenLifetime >= 1 else {
            throw DemoUpstreamError(code: .invalidValue, context: "estimatesTokenLifetime \(self.estimatesTokenLifetime)")
        }
        for (name, rate) in self.faults.rates where !(0...1).contains(rate) {
            throw DemoUpstreamError(code: .invalidValue, context: "faults.\(name) \(rate)")
        }
        guard self.faults.rateLimitBurst >= 1, self.faults.retryAfterSeconds >= 0, self.faults.slowDelay >= .zero,
            self.faults.holdDelay >= .zero, (self.faults.holdFromPage ?? 1) >= 1
        else {
            throw DemoUpstreamError(code: .invalidValue, context: "faults: rateLimitBurst, retryAfterSeconds, slowDelay, holdFromPage or holdDelay")
        }
        guard self.latency >= .zero else {
            throw DemoUpstreamError(code: .invalidValue, context: "latency \(self.latency)")
        }
        var seen = Set<String>()
        for site in self.sites {
            try site.validate()
            guard seen.insert(site.name).inserted else {
                throw DemoUpstreamError(code: .duplicateSiteName, context: "site name '\(site.name)'")
            }
        }
    }

    /// Whether `host` names the loopback interface: `localhost`, `::1` or an IPv4 address in 127/8.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { octet in
            guard (1...3).contains(octet.count), octet.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(octet)
            else { return false }
            return (0...255).contains(value)
        }
    }
}
