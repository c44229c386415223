import CurlHTTP
import IPC
import Logging
import Synchronization

/// A tenant's connector for one run that remembers the first authentication error a stream threw.
///
/// A run's result carries its errors as text only; this is how the runtime learns that the upstream
/// refused the tenant's credentials, which no retry or restart can fix, so the worker reports it
/// and exits with the permanent-failure status (see ``WorkerRuntime``).
final class CredentialWatch: Connector {
    let base: any Connector
    private let rejection = Mutex<String?>(nil)

    init(_ base: any Connector) {
        self.base = base
    }

    var streams: [StreamDefinition] { base.streams }

    func checkConnection(http: CurlHTTPClient, logger: Logger) throws(SyncError) -> String {
        try base.checkConnection(http: http, logger: logger)
    }

    /// The message of the first authentication error of the run, if any.
    var rejectedBecause: String? { rejection.withLock { $0 } }

    func sync(stream: StreamDefinition, context: SyncContext) throws(SyncError) -> StreamCounts {
        do throws(SyncError) {
            return try base.sync(stream: stream, context: context)
        } catch {
            if error.code == .authentication {
                rejection.withLock { if $0 == nil { $0 = error.message } }
            }
            throw error
        }
    }
}
