import Foundation
import Support

/// A minimal HTTP/1.1 client for `text/event-stream` over loopback: sends one GET and delivers
/// each event as it arrives. Blocking; run it off the cooperative pool.
final class ServerSentEventReader: @unchecked Sendable {
    typealias Event = ServerSentEventParser.Event

    private let socket: Int32

    init(port: Int, path: String, headers: [String: String]) throws {
        socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        _ = request.utf8CString.withUnsafeBufferPointer { send(socket, $0.baseAddress, $0.count - 1, 0) }
    }

    /// Shuts the connection, which also ends a blocked ``run(_:)``.
    func close() {
        shutdown(socket, Int32(SHUT_RDWR))
    }

    deinit { Foundation.close(socket) }

    /// Reads until the stream ends; returns the HTTP status. `onEvent` returning `false` stops.
    @discardableResult
    func run(_ onEvent: (Event) -> Bool) -> Int {
        var raw: [UInt8] = []
        var status = 0
        var headersDone = false
        var body: [UInt8] = []
        var parser = ServerSentEventParser()
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { return status }
            raw += buffer[0..<count]
            if !headersDone {
                guard let end = Self.find([13, 10, 13, 10], in: raw) else { continue }
                let head = String(decoding: raw[..<end], as: UTF8.self)
                status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                raw.removeFirst(end + 4)
                headersDone = true
            }
            // Chunked transfer encoding: "<hex size>\r\n<data>\r\n".
            while let lineEnd = Self.find([13, 10], in: raw) {
                guard let size = Int(String(decoding: raw[..<lineEnd], as: UTF8.self), radix: 16) else { return status }
                if size == 0 { return status }
                guard raw.count >= lineEnd + 2 + size + 2 else { break }
                body += raw[(lineEnd + 2)..<(lineEnd + 2 + size)]
                raw.removeFirst(lineEnd + 2 + size + 2)
            }
            for event in parser.feed(body) where !event.data.isEmpty {
                if !onEvent(event) { return status }
            }
            body.removeAll()
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
