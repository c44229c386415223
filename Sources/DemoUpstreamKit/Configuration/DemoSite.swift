/// One tenant's fake site: its name in the URL, its credentials and how much data it holds.
///
/// Credentials are derived from the name and seed, so a test or a script that knows both can compute
/// them without asking the server: ``defaultConsumerKey(name:)``, ``defaultConsumerSecret(name:seed:)``,
/// ``defaultEstimatesEmail(name:)`` and ``defaultEstimatesPassword(name:seed:)``. They are fake demo
/// data, but `description` still leaves the secrets out.
public struct DemoSite: Sendable, Hashable, CustomStringConvertible {
    /// The path segment in `/sites/{name}/…`: `a-z`, `0-9`, `-` and `_`, at most 64 characters.
    public var name: String
    /// Seed of all of this site's generated data.
    public var seed: UInt64
    /// Accommodations listed by `/accommodations`.
    public var accommodationCount: Int
    /// Extra accommodations that bookings reference but `/accommodations` does not list (trashed units).
    public var trashedAccommodationCount: Int
    /// Bookings served by `/bookings`.
    public var bookingCount: Int
    /// Estimates served by the estimates API.
    public var estimateCount: Int
    /// The MotoPress REST consumer key (`ck_…`).
    public var consumerKey: String
    /// The MotoPress REST consumer secret (`cs_…`).
    public var consumerSecret: String
    /// The estimates API login email.
    public var estimatesEmail: String
    /// The estimates API login password.
    public var estimatesPassword: String
    /// Whether WordPress sees its requests as HTTPS (the demo's plain loopback HTTP standing for a
    /// TLS-terminating proxy, as in production). When `false`, the site behaves as a real WordPress
    /// reached over plain `http://`: it ignores Basic authentication, so every request is anonymous.
    public var isHTTPS = true

    /// Creates a site with credentials derived from `name` and `seed`.
    public init(
        name: String,
        seed: UInt64 = 1,
        accommodations: Int = 12,
        trashedAccommodations: Int = 0,
        bookings: Int = 50,
        estimates: Int = 1_609
    ) {
        self.name = name
        self.seed = seed
        self.accommodationCount = accommodations
        self.trashedAccommodationCount = trashedAccommodations
        self.bookingCount = bookings
        self.estimateCount = estimates
        self.consumerKey = Self.defaultConsumerKey(name: name)
        self.consumerSecret = Self.defaultConsumerSecret(name: name, seed: seed)
        self.estimatesEmail = Self.defaultEstimatesEmail(name: name)
        self.estimatesPassword = Self.defaultEstimatesPassword(name: name, seed: seed)
    }

    /// `ck_<name>`.
    public static func defaultConsumerKey(name: String) -> String {
        "ck_\(name)"
    }

    /// `cs_` and 40 hex digits drawn from a hash of the name and the seed.
    public static func defaultConsumerSecret(name: String, seed: UInt64) -> String {
        var generator = SplitMix64.stream(site: name, seed: seed, stream: "consumer-secret")
        return "cs_" + generator.hex(40)
    }

    /// `estimates@<name>.example`.
    public static func defaultEstimatesEmail(name: String) -> String {
        "estimates@\(name).example"
    }

    /// `pw_` and 24 hex digits drawn from a hash of the name and the seed.
    public static func defaultEstimatesPassword(name: String, seed: UInt64) -> String {
        var generator = SplitMix64.stream(site: name, seed: seed, stream: "estimates-password")
        return "pw_" + generator.hex(24)
    }

    public var description: String {
        "DemoSite(\(self.name), seed: \(self.seed), accommodations: \(self.accommodationCount)"
            + "+\(self.trashedAccommodationCount) trashed, bookings: \(self.bookingCount), "
            + "estimates: \(self.estimateCount), consumerKey: \(self.consumerKey))"
    }

    func validate() throws(DemoUpstreamError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        guard !self.name.isEmpty, self.name.utf8.count <= 64, self.name.utf8.allSatisfy(allowed.contains) else {
            throw DemoUpstreamError(code: .invalidSiteName, context: "site name '\(self.name)'")
        }
        let counts = [
            ("accommodations", self.accommodationCount, 1), ("trashedAccommodations", self.trashedAccommodationCount, 0),
            ("bookings", self.bookingCount, 0), ("estimates", self.estimateCount, 0),
        ]
        for (label, value, minimum) in counts where value < minimum || value > 10_000_000 {
            throw DemoUpstreamError(code: .invalidValue, context: "site '\(self.name)': \(label) = \(value)")
        }
    }
}
