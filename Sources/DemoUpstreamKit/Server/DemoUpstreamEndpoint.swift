/// Where a running demo upstream listens, and the base URLs of its sites' APIs.
public struct DemoUpstreamEndpoint: Sendable, Hashable {
    /// The loopback host it is bound to.
    public let host: String
    /// The port it is bound to; the real one when the configuration asked for `0`.
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `http://127.0.0.1:PORT`, with brackets around an IPv6 host.
    public var baseURL: String {
        let host = self.host.contains(":") && !self.host.hasPrefix("[") ? "[\(self.host)]" : self.host
        return "http://\(host):\(self.port)"
    }

    /// The MotoPress REST base of a site, `…/sites/{site}/wp-json/mphb/v1`, without a trailing slash.
    public func motoPressBaseURL(site: String) -> String {
        "\(self.baseURL)/sites/\(site)/wp-json/mphb/v1"
    }

    /// The estimates API base of a site, `…/sites/{site}/estimates-api`, without a trailing slash.
    public func estimatesBaseURL(site: String) -> String {
        "\(self.baseURL)/sites/\(site)/estimates-api"
    }
}
