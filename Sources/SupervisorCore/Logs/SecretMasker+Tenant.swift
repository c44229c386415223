import Postgres
import Support

extension SecretMasker {
    /// The secret values of a tenant's settings, plus the password of `databaseURL` if any.
    init(tenant: TenantConfiguration, databaseURL: String? = nil) {
        var values = tenant.effectiveSecretSettings.compactMap { tenant.settings[$0] }
        if let databaseURL, let password = PostgresConnectionString.password(in: databaseURL) {
            values.append(password)
        }
        self.init(secrets: values)
    }
}
