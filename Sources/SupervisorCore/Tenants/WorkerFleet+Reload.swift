import Dispatch
import Foundation
import Synchronization

/// SIGHUP: re-read the configuration file's tenants (and `default_schedule`) and reconcile the fleet.
extension WorkerFleet {
    /// SIGHUPs as an async sequence, with the handle that stops them.
    ///
    /// The default action of SIGHUP ends the process, so it is ignored first and observed through
    /// a dispatch source instead.
    static func hangups() -> (signals: AsyncStream<Void>, stop: @Sendable () -> Void) {
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

    /// Reloads tenants from `path`; a bad file is logged and changes nothing.
    func reload(from path: String) async {
        logger.info("SIGHUP: reloading tenants", metadata: ["config.path": "\(path)"])
        let configuration: SupervisorConfiguration
        do {
            configuration = try SupervisorConfiguration.load(path: path)
        } catch {
            logger.error("configuration reload failed; tenants unchanged", metadata: ["error": "\(error.message)"])
            return
        }
        defaultSchedule.withLock { $0 = configuration.defaultSchedule }
        await reconcile(configuration.tenants)
    }
}
