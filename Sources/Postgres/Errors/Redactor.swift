/// Removes a connection's password and connection string from libpq messages before they reach an error.
///
/// libpq does not normally echo the password, but parse errors can quote parts of the conninfo, so
/// every message taken from libpq goes through ``scrub(_:)``.
struct Redactor: Sendable {
    /// Literal strings to hide, longest first so that a password inside the conninfo is hidden as a whole.
    private let secrets: [String]

    init(conninfo: String) {
        var secrets = [conninfo]
        if let password = PostgresConnectionString.password(in: conninfo), password.count >= 3 {
            secrets.append(password)
        }
        self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    func scrub(_ message: String) -> String {
        var text = message
        for secret in secrets where text.contains(secret) {
            text = text.replacing(secret, with: "***")
        }
        return Self.scrubPatterns(text)
    }

    /// Hides `password=...` (conninfo or URL query) and `user:password@` (URL authority) wherever they appear.
    static func scrubPatterns(_ message: String) -> String {
        var text = message.replacing(#/(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/#) { match in
            "\(match.output.1)***"
        }
        text = text.replacing(#/(://[^:/@\s]*):[^@\s/]*@/#) { match in
            "\(match.output.1):***@"
        }
        return text
    }
}
