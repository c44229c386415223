import Foundation
import TestSupport

/// A plain TCP connection to the supervisor, for requests no HTTP client library sends: a body
/// written whole before reading, a request that stops halfway. Reads and writes time out.
final class RawHTTPConnection {
    private let descriptor: Int32

    /// What one read saw.
    enum Read: Equatable {
        case data([UInt8])
        case closed
        case timedOut
    }

    init(port: Int, timeout: Duration) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket() failed") }
        var interval = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else {
            close(descriptor)
            throw TestSupportError("cannot connect to port \(port): errno \(errno)")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Writes all of `bytes`; throws when the peer closed or a write timed out.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { buffer in
                Foundation.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw TestSupportError("write failed after \(offset) of \(bytes.count) bytes: errno \(errno)") }
            offset += written
        }
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// One read: what arrived, the peer's close, or nothing before the timeout.
    func read() -> Read {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { return .data(Array(buffer.prefix(count))) }
        if count == 0 { return .closed }
        return errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .closed
    }

    /// Everything until the peer closes; throws on a timeout.
    func readToEnd() throws -> [UInt8] {
        var received: [UInt8] = []
        while true {
            switch read() {
            case .data(let bytes): received += bytes
            case .closed: return received
            case .timedOut: throw TestSupportError("timed out reading; got \(received.count) bytes")
            }
        }
    }

    /// An HTTP/1.1 answer split into its status and its body (a `Content-Length` body).
    static func parse(_ bytes: [UInt8]) -> (status: Int, headers: String, body: [String: Any]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return (0, text, [:]) }
        let head = String(text[..<split.lowerBound])
        let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        let body = (try? JSONSerialization.jsonObject(with: Data(text[split.upperBound...].utf8))) as? [String: Any] ?? [:]
        return (status, head, body)
    }
}
