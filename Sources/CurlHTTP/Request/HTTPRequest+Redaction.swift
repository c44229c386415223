extension HTTPRequest: CustomDebugStringConvertible, CustomReflectable {
    public var debugDescription: String { description }

    /// What `dump` shows: the redacted URL, and header values only for headers that cannot hold a credential.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "method": method,
                "url": URLRedactor.redact(url),
                "headers": headers.map { (name: $0.name, value: Self.isSensitiveHeader($0.name) ? "<redacted>" : $0.value) },
                "bodyBytes": body?.count as Int? as Any,
                "basicAuth": basicAuth as Any,
                "connectTimeout": connectTimeout,
                "timeout": timeout,
                "followRedirects": followRedirects,
                "maximumRedirects": maximumRedirects,
            ],
            displayStyle: .struct
        )
    }

    /// Whether a header's value may be a credential: auth and cookie headers, and names like `X-Api-Key`.
    static func isSensitiveHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return lowered.contains("auth") || lowered.contains("cookie")
            || URLRedactor.sensitiveNameFragments.contains { lowered.contains($0) }
    }
}
