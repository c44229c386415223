/// Removes credentials from URLs before they reach errors, logs or descriptions.
///
/// Strips `user:password@` from the authority and replaces the value of every query (and fragment)
/// parameter whose name contains `key`, `secret`, `token`, `password`, `passwd` or `signature`
/// (case-insensitive, after percent-decoding the name) with `REDACTED`.
public enum URLRedactor {
    /// Lower-case fragments of parameter names whose values are treated as secrets.
    public static let sensitiveNameFragments = ["key", "secret", "token", "password", "passwd", "signature"]

    /// The placeholder written in place of a secret value.
    public static let placeholder = "REDACTED"

    /// Returns `url` without user info and with secret query values replaced.
    public static func redact(_ url: String) -> String {
        var rest = Substring(url)
        var fragment: Substring?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var result = stripUserInfo(rest)
        if let query {
            result += "?" + redactParameters(query)
        }
        if let fragment {
            result += "#" + redactParameters(fragment)
        }
        return result
    }

    private static func stripUserInfo(_ url: Substring) -> String {
        var authorityStart = url.startIndex
        if let scheme = url.firstRange(of: "://") {
            authorityStart = scheme.upperBound
        }
        let authorityEnd = url[authorityStart...].firstIndex(of: "/") ?? url.endIndex
        guard let at = url[authorityStart..<authorityEnd].lastIndex(of: "@") else {
            return String(url)
        }
        return String(url[..<authorityStart]) + String(url[url.index(after: at)...])
    }

    private static func redactParameters(_ parameters: Substring) -> String {
        parameters.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals]
            guard isSensitive(name) else { return String(pair) }
            return name + "=" + placeholder
        }.joined(separator: "&")
    }

    private static func isSensitive(_ name: Substring) -> Bool {
        let decoded = percentDecoded(name).lowercased()
        return sensitiveNameFragments.contains { decoded.contains($0) }
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let high = hexValue(utf8[utf8.startIndex]), let low = hexValue(utf8[utf8.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                utf8 = utf8.dropFirst(2)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
