import Dispatch
import Postgres

/// A batch's place in the commit order, handed to its transaction by ``OrderedBatchWriter``.
///
/// Whatever a batch writes after ``waitForEarlierBatches()`` (the checkpoint, the pass's
/// completion, deletions judged from every page's keys) sees every earlier batch committed.
struct BatchSlot {
    /// Thrown when this batch holds a lock the earlier batch is waiting for: the writer rolls this
    /// batch back and runs it again once the earlier one has committed.
    struct GiveWay: Error {}

    /// Thrown when the earlier batch failed: this one must not commit after it.
    struct EarlierBatchFailed: Error {}

    /// The batch before this one, and the backend running it, if it may still be open.
    let earlier: (signal: CommitSignal, serverPID: Int32)?

    /// How often a waiting batch checks whether the earlier one waits for it.
    static let lockCheckInterval: DispatchTimeInterval = .milliseconds(200)

    /// Waits until the batch before this one has committed.
    ///
    /// While it waits it checks, through `pg_blocking_pids`, whether the earlier batch is blocked
    /// by this one's locks (two batches that wrote the same row); PostgreSQL cannot see that wait
    /// cycle, half of which is this one, so it is broken here by giving way.
    /// - Throws: ``GiveWay``, ``EarlierBatchFailed``, or the database error of the check.
    func waitForEarlierBatches(on connection: PostgresConnection) throws {
        guard let earlier else { return }
        while true {
            if let committed = earlier.signal.wait(until: .now() + Self.lockCheckInterval) {
                guard committed else { throw EarlierBatchFailed() }
                return
            }
            let blocking = try connection.query(
                "SELECT pg_backend_pid() = ANY (pg_blocking_pids($1::integer)) AS blocking", [.text(String(earlier.serverPID))]
            )
            if blocking.rows.first?["blocking"] == "t" { throw GiveWay() }
        }
    }
}
