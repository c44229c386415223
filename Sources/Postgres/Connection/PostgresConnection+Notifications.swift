import CPostgres
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PostgresConnection {
    /// Starts listening on `channel`; notifications then arrive through ``waitForNotifications(timeout:)``.
    ///
    /// `channel` is an identifier, double-quoted here, not data: pass a constant of the program.
    public func listen(_ channel: String) throws(PostgresError) {
        let quoted = "\"" + channel.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        try execute("LISTEN " + quoted)
    }

    /// Waits up to `timeout` seconds for notifications and returns those that arrived (none at the deadline).
    ///
    /// Blocks the calling thread in `poll(2)` on the connection's socket, so call it from a thread of its own
    /// (a ``PostgresClient`` of one connection). Notifications already read by an earlier statement are
    /// returned at once.
    /// - Throws: ``PostgresError/Code/connectionLost`` when the server closed the connection.
    public func waitForNotifications(timeout: Double) throws(PostgresError) -> [PostgresNotification] {
        let pointer = handle.pointer
        var received = drainNotifications()
        guard received.isEmpty else { return received }
        let socket = PQsocket(pointer)
        guard socket >= 0 else { throw PostgresError(code: .connectionLost, message: lastErrorMessage) }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(0, timeout) * 1000))
        guard ready > 0 else { return [] }
        guard PQconsumeInput(pointer) == 1 else {
            throw PostgresError(code: .connectionLost, message: lastErrorMessage)
        }
        received = drainNotifications()
        if received.isEmpty, PQstatus(pointer) != CONNECTION_OK {
            throw PostgresError(code: .connectionLost, message: lastErrorMessage)
        }
        return received
    }

    /// Every notification libpq has read and not handed out yet.
    private func drainNotifications() -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let raw = PQnotifies(handle.pointer) {
            let notice = raw.pointee
            received.append(PostgresNotification(
                channel: notice.relname.map { String(cString: $0) } ?? "",
                payload: notice.extra.map { String(cString: $0) } ?? "",
                senderPID: notice.be_pid
            ))
            PQfreemem(raw)
        }
        return received
    }
}
