import DemoUpstreamKit
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A response read by ``DemoUpstreamTestClient``.
struct DemoTestResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first value of a header, by case-insensitive name.
    func header(_ name: String) -> String? {
        self.headers(named: name).first
    }

    /// Every value of a header, in order.
    func headers(named name: String) -> [String] {
        self.headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The body parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(self.body))
    }

    /// The body parsed as a JSON array of objects.
    func objects() throws -> [[String: Any]] {
        try #require(self.json() as? [[String: Any]])
    }

    /// The body parsed as a JSON object.
    func object() throws -> [String: Any] {
        try #require(self.json() as? [String: Any])
    }
}

/// A minimal HTTP/1.1 client over a POSIX socket, for talking to the demo upstream on loopback.
///
/// Foundation's URLSession is unreliable on Linux, and these tests want the exact bytes anyway. Each
/// request opens a connection, sends `Connection: close` and reads to EOF. The blocking socket calls
/// run on a thread of their own: blocking the cooperative pool could starve the server's handlers.
enum DemoUpstreamTestClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func get(
        port: Int, _ target: String, headers: [(String, String)] = []
    ) async throws -> DemoTestResponse {
        try await self.request(port: port, method: "GET", target: target, headers: headers, body: nil)
    }

    static func get(port: Int, _ target: String, site: DemoSite) async throws -> DemoTestResponse {
        try await self.get(port: port, target, headers: [("Authorization", site.basicAuthorization)])
    }

    static func post(port: Int, _ target: String, json: String) async throws -> DemoTestResponse {
        try await self.request(
            port: port, method: "POST", target: target, headers: [("Content-Type", "application/json")],
            body: Array(json.utf8)
        )
    }

    static func request(
        port: Int, method: String, target: String, headers: [(String, String)], body: [UInt8]?
    ) async throws -> DemoTestResponse {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result { try self.blockingSend(port: port, method: method, target: target, headers: headers, body: body) }
                )
            }
            thread.start()
        }
    }

    /// The same request, on the calling thread.
    static func blockingSend(
        port: Int, method: String, target: String, headers: [(String, String)], body: [UInt8]?
    ) throws -> DemoTestResponse {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect() to port \(port) failed: \(errno)") }

        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + (body ?? [])
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(description: "send() failed: \(errno)") }
            sent += count
        }

        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else { throw Failure(description: "recv() failed: \(errno)") }
            received.append(contentsOf: chunk[0..<count])
        }
        return try self.parse(received)
    }

    private static func parse(_ bytes: [UInt8]) throws -> DemoTestResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0...(max(bytes.count - 4, 0))).first(where: { Array(bytes[$0..<min($0 + 4, bytes.count)]) == separator })
        else { throw Failure(description: "no end of headers in \(bytes.count) bytes") }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line '\(lines[0])'")
        }
        let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var body = Array(bytes[(end + 4)...])
        let response = DemoTestResponse(status: status, headers: headers, body: body)
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            body = try self.dechunk(body)
        } else if let length = response.header("Content-Length").flatMap(Int.init), length < body.count {
            body = Array(body[..<length])
        }
        return DemoTestResponse(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = (index..<(bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16)
            else { throw Failure(description: "bad chunk") }
            if size == 0 { break }
            output.append(contentsOf: bytes[(lineEnd + 2)..<(lineEnd + 2 + size)])
            index = lineEnd + 2 + size + 2
        }
        return output
    }
}
