import Dispatch
import Postgres

/// One thread and one database connection of an ``OrderedBatchWriter``, running one batch at a time.
final class WriterLane: @unchecked Sendable {
    let connection: PostgresConnection
    let queue: DispatchQueue
    /// Signalled when the lane has no batch: taken before a batch is handed over, given back after it.
    private let idle = DispatchSemaphore(value: 1)

    init(connection: PostgresConnection, label: String) {
        self.connection = connection
        self.queue = DispatchQueue(label: label)
    }

    /// Waits until the lane's batch (if any) is over, and takes the lane.
    func take() { idle.wait() }

    /// Gives the lane back once its batch is over.
    func release() { idle.signal() }

    /// Waits until the lane's batch (if any) is over, without taking the lane.
    func waitUntilIdle() {
        idle.wait()
        idle.signal()
    }
}
