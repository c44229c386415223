import Foundation
import IPC
import Logging
import Synchronization

/// Runs across supervisors: tenant rows queued by another supervisor are run by the holder of the
/// tenant's lease, and a run follows its tenants held elsewhere through the database.
extension RunCoordinator {
    /// Waits until the holder of `tenantID` has run it (the row is no longer queued or running) and
    /// returns its status; `nil` if this supervisor stops first.
    ///
    /// Cancelling the run cancels the row while it is still queued. A tenant whose lease comes here
    /// meanwhile is picked up by the queue poller like any other queued row.
    func followElsewhere(_ runID: String, tenantID: String, logger: Logger) async -> TenantRunStatus? {
        logger.info("tenant held by another supervisor; its holder runs it", metadata: ["lease.owner": "\(leases?.owner(of: tenantID) ?? "none yet")"])
        while !stopping.withLock({ $0 }) {
            if cancelled.contains(runID), (try? await store.cancelQueuedTenant(runID, tenantID: tenantID)) == true {
                events.append(runID, name: "tenant_completed", data: TenantEndedEvent(tenantID: tenantID, status: .cancelled, error: "run cancelled before the tenant started"))
                active.release(tenantID, from: runID)
                return .cancelled
            }
            do {
                if let ended = try await store.endedTenant(runID, tenantID: tenantID) {
                    active.release(tenantID, from: runID)
                    events.append(runID, name: "tenant_completed", data: TenantEndedEvent(
                        tenantID: tenantID, status: ended.status, error: ended.error, counts: ended.counts, results: RunResults(ended.streams)
                    ))
                    logger.info("tenant finished on another supervisor", metadata: ["run.status": "\(ended.status)"])
                    return ended.status
                }
            } catch {
                logger.warning("cannot read the tenant's row of the run", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(Int(pollInterval * 1000)))
        }
        return nil
    }

    /// Every ``pollInterval`` seconds, picks up queued rows of held tenants (runs started on other
    /// supervisors, or rows left running by one that died) and runs them here, ending their run when
    /// the row is its last.
    func pollQueuedRows() async {
        await withDiscardingTaskGroup { group in
            while !stopping.withLock({ $0 }) {
                try? await Task.sleep(for: .milliseconds(Int(pollInterval * 1000)))
                guard let leases, !fleet.isShuttingDown, !stopping.withLock({ $0 }) else { continue }
                let pending: [RunStore.PendingTenant]
                do {
                    pending = try await store.pendingTenants(held: leases.runnable.sorted())
                } catch {
                    logger.warning("cannot look for queued run rows", metadata: ["error": "\(error)"])
                    continue
                }
                for row in pending where handledHere.insertIfAbsent(row.runID, row.tenantID) {
                    group.addTask { await self.runQueuedRow(row) }
                }
            }
        }
    }

    private func runQueuedRow(_ row: RunStore.PendingTenant) async {
        var rowLogger = self.logger
        rowLogger[metadataKey: "sync.run_id"] = "\(row.runID)"
        rowLogger[metadataKey: "tenant.id"] = "\(row.tenantID)"
        let logger = rowLogger
        let (store, outbox) = (self.store, self.outbox)
        let ended: Bool
        if row.cancelRequested {
            // The run was asked to cancel: the row ends cancelled instead of syncing.
            ended = (try? await store.cancelUnclaimedTenant(row.runID, tenantID: row.tenantID)) == true
            if ended { logger.info("cancelled a queued tenant of a run asked to cancel") }
        } else {
            ended = await permits.withPermit {
                await runHere(row.runID, tenantID: row.tenantID, options: row.options, logger: logger)
            } != nil
            if ended { logger.info("ran a tenant queued by another supervisor") }
        }
        handledHere.remove(row.runID, row.tenantID)
        if handledHere.tenants(of: row.runID).isEmpty { cancelled.forgetNotOpenedHere(row.runID) }
        guard ended else { return }
        // A run of this supervisor that it no longer has in memory (its start was stored, but not known
        // to be) is ended here too, by whoever finishes its last tenant.
        let ownRunLiveHere = cancelled.isOpen(row.runID)
        if await untilStored("the end of the run", logger: logger, { try await store.endRunIfLast(row.runID, ownRunLiveHere: ownRunLiveHere, outbox: outbox) }) == true {
            logger.info("ended the run: its last tenant finished here")
        }
    }
}

/// Tenant rows (run, tenant) this supervisor runs or follows itself.
final class HandledTenantRows: Sendable {
    private let rows = Mutex<Set<String>>([])

    private static func key(_ runID: String, _ tenantID: String) -> String { runID + "\u{0}" + tenantID }

    func insert(_ runID: String, _ tenantIDs: [String]) {
        rows.withLock { rows in for tenantID in tenantIDs { rows.insert(Self.key(runID, tenantID)) } }
    }

    /// Adds the row; false if it was already handled here.
    func insertIfAbsent(_ runID: String, _ tenantID: String) -> Bool {
        rows.withLock { $0.insert(Self.key(runID, tenantID)).inserted }
    }

    func remove(_ runID: String, _ tenantID: String) {
        _ = rows.withLock { $0.remove(Self.key(runID, tenantID)) }
    }

    /// The runs with a row handled here.
    var runIDs: Set<String> {
        rows.withLock { rows in Set(rows.map { String($0.prefix { $0 != "\u{0}" }) }) }
    }

    /// The tenants of `runID` handled here.
    func tenants(of runID: String) -> [String] {
        let prefix = runID + "\u{0}"
        return rows.withLock { rows in rows.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } }
    }
}
