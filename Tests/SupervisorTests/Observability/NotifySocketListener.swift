import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A unix datagram socket standing in for systemd's notification socket in tests.
///
/// Bound to a file path or an abstract name; ``environmentValue`` is what goes in `NOTIFY_SOCKET`.
final class NotifySocketListener: Sendable {
    let environmentValue: String
    private let descriptor: Int32
    private let path: String?

    /// Binds to `path`, or to a fresh abstract name when `path` is `nil`.
    init(path: String?) throws {
        let type: Int32
        #if canImport(Glibc)
        type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        type = SOCK_DGRAM | SOCK_CLOEXEC
        #endif
        descriptor = socket(AF_UNIX, type, 0)
        guard descriptor >= 0 else { throw TestSupportError("socket: errno \(errno)") }
        let name: [UInt8]
        if let path {
            name = Array(path.utf8) + [0]
            environmentValue = path
        } else {
            let abstract = "tenantsync-test-\(UUID().uuidString)"
            name = [0] + Array(abstract.utf8)
            environmentValue = "@" + abstract
        }
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: name) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + name.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let error = errno
            close(descriptor)
            throw TestSupportError("bind \(environmentValue): errno \(error)")
        }
    }

    deinit {
        close(descriptor)
        if let path { unlink(path) }
    }

    /// The next datagram's text, or `nil` if none arrives within `timeout`. Waits on its own thread.
    func receive(timeout: Duration) async throws -> String? {
        let descriptor = descriptor
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        return try await offPool {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, milliseconds)
            guard ready > 0 else {
                if ready < 0 { throw TestSupportError("poll: errno \(errno)") }
                return nil
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count >= 0 else { throw TestSupportError("recv: errno \(errno)") }
            return String(decoding: buffer[..<count], as: UTF8.self)
        }
    }

    /// Datagrams until one contains `field` (as a whole line); fails at the deadline.
    func waitFor(_ field: String, timeout: Duration) async throws -> (message: String, before: [String]) {
        let deadline = ContinuousClock.now + timeout
        var before: [String] = []
        while ContinuousClock.now < deadline {
            guard let message = try await receive(timeout: deadline - ContinuousClock.now) else { break }
            if message.split(separator: "\n").contains(Substring(field)) { return (message, before) }
            before.append(message)
        }
        throw TestSupportError("no \(field) on \(environmentValue) within \(timeout); got \(before)")
    }
}
