import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A unix datagram socket standing in for systemd's notification socket in tests.
///
/// Bound to a file path or an abstract name; ``environmentValue`` is what goes in `NOTIFY_SOCKET`. Once
/// reading (from the start, unless told otherwise), a thread of its own takes every datagram as it
/// arrives, as systemd does, and keeps it. Call ``close()`` when done.
final class NotifySocketListener: Sendable {
    let environmentValue: String
    /// Every datagram's text, in order of arrival.
    private let received = Mutex<[String]>([])
    /// How many of ``received`` ``waitFor(_:timeout:)`` has handed out.
    private let consumed = Mutex(0)
    private let descriptor: Int32
    private let path: String?
    private let state = Mutex<(reading: Bool, stopping: Bool)>((false, false))

    /// Binds to `path`, or to a fresh abstract name when `path` is `nil`.
    init(path: String?, reading: Bool = true) throws {
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
            Glibc.close(descriptor)
            throw TestSupportError("bind \(environmentValue): errno \(error)")
        }
        if reading { startReading() }
    }

    /// Starts the thread that takes datagrams as they arrive.
    func startReading() {
        guard state.withLock({ state in
            defer { state.reading = true }
            return !state.reading
        }) else { return }
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !state.withLock({ $0.stopping }) {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 50) > 0 else { continue }
                let count = recv(descriptor, &buffer, buffer.count, 0)
                if count >= 0 {
                    let message = String(decoding: buffer[..<count], as: UTF8.self)
                    received.withLock { $0.append(message) }
                }
            }
            // The reader owns the socket once started: closing it here never races a poll.
            release()
        }.start()
    }

    /// Stops the reader (which then closes the socket) or closes the socket at once; never blocks.
    func close() {
        let wasReading = state.withLock { state in
            state.stopping = true
            return state.reading
        }
        if !wasReading { release() }
    }

    private func release() {
        Glibc.close(descriptor)
        if let path { unlink(path) }
    }

    /// The messages not handed out yet, up to and including the first that holds `field` as a whole line,
    /// waiting for it until the deadline; fails listing what came instead. Re-checks every 20 ms: the
    /// messages come from the reader thread, and a check costs nothing.
    func waitFor(_ field: String, timeout: Duration) async throws -> (message: String, before: [String]) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found: (message: String, before: [String])? = consumed.withLock { consumed in
                let messages = received.withLock { Array($0[consumed...]) }
                guard let index = messages.firstIndex(where: { $0.split(separator: "\n").contains(Substring(field)) }) else {
                    return nil
                }
                consumed += index + 1
                return (messages[index], Array(messages[..<index]))
            }
            if let found { return found }
            guard ContinuousClock.now < deadline else {
                let pending = consumed.withLock { consumed in received.withLock { Array($0[consumed...]) } }
                throw TestSupportError("no \(field) on \(environmentValue) within \(timeout); got \(pending)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
