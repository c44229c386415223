import DemoUpstreamKit
import IPC

/// Tenant specs pointing at a running demo upstream.
public enum DemoTenants {
    /// A MotoPress tenant for `site`, with the site's real credentials unless `secret` overrides them.
    ///
    /// `extra` adds or overrides connector settings (filters, `per_page`, retry settings).
    public static func motoPress(
        site: DemoSite, endpoint: DemoUpstreamEndpoint, databaseURL: String, secret: String? = nil, extra: [String: String] = [:]
    ) -> TenantSpec {
        TenantSpec(
            id: site.name,
            connector: "motopress",
            databaseURL: databaseURL,
            settings: [
                "base_url": "\(endpoint.baseURL)/sites/\(site.name)",
                "consumer_key": site.consumerKey,
                "consumer_secret": secret ?? site.consumerSecret,
            ].merging(extra) { _, new in new },
            secretSettings: ["consumer_secret"],
            heartbeatInterval: 0.2
        )
    }

    /// An estimates tenant for `site`, logging in with the site's credentials unless `password` overrides them.
    public static func estimates(
        site: DemoSite, endpoint: DemoUpstreamEndpoint, databaseURL: String, password: String? = nil, extra: [String: String] = [:]
    ) -> TenantSpec {
        TenantSpec(
            id: site.name,
            connector: "estimates",
            databaseURL: databaseURL,
            settings: [
                "base_url": endpoint.estimatesBaseURL(site: site.name),
                "email": site.estimatesEmail,
                "password": password ?? site.estimatesPassword,
            ].merging(extra) { _, new in new },
            secretSettings: ["password"],
            heartbeatInterval: 0.2
        )
    }
}
