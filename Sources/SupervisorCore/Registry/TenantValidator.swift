import IPC
import Support
import SyncEngine

/// Checks a tenant as its worker would, before anything is stored: its id, its supervision settings, and
/// its connector, which reads every setting it knows (`base_url`, the credentials, `per_page`, …).
///
/// The connector is the same code the worker runs, built here without touching the network: a tenant the
/// registry accepts is one its worker can start with.
enum TenantValidator {
    /// Throws the ``APIError`` a client gets for `tenant`: `400` for a bad id or supervision setting,
    /// `422 unknown_connector`, or `422 invalid_settings` naming the setting (`settings.per_page`).
    static func validate(_ tenant: TenantConfiguration) throws(APIError) {
        guard TenantConfiguration.isValidID(tenant.id) else {
            throw APIError.badRequest("tenant id \"\(tenant.id)\" is invalid: use letters, digits, -, _ and . (at most 64)")
        }
        do {
            try tenant.supervision?.validate(context: "tenant \(tenant.id)")
        } catch {
            throw APIError.badRequest(error.message)
        }
        guard ConnectorRegistry.names.contains(tenant.connector) else {
            throw APIError(
                .unknownConnector, "tenant \(tenant.id): unknown connector \"\(tenant.connector)\"; known: \(ConnectorRegistry.names.joined(separator: ", "))",
                field: "connector"
            )
        }
        for (index, url) in tenant.webhookURLs.enumerated() where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw APIError(.invalidSettings, "tenant \(tenant.id): webhook URL \(index + 1) must start with http:// or https://", field: "webhook_urls")
        }
        let spec = TenantSpec(id: tenant.id, connector: tenant.connector, databaseURL: "", settings: tenant.settings, secretSettings: tenant.effectiveSecretSettings)
        do {
            _ = try ConnectorRegistry.connector(for: spec)
        } catch {
            throw APIError(.invalidSettings, SecretMasker(tenant: tenant).mask(error.message), field: error.setting.map { "settings.\($0)" })
        }
    }
}
