import CPostgres

/// What a connection string says, read by libpq's own parser.
///
/// libpq accepts `key=value` conninfo (with quoting and escapes) and `postgresql://` URLs (with
/// percent-encoding, and keywords in the query string too); no other parser knows every form, so
/// anything that must find a password in a connection string (to mask it in logs and errors) asks here.
public enum PostgresConnectionString {
    /// The password `conninfo` carries, decoded as libpq would use it; `nil` when it carries none
    /// (or an empty one) or libpq cannot parse it. Never reads `PGPASSWORD` or a password file.
    public static func password(in conninfo: String) -> String? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(conninfo, &errorMessage)
        defer {
            if let options {
                PQconninfoFree(options)
            }
            if let errorMessage {
                PQfreemem(errorMessage)
            }
        }
        guard var option = options else {
            return nil
        }
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                let password = String(cString: value)
                return password.isEmpty ? nil : password
            }
            option += 1
        }
        return nil
    }
}
