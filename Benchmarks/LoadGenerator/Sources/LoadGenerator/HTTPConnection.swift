import Glibc

/// Why a request got no complete answer; the generator counts these as errors and reconnects.
struct ConnectionError: Error, CustomStringConvertible {
    let description: String
}

/// One keep-alive HTTP/1.1 connection over a blocking POSIX socket, one request at a time.
///
/// Reads every answer in full (its `Content-Length` body, or a chunked body) so that the next
/// request on the connection starts from a clean stream.
final class HTTPConnection {
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    private let address: sockaddr_in

    init(host: String, port: UInt16) throws {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let resolved = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, resolved, &address.sin_addr) == 1 else {
            throw ConnectionError(description: "not an IPv4 address: \(host)")
        }
        self.address = address
    }

    deinit { close() }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
        buffer.removeAll(keepingCapacity: true)
    }

    func connect() throws {
        close()
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ConnectionError(description: "socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // A stalled answer becomes an error after 30 s instead of hanging the run.
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = self.address
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw ConnectionError(description: "connect: errno \(code)")
        }
        self.fd = fd
    }

    /// Sends `request` (a complete HTTP/1.1 request) and returns the answer's status code once its
    /// whole body has arrived.
    func exchange(_ request: [UInt8]) throws -> Int {
        if fd < 0 { try connect() }
        try send(request)
        let head = try readHead()
        let (status, contentLength, chunked, closes) = try parseHead(head)
        if chunked {
            try skipChunkedBody()
        } else if let contentLength {
            try skip(contentLength)
        }
        if closes { close() }
        return status
    }

    private func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConnectionError(description: "send: errno \(errno)")
            }
            sent += n
        }
    }

    /// Reads more bytes into `buffer`; throws at end of stream or on a timeout.
    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return
            }
            if n < 0 && errno == EINTR { continue }
            throw ConnectionError(description: n == 0 ? "connection closed by the server" : "recv: errno \(errno)")
        }
    }

    /// The bytes up to and including the next CRLF CRLF, removed from `buffer`.
    private func readHead() throws -> [UInt8] {
        var searchFrom = 0
        while true {
            if buffer.count >= 4 {
                for i in searchFrom...(buffer.count - 4)
                where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
                    let head = Array(buffer[0..<(i + 4)])
                    buffer.removeFirst(i + 4)
                    return head
                }
                searchFrom = buffer.count - 3
            }
            guard buffer.count < 65536 else { throw ConnectionError(description: "response head over 64 KiB") }
            try fill()
        }
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 1)
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
            try fill()
        }
    }

    private func skip(_ count: Int) throws {
        var left = count
        while left > 0 {
            if buffer.isEmpty { try fill() }
            let n = min(left, buffer.count)
            buffer.removeFirst(n)
            left -= n
        }
    }

    private func skipChunkedBody() throws {
        while true {
            let sizeField = try readLine().split(separator: ";", maxSplits: 1).first ?? ""
            guard let size = Int(sizeField.trimmingCharacters(), radix: 16) else {
                throw ConnectionError(description: "bad chunk size")
            }
            if size == 0 {
                // Trailers, if any, end with an empty line.
                while try !readLine().isEmpty {}
                return
            }
            try skip(size + 2)
        }
    }

    private func parseHead(_ head: [UInt8]) throws -> (status: Int, contentLength: Int?, chunked: Bool, closes: Bool) {
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1."),
              let code = statusLine.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw ConnectionError(description: "bad status line")
        }
        var contentLength: Int?
        var chunked = false
        var closes = statusLine.hasPrefix("HTTP/1.0")
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters().lowercased()
            switch name {
            case "content-length": contentLength = Int(value)
            case "transfer-encoding": chunked = value.contains("chunked")
            case "connection": closes = value.contains("close")
            default: break
            }
        }
        return (code, contentLength, chunked, closes)
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
