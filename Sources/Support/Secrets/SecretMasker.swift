import Foundation

/// Replaces known secret values (a tenant's passwords, keys and tokens) with `***`.
///
/// Both processes mask with it: the worker before a log record leaves it, the supervisor before a
/// line is stored, written or sent. Values shorter than ``minimumLength`` are left alone: masking
/// every `1` or `ab` in a log would hide more than it protects. Percent-encoded forms are masked
/// too, since secrets often appear inside URLs: with every character but letters and digits encoded,
/// and with only those a URL's user-info may not hold bare (the form a connection URL carries).
public struct SecretMasker: Sendable {
    /// The shortest value masked.
    public static let minimumLength = 4
    /// What every secret is replaced with.
    public static let replacement = "***"
    private let secrets: [String]
    /// Whether a secret holds a backslash, newline or carriage return, which log text escapes: such a
    /// secret may not appear in an escaped line as it is, so ``occurs(in:)`` cannot vouch for one.
    ///
    /// Worked out once here: the supervisor asks for every read of a worker's pipe.
    public let hasEscapedForms: Bool

    public init(secrets: some Sequence<String>) {
        var all = Set<String>()
        for secret in secrets where secret.count >= Self.minimumLength {
            all.insert(secret)
            for allowed in [CharacterSet.alphanumerics, .urlPasswordAllowed] {
                if let encoded = secret.addingPercentEncoding(withAllowedCharacters: allowed), encoded != secret {
                    all.insert(encoded)
                }
            }
        }
        // Longest first, so a secret containing another is masked whole.
        self.secrets = all.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
        self.hasEscapedForms = all.contains { $0.utf8.contains { $0 == 0x5C || $0 == 0x0A || $0 == 0x0D } }
    }

    /// Whether there is nothing to mask.
    public var isEmpty: Bool { secrets.isEmpty }

    /// Whether any secret occurs, byte for byte, in `bytes`.
    public func occurs(in bytes: UnsafeRawBufferPointer) -> Bool {
        secrets.contains { secret in
            var secret = secret
            return secret.withUTF8 { Self.contains(bytes, UnsafeRawBufferPointer($0)) }
        }
    }

    /// `text` with every occurrence of every secret replaced by ``replacement``.
    public func mask(_ text: String) -> String {
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
            needle.withUTF8 { wanted in contains(UnsafeRawBufferPointer(haystack), UnsafeRawBufferPointer(wanted)) }
        }
    }

    private static func contains(_ haystack: UnsafeRawBufferPointer, _ wanted: UnsafeRawBufferPointer) -> Bool {
        guard wanted.count <= haystack.count, let base = haystack.baseAddress, let pattern = wanted.baseAddress else {
            return wanted.isEmpty
        }
        let first = Int32(wanted[0])
        var offset = 0
        let last = haystack.count - wanted.count
        while offset <= last {
            guard let hit = memchr(base + offset, first, last - offset + 1) else { return false }
            let position = UnsafeRawPointer(hit) - base
            if memcmp(base + position, pattern, wanted.count) == 0 { return true }
            offset = position + 1
        }
        return false
    }
}
