import Dispatch
import Foundation
import Synchronization

/// SIGHUP, which ``TenantRegistryWatcher`` answers by applying the configuration file to the registry.
enum HangupSignals {
    /// SIGHUPs as an async sequence, with the handle that stops them.
    ///
    /// The default action of SIGHUP ends the process, so it is ignored first and observed through
    /// a dispatch source instead.
    static func observe() -> (signals: AsyncStream<Void>, stop: @Sendable () -> Void) {
        let (signals, sink) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { sink.yield() }
        source.resume()
        let handle = Mutex<(any DispatchSourceSignal)?>(source)
        return (signals, {
            handle.withLock { source in
                source?.cancel()
                source = nil
            }
            sink.finish()
        })
    }
}
