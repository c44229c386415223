import Foundation
import Testing
import TestSupport

@Suite("tenantsync logs -f: reconnects with Last-Event-ID, reports dropped lines")
struct LogsFollowReconnectTests {
    @Test("a dropped stream is resumed with Last-Event-ID; a dropped notice goes to stderr; SIGINT exits 0")
    func reconnects() async throws {
        let server = try OneShotEventServer()
        let requests = AsyncInbox<String>()
        let open = AsyncInbox<OneShotEventServer.Connection>()
        let serverThread = Thread {
            // First connection: one line, then the connection drops.
            guard let first = server.accept() else { return }
            requests.push(first.request)
            first.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\nretry: 50\n\n"
                + Self.event(id: 5, message: "before the drop"))
            first.close()
            // Second: what was missed, then the stream stays open until the test ends.
            guard let second = server.accept() else { return }
            requests.push(second.request)
            second.send("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                + "event: dropped\ndata: {\"dropped\":7,\"message\":\"dropped 7 lines: this follower fell behind; the log files have every line\"}\n\n"
                + Self.event(id: 6, message: "after the reconnect"))
            open.push(second)
        }
        serverThread.start()
        defer { server.close() }

        let errors = Pipe()
        let command = try LineStreamingCommand(executable: try Binaries.path(of: "tenantsync"), arguments: [
            "logs", "hotel-r", "-f", "--lines", "3", "--url", "http://127.0.0.1:\(server.port)", "--api-key", "key_reconnect_123456",
        ], standardError: errors)
        defer { command.terminate() }
        let (process, lines, exits) = (command.process, command.lines, command.exits)

        let firstRequest = try #require(try await requests.next(timeout: .seconds(30)))
        #expect(firstRequest.hasPrefix("GET /api/tenants/hotel-r/logs?lines=3&follow=true "))
        #expect(firstRequest.contains("Accept: text/event-stream"))
        #expect(!firstRequest.contains("Last-Event-ID"))
        #expect(try await lines.next(timeout: .seconds(30))?.hasSuffix("before the drop") == true)

        let secondRequest = try #require(try await requests.next(timeout: .seconds(30)))
        #expect(secondRequest.hasPrefix("GET /api/tenants/hotel-r/logs?lines=0&follow=true "), "a reconnect asks for no new tail")
        #expect(secondRequest.contains("Last-Event-ID: 5\r\n"))
        let resumed = try #require(try await lines.next(timeout: .seconds(30)))
        #expect(resumed == "hotel-r | 2026-01-02T03:04:05.678Z INFO after the reconnect")

        process.interrupt()
        #expect(try await exits.next(timeout: .seconds(30)) == 0)
        try await open.next(timeout: .seconds(5))?.close()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("dropped 7 lines: this follower fell behind"))
        #expect(stderr.contains("reconnecting"))
        #expect(!stderr.contains("key_reconnect_123456"))
    }

    static func event(id: Int, message: String) -> String {
        "id: \(id)\nevent: log\ndata: {\"seq\":\(id),\"tenant\":\"hotel-r\",\"timestamp\":\"2026-01-02T03:04:05.678Z\",\"level\":\"info\",\"source\":\"stderr\",\"message\":\"\(message)\"}\n\n"
    }
}

/// A loopback listener that hands out accepted connections with their request head read.
private final class OneShotEventServer: @unchecked Sendable {
    final class Connection: @unchecked Sendable {
        let socket: Int32
        let request: String

        init(socket: Int32, request: String) {
            self.socket = socket
            self.request = request
        }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeBytes { Foundation.send(socket, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { return }
                offset += sent
            }
        }

        func close() {
            shutdown(socket, Int32(SHUT_RDWR))
            Foundation.close(socket)
        }
    }

    let port: Int
    private let listener: Int32

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 4) == 0 else {
            Foundation.close(listener)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
    }

    /// The next connection with its request head, or `nil` once closed.
    func accept() -> Connection? {
        let client = Foundation.accept(listener, nil, nil)
        guard client >= 0 else { return nil }
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { break }
            head += buffer[0..<count]
        }
        return Connection(socket: client, request: String(decoding: head, as: UTF8.self))
    }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Foundation.close(listener)
    }
}
