import IPC

/// A tenant's sync across the attempts it took, with the counts each attempt committed.
///
/// A worker reports each stream's counts after every committed batch (`progress`) and the final
/// counts in its `result`. When a worker dies mid-sync no `result` comes, so the attempt counts what
/// its last `progress` per stream said was committed: the stream in hand ends `failed` with the cause,
/// the streams before it (which the worker had moved past) keep their last counts as `succeeded`,
/// and the streams after it are `skipped`. Retried attempts add up stream by stream, so a tenant's
/// counts are everything its attempts committed; each stream's status and error are those of the
/// last attempt that reached it.
struct SyncAttempts: Sendable, Equatable {
    /// Attempts handed to a worker so far.
    private(set) var count = 0
    private var finished: [[StreamResult]] = []
    /// The latest progress of each stream in the attempt in hand.
    private var inHand: [String: SyncProgress] = [:]
    private var milliseconds = 0

    /// A new attempt was handed to a worker.
    mutating func begin() {
        count += 1
        inHand = [:]
    }

    /// A batch of the attempt in hand was committed.
    mutating func record(_ progress: SyncProgress) {
        inHand[progress.stream] = progress
    }

    /// The attempt in hand ended with the worker's result.
    mutating func end(with result: RunResult) {
        finished.append(result.streams)
        milliseconds += result.durationMilliseconds
        inHand = [:]
    }

    /// The attempt in hand ended without a result (its worker died): what it committed, by stream.
    /// `order` is the tenant's streams in run order.
    mutating func abandon(because error: String, order: [String]) {
        defer { inHand = [:] }
        guard let current = inHand.values.max(by: { $0.step < $1.step }) else {
            finished.append([])
            return
        }
        let names = order.isEmpty ? inHand.values.sorted { $0.step < $1.step }.map(\.stream) : order
        finished.append(names.enumerated().map { index, name in
            let counts = inHand[name]?.counts ?? StreamCounts()
            if name == current.stream {
                return StreamResult(stream: name, status: .failed, counts: counts, error: error)
            }
            if index + 1 < current.step {
                return StreamResult(stream: name, status: .succeeded, counts: counts)
            }
            return StreamResult(stream: name, status: .skipped, counts: counts, error: "skipped: the worker died during stream \(current.stream)")
        })
    }

    /// Every stream reached by any attempt, in the order first seen, with counts summed over attempts.
    var streams: [StreamResult] {
        var merged: [StreamResult] = []
        for attempt in finished {
            for stream in attempt {
                if let index = merged.firstIndex(where: { $0.stream == stream.stream }) {
                    var counts = merged[index].counts
                    counts.add(stream.counts)
                    merged[index] = StreamResult(stream: stream.stream, status: stream.status, counts: counts, error: stream.error)
                } else {
                    merged.append(stream)
                }
            }
        }
        return merged
    }

    /// The tenant's result over every attempt: `status` and `error` as given, streams summed.
    func result(runID: String, status: RunResult.Status, error: String?) -> TenantSyncReport {
        TenantSyncReport(
            result: RunResult(runID: runID, status: status, streams: streams, error: error, durationMilliseconds: milliseconds),
            attempts: max(count, 1)
        )
    }
}
