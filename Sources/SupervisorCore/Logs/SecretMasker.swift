import Foundation

/// Replaces known secret values (a tenant's passwords, keys and tokens) with `***`.
///
/// Values shorter than ``minimumLength`` are left alone: masking every `1` or `ab` in a log
/// would hide more than it protects. Percent-encoded forms are masked too, since secrets
/// often appear inside URLs.
struct SecretMasker: Sendable {
    static let minimumLength = 4
    static let replacement = "***"
    private let secrets: [String]

    init(secrets: some Sequence<String>) {
        var all = Set<String>()
        for secret in secrets where secret.count >= Self.minimumLength {
            all.insert(secret)
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
                all.insert(encoded)
            }
        }
        // Longest first, so a secret containing another is masked whole.
        self.secrets = all.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// The secret values of a tenant's settings, plus the password of `databaseURL` if any.
    init(tenant: TenantConfiguration, databaseURL: String? = nil) {
        var values = tenant.effectiveSecretSettings.compactMap { tenant.settings[$0] }
        if let databaseURL, let password = URLComponents(string: databaseURL)?.password {
            values.append(password)
        }
        self.init(secrets: values)
    }

    var isEmpty: Bool { secrets.isEmpty }

    func mask(_ text: String) -> String {
        var result = text
        for secret in secrets where Self.contains(result, secret) {
            result = result.replacingOccurrences(of: secret, with: Self.replacement)
        }
        return result
    }

    /// A byte search (`memchr` for the first byte, then `memcmp`): most lines hold no secret, and
    /// Foundation's `contains` cost more per line than the rest of storing it.
    static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text
        var needle = needle
        return text.withUTF8 { haystack in
            needle.withUTF8 { wanted in
                guard wanted.count <= haystack.count, let base = haystack.baseAddress, let pattern = wanted.baseAddress else {
                    return wanted.isEmpty
                }
                let first = Int32(wanted[0])
                var offset = 0
                let last = haystack.count - wanted.count
                while offset <= last {
                    guard let hit = memchr(base + offset, first, last - offset + 1) else { return false }
                    let position = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                    if memcmp(base + position, pattern, wanted.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }
}
