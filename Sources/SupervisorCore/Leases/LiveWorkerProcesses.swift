import Foundation
import Synchronization

/// The worker process alive now for each tenant, readable from any thread without waiting.
///
/// The lease fence kills through it from a thread of its own (``LeaseManager``), so a lease about to
/// end unrenewed stops its worker on time even while the cooperative pool is busy: the controller,
/// an actor on that pool, hears of the fence afterwards and only records it.
final class LiveWorkerProcesses: Sendable {
    private let processes = Mutex<[String: WorkerProcess]>([:])

    /// Records `process` as the tenant's worker alive now.
    func started(_ process: WorkerProcess, for tenantID: String) {
        processes.withLock { $0[tenantID] = process }
    }

    /// Forgets `process` once it has exited, unless a newer worker of the tenant took its place.
    func exited(_ process: WorkerProcess, for tenantID: String) {
        processes.withLock { processes in
            if processes[tenantID] === process { processes[tenantID] = nil }
        }
    }

    /// SIGKILLs the process group of each of `tenantIDs`' live workers; returns their pids.
    @discardableResult
    func kill(_ tenantIDs: some Sequence<String>) -> [Int32] {
        let targets = processes.withLock { processes in tenantIDs.compactMap { processes[$0] } }
        for process in targets { process.signal(SIGKILL) }
        return targets.map(\.pid)
    }
}
