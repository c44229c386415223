/// How long a tenant lease lasts and how often its holder renews it (the `leases` configuration key).
public struct LeaseSettings: Codable, Sendable, Equatable {
    /// Seconds a lease (and a supervisor's membership) lasts without renewal; another supervisor may
    /// take the tenant once it has passed.
    public var duration: Double = 15
    /// Seconds between renewals of every held lease and of the membership row.
    public var renewInterval: Double = 5
    /// Seconds between looks for queued run rows of held tenants (runs started on another supervisor).
    public var pollInterval: Double = 1

    public init(duration: Double = 15, renewInterval: Double = 5, pollInterval: Double = 1) {
        self.duration = duration
        self.renewInterval = renewInterval
        self.pollInterval = pollInterval
    }

    enum CodingKeys: String, CodingKey {
        case duration
        case renewInterval = "renew_interval"
        case pollInterval = "poll_interval"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        duration = try container.decodeIfPresent(Double.self, forKey: .duration) ?? 15
        renewInterval = try container.decodeIfPresent(Double.self, forKey: .renewInterval) ?? 5
        pollInterval = try container.decodeIfPresent(Double.self, forKey: .pollInterval) ?? 1
    }

    /// A holder that could not renew stops its workers this long before the lease ends.
    ///
    /// One renewal interval: a worker is killed after two missed renewals at the defaults, five
    /// seconds before any other supervisor may take its tenant.
    var fencingMargin: Double { renewInterval }

    /// How often the lease loop looks for free tenants or a changed membership.
    var claimInterval: Double { min(renewInterval, 1) }

    func validate() throws(ConfigurationError) {
        guard duration > 0, renewInterval > 0, pollInterval > 0 else {
            throw ConfigurationError("leases: duration, renew_interval and poll_interval must be positive")
        }
        guard renewInterval * 2 < duration else {
            throw ConfigurationError("leases.renew_interval (\(renewInterval)) must be less than half of leases.duration (\(duration)), so a holder stops its workers before its lease ends")
        }
    }
}
