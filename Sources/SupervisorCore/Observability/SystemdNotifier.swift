#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Sends `sd_notify(3)` messages (`READY=1`, `WATCHDOG=1`, `STOPPING=1`, `STATUS=…`) to the service
/// manager over the unix datagram socket that `NOTIFY_SOCKET` names.
///
/// The protocol is one datagram of newline-separated `KEY=value` fields per message; an address
/// starting with `@` is in the abstract namespace. Each message opens, uses and closes its own socket,
/// as libsystemd does, and never blocks: a full queue is an error, not a stall.
public struct SystemdNotifier: Sendable, Equatable {
    /// Where the service manager listens.
    public enum Address: Sendable, Equatable {
        /// A socket file, such as `/run/systemd/notify`.
        case path(String)
        /// A name in the abstract namespace, written `@name` in `NOTIFY_SOCKET` (without the `@` here).
        case abstract(String)
    }

    public let address: Address

    public init(address: Address) {
        self.address = address
    }

    /// The notifier `NOTIFY_SOCKET` asks for, or `nil` when it is unset or empty (not run by systemd,
    /// or not as `Type=notify`).
    public init?(environment: [String: String]) throws(SystemdNotifyError) {
        guard let value = environment["NOTIFY_SOCKET"], !value.isEmpty else { return nil }
        if value.hasPrefix("@") {
            address = .abstract(String(value.dropFirst()))
        } else if value.hasPrefix("/") {
            address = .path(value)
        } else {
            throw SystemdNotifyError(.invalidAddress, "NOTIFY_SOCKET \(value) is neither an absolute path nor an abstract name (@…)")
        }
    }

    /// Sends one message made of `fields` (`["READY=1", "STATUS=listening"]`).
    public func notify(_ fields: [String]) throws(SystemdNotifyError) {
        let message = Array(fields.joined(separator: "\n").utf8)
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)!
        let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
        let name: [UInt8]
        switch address {
        case .path(let path):
            guard !path.utf8.contains(0) else { throw SystemdNotifyError(.invalidAddress, "NOTIFY_SOCKET holds a NUL byte") }
            name = Array(path.utf8) + [0]
        case .abstract(let abstract):
            name = [0] + Array(abstract.utf8)
        }
        guard name.count <= capacity else {
            throw SystemdNotifyError(.invalidAddress, "NOTIFY_SOCKET is longer than a unix socket address allows")
        }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: name) }
        let length = socklen_t(pathOffset + name.count)

        #if canImport(Glibc)
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_DGRAM | SOCK_CLOEXEC
        #endif
        let descriptor = socket(AF_UNIX, type, 0)
        guard descriptor >= 0 else { throw SystemdNotifyError(.socketFailed, errno: errno, "cannot open a unix datagram socket") }
        defer { close(descriptor) }
        let sent = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                sendto(descriptor, message, message.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), address, length)
            }
        }
        guard sent == message.count else {
            throw SystemdNotifyError(.sendFailed, errno: sent < 0 ? errno : nil, "cannot send \(fields.first ?? "a message") to NOTIFY_SOCKET")
        }
    }
}
