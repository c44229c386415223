import DemoUpstreamKit
import IPC

/// Tenant specs pointing at a running demo upstream.
public enum DemoTenants {
    /// A MotoPress tenant for `site`, with the site's real credentials unless `secret` overrides them.
    public static func motoPress(site: DemoSite, endpoint: DemoUpstreamEndpoint, databaseURL: String, secret: String? = nil) -> TenantSpec {
        TenantSpec(
            id: site.name,
            connector: "motopress",
            databaseURL: databaseURL,
            settings: [
                "base_url": "\(endpoint.baseURL)/sites/\(site.name)",
                "consumer_key": site.consumerKey,
                "consumer_secret": secret ?? site.consumerSecret,
            ],
            secretSettings: ["consumer_secret"],
            heartbeatInterval: 0.2
        )
    }
}
