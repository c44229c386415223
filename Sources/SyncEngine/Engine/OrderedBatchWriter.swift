import Dispatch
import Postgres
import Synchronization

/// Writes batches on threads of their own, up to two at once on two connections, committing them in
/// the order they were submitted.
///
/// PostgreSQL runs a connection's statement on one core. With one connection, a large first load
/// kept one core on each batch's statement while the other was nearly idle (P1 in BENCHMARKS.md:
/// PostgreSQL 42 % of the `perf` samples, the machine idle 45 %). Here a batch that
/// ``submit(what:mayOverlap:_:afterCommit:)`` is told may overlap runs on the second connection
/// while the batch before it is still running; its transaction calls
/// ``BatchSlot/waitForEarlierBatches(on:)`` before writing what depends on the earlier batches (the
/// checkpoint), so batches commit in order and a killed run resumes after the last committed one.
///
/// The caller is never more than two batches ahead of the database. The first batch that fails
/// stops the writer: later submissions are dropped, a batch running after it rolls back, and its
/// error is thrown from the next ``submit(what:mayOverlap:_:afterCommit:)`` or from ``finish()``.
/// Whatever a batch touches belongs to the writer from submission until ``finish()`` returns.
final class OrderedBatchWriter: @unchecked Sendable {
    private let primary: WriterLane
    /// Opens the second connection the first time a batch may overlap; `nil` once it could not.
    private var openSecondary: (() -> PostgresConnection?)?
    private var secondary: WriterLane?
    private let failure = Mutex<SyncError?>(nil)
    /// The lane and commit signal of the last batch submitted.
    private var last: (lane: WriterLane, signal: CommitSignal)?

    /// - Parameters:
    ///   - connection: the connection every batch that may not overlap is written on.
    ///   - secondConnection: opens a second connection bound like the first; returns `nil` when it
    ///     cannot, and batches are then written one at a time on `connection`.
    init(connection: PostgresConnection, secondConnection: @escaping () -> PostgresConnection?) {
        self.primary = WriterLane(connection: connection, label: "tenantsync.worker.writer")
        self.openSecondary = secondConnection
    }

    /// Hands a batch over, once its lane is free.
    ///
    /// - Parameters:
    ///   - what: what the batch does, for its error ("writing pages 3–12 of reservations").
    ///   - mayOverlap: whether the batch may run while the one before it runs: they write no row
    ///     in common. A batch that does anyway gives way (see ``BatchSlot``), so this only saves time.
    ///   - transaction: the batch's work, inside its transaction on the lane's connection.
    ///   - afterCommit: runs after the commit, before the next batch may commit.
    func submit<Value>(
        what: String,
        mayOverlap: Bool,
        _ transaction: @escaping (_ connection: PostgresConnection, _ slot: BatchSlot) throws -> Value,
        afterCommit: @escaping (Value) -> Void
    ) throws(SyncError) {
        let lane = lane(overlapping: mayOverlap)
        lane.take()
        if let error = failure.withLock({ $0 }) {
            lane.release()
            throw error
        }
        let earlier = last.map { (signal: $0.signal, serverPID: $0.lane.connection.serverPID) }
        let signal = CommitSignal()
        last = (lane, signal)
        let job = Job(run: { [self] in
            do throws(SyncError) {
                let value = try run(transaction, what: what, on: lane.connection, slot: BatchSlot(earlier: earlier))
                afterCommit(value)
                signal.finish(committed: true)
            } catch {
                failure.withLock { $0 = $0 ?? error }
                signal.finish(committed: false)
            }
            lane.release()
        })
        lane.queue.async { job.run() }
    }

    /// Waits for every batch; throws the first error any batch threw.
    func finish() throws(SyncError) {
        waitUntilIdle()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Waits for every batch without looking at errors, for a caller that is already failing.
    func waitUntilIdle() {
        primary.waitUntilIdle()
        secondary?.waitUntilIdle()
    }

    /// The error that stopped the writer, if one has.
    var error: SyncError? { failure.withLock { $0 } }

    /// The lane the next batch runs on: the other lane than the last batch's when it may overlap
    /// (and a second connection is at hand), else the same, which runs it after the last one.
    private func lane(overlapping: Bool) -> WriterLane {
        guard let last else { return primary }
        guard overlapping else { return last.lane }
        if last.lane === secondary { return primary }
        if secondary == nil, let open = openSecondary {
            openSecondary = nil
            secondary = open().map { WriterLane(connection: $0, label: "tenantsync.worker.writer.2") }
        }
        return secondary ?? last.lane
    }

    /// Runs `transaction` in a transaction; once more, after the earlier batch, if it had to give way.
    private func run<Value>(
        _ transaction: (PostgresConnection, BatchSlot) throws -> Value,
        what: String,
        on connection: PostgresConnection,
        slot: BatchSlot
    ) throws(SyncError) -> Value {
        do {
            do {
                return try connection.withTransaction { try transaction($0, slot) }
            } catch is BatchSlot.GiveWay {
                guard slot.earlier?.signal.wait() == true else { throw BatchSlot.EarlierBatchFailed() }
                return try connection.withTransaction { try transaction($0, BatchSlot(earlier: nil)) }
            }
        } catch let error as SyncError {
            throw error
        } catch is BatchSlot.EarlierBatchFailed {
            throw SyncError(code: .database, message: "\(what): not committed, because an earlier batch failed")
        } catch {
            throw SyncError.database(error, while: what)
        }
    }

    /// A batch's work as the lane's queue runs it, with everything it captured.
    private struct Job: @unchecked Sendable {
        let run: () -> Void
    }
}
