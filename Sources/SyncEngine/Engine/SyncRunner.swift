import IPC
import Logging

/// Runs a connector's streams in dependency order and assembles the run's result.
///
/// A stream runs only when all of its parents succeeded; otherwise it is skipped and its
/// error names the parent, so the result explains why nothing was written for it.
public struct SyncRunner {
    public let connector: any Connector

    public init(connector: any Connector) {
        self.connector = connector
    }

    /// Runs every stream once and returns the result; never throws: failures are in the result.
    public func run(context: SyncContext) -> RunResult {
        let clock = ContinuousClock()
        let start = clock.now
        let plan: StreamPlan
        do {
            plan = try StreamPlan(streams: connector.streams)
        } catch {
            return RunResult(runID: context.runID, status: .failed, streams: [], error: error.message, durationMilliseconds: 0)
        }

        var results: [StreamResult] = []
        var failedOrSkipped: [String: String] = [:]  // stream → why it produced nothing usable
        var runError: String?
        var runErrorKind: RunResult.ErrorKind?
        var cancelled = false
        var cancelReason = "run cancelled"

        for stream in plan.ordered {
            if cancelled {
                results.append(StreamResult(stream: stream.name, status: .cancelled, error: "run cancelled"))
                continue
            }
            if let parent = stream.parents.first(where: { failedOrSkipped[$0] != nil }) {
                let reason = "skipped: parent stream \(parent) did not succeed (\(failedOrSkipped[parent]!))"
                results.append(StreamResult(stream: stream.name, status: .skipped, error: reason))
                failedOrSkipped[stream.name] = "skipped"
                context.logger.warning("stream skipped", metadata: ["sync.stream": "\(stream.name)", "sync.parent": "\(parent)"])
                continue
            }
            context.logger.info("stream started", metadata: ["sync.stream": "\(stream.name)"])
            do {
                let counts = try connector.sync(stream: stream, context: context)
                results.append(StreamResult(stream: stream.name, status: .succeeded, counts: counts))
                context.logger.info("stream finished", metadata: [
                    "sync.stream": "\(stream.name)", "sync.created": "\(counts.created)",
                    "sync.updated": "\(counts.updated)", "sync.unchanged": "\(counts.unchanged)", "sync.deleted": "\(counts.deleted)",
                ])
            } catch where error.code == .cancelled {
                results.append(StreamResult(stream: stream.name, status: .cancelled, counts: context.committedCounts(stream: stream.name), error: error.message))
                cancelled = true
                cancelReason = error.message
            } catch {
                // What its committed batches stored stays stored: the result says so.
                results.append(StreamResult(stream: stream.name, status: .failed, counts: context.committedCounts(stream: stream.name), error: error.message))
                failedOrSkipped[stream.name] = error.message
                if runError == nil {
                    runError = "stream \(stream.name) failed: \(error.message)"
                    runErrorKind = error.code.resultKind
                }
                context.logger.error("stream failed", metadata: ["sync.stream": "\(stream.name)", "error": "\(error.message)"])
            }
        }

        let elapsed = clock.now - start
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let status: RunResult.Status = cancelled ? .cancelled : (runError == nil ? .succeeded : .failed)
        return RunResult(
            runID: context.runID,
            status: status,
            streams: results,
            error: cancelled ? cancelReason : runError,
            errorKind: cancelled ? nil : runErrorKind,
            durationMilliseconds: milliseconds
        )
    }
}
