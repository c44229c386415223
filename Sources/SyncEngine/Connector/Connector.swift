import CurlHTTP
import IPC
import Logging

/// A source of records for one kind of upstream system, split into streams.
///
/// A connector declares its streams with their parents; the engine runs them in dependency
/// order and never runs a stream whose parent failed. Adding a connector means adding one
/// folder with a type conforming to this protocol and one line in ``ConnectorRegistry``.
public protocol Connector: Sendable {
    /// Every stream, with its parents; the order here does not matter.
    var streams: [StreamDefinition] { get }

    /// Syncs one stream to completion and returns its counts, throwing on failure.
    ///
    /// Runs on the worker's sync thread; may block. Must check ``SyncContext/isCancelled``
    /// between pages and stop early (throwing ``SyncError/Code/cancelled``) when set.
    func sync(stream: StreamDefinition, context: SyncContext) throws(SyncError) -> StreamCounts

    /// Reads a little from the upstream with the tenant's settings and says what it found, in words for
    /// the tenant's owner (`3 accommodations found`); throws what failed (refused credentials, DNS, TLS, …).
    ///
    /// Runs on a thread of its own, beside any sync; may block. Writes nothing.
    func checkConnection(http: CurlHTTPClient, logger: Logger) throws(SyncError) -> String
}

extension Connector {
    /// A connector without a test of its own.
    public func checkConnection(http: CurlHTTPClient, logger: Logger) throws(SyncError) -> String {
        throw SyncError(code: .configuration, message: "this connector has no connection test")
    }
}
