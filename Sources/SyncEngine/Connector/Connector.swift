import IPC

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
}
