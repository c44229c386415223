/// The command line: `--url` is required, the rest have defaults.
struct Options: Sendable {
    var host = ""
    var port: UInt16 = 80
    var path = "/"
    var method = "GET"
    var rate = 1000.0
    var seconds = 10.0
    var connections = 10
    var headers: [String] = []

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    init<Arguments: Sequence<String>>(_ arguments: Arguments) throws {
        var iterator = arguments.makeIterator()
        var url: String?
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw UsageError(description: "\(flag) needs a value") }
            switch flag {
            case "--url": url = value
            case "--method": method = value
            case "--rate": rate = try Self.number(value, flag)
            case "--seconds": seconds = try Self.number(value, flag)
            case "--connections": connections = Int(try Self.number(value, flag))
            case "--header": headers.append(value)
            default: throw UsageError(description: "unknown option \(flag)")
            }
        }
        guard let url else { throw UsageError(description: "--url http://HOST:PORT/PATH is required") }
        guard url.hasPrefix("http://") else { throw UsageError(description: "only http:// URLs") }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix(while: { $0 != "/" })
        path = rest.dropFirst(authority.count).isEmpty ? "/" : String(rest.dropFirst(authority.count))
        if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let port = UInt16(authority[authority.index(after: colon)...]) else { throw UsageError(description: "bad port in \(url)") }
            self.port = port
        } else {
            host = String(authority)
        }
        guard rate > 0, seconds > 0, connections > 0 else { throw UsageError(description: "rate, seconds and connections must be positive") }
    }

    private static func number(_ value: String, _ flag: String) throws -> Double {
        guard let number = Double(value) else { throw UsageError(description: "\(flag): not a number: \(value)") }
        return number
    }

    /// The request every connection sends, with an empty body.
    var request: String {
        var lines = ["\(method) \(path) HTTP/1.1", "Host: \(host):\(port)", "Content-Length: 0"]
        lines += headers
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }
}
