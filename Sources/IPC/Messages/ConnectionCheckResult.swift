/// What a worker's connection test found: what it could read (`3 accommodations found`), or why it failed
/// in words the tenant's owner can act on. Secrets never appear in it.
public struct ConnectionCheckResult: Codable, Sendable, Equatable {
    public var checkID: String
    /// Whether the upstream answered with the tenant's credentials.
    public var passed: Bool
    /// What was found, or what went wrong.
    public var message: String
    /// For a failed test, what failed: `authentication`, `upstream` (DNS, TLS, refused, timeouts, HTTP errors),
    /// `configuration` or `bad_payload`.
    public var errorKind: RunResult.ErrorKind?

    public init(checkID: String, passed: Bool, message: String, errorKind: RunResult.ErrorKind? = nil) {
        self.checkID = checkID
        self.passed = passed
        self.message = message
        self.errorKind = errorKind
    }

    enum CodingKeys: String, CodingKey {
        case checkID = "check_id"
        case passed, message
        case errorKind = "error_kind"
    }
}
