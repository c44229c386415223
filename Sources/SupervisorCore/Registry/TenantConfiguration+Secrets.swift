/// Secret settings as API answers show them, and as clients send them back.
extension TenantConfiguration {
    /// What every answer shows in place of a secret setting's value.
    public static let maskedSecret = "***"

    /// The tenant with every secret setting's value replaced by ``maskedSecret``.
    func maskingSecrets() -> TenantConfiguration {
        var masked = self
        for name in effectiveSecretSettings where masked.settings[name] != nil {
            masked.settings[name] = Self.maskedSecret
        }
        return masked
    }

    /// The tenant with each secret setting sent as ``maskedSecret`` given its value in `stored`, so a
    /// tenant read from the API can be sent back changed without repeating its secrets.
    ///
    /// A masked secret that `stored` does not hold stays as it is, and the connector then refuses it.
    func restoringSecrets(from stored: TenantConfiguration?) -> TenantConfiguration {
        guard let stored else { return self }
        var restored = self
        for name in effectiveSecretSettings where settings[name] == Self.maskedSecret {
            if let value = stored.settings[name] { restored.settings[name] = value }
        }
        return restored
    }
}
