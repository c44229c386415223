import Foundation
import IPC
import Logging
import Postgres
import ServiceLifecycle
import Support
import Synchronization

/// Every tenant's log: stamps, masks and caps each line, keeps the last lines in memory, writes
/// rotated files under the data directory and feeds live followers.
///
/// Appending never waits: files are written by one serial disk queue (off the cooperative pool)
/// fed through a bounded backlog, and followers have bounded buffers of their own. When the disk
/// falls more than ``LogSettings/maxPendingWrites`` records behind, further records are counted
/// and a `dropped N lines` line takes their place in the file; a slow follower gets the same
/// notice while the files keep every line.
public final class TenantLogStore: Service, Sendable {
    /// Per-tenant counters for status displays.
    public typealias Counters = TenantLogCounters

    private struct TenantState {
        var masker: SecretMasker
        var configuration: TenantConfiguration?
        var ring = TenantLogRing()
        var counters = Counters()
        var unwrittenDropped = 0
    }

    private struct State {
        var tenants: [String: TenantState] = [:]
        var nextSequence: UInt64 = 1
        var followers: [ObjectIdentifier: LogFollower] = [:]
        var closed = false
    }

    public let settings: LogSettings
    /// Where the files go; `nil` keeps logs in memory only.
    public let directory: String?
    private let state: LockedValue<State>
    let disk: LogDiskWriter
    private let defaultMasker: SecretMasker
    private let databaseURL: String?

    /// - Parameters:
    ///   - directory: the logs directory, created if missing; `nil` keeps logs in memory only.
    ///   - tenants: their secret settings are masked in every line of theirs.
    ///   - databaseURL: its password is masked in every tenant's lines.
    public init(directory: String?, settings: LogSettings = LogSettings(), tenants: [TenantConfiguration] = [], databaseURL: String? = nil, logger: Logger = Logger(label: "tenantsync.logs")) {
        self.settings = settings
        self.directory = directory
        self.databaseURL = databaseURL
        var initial = State()
        for tenant in tenants {
            initial.tenants[tenant.id] = TenantState(masker: SecretMasker(tenant: tenant, databaseURL: databaseURL), configuration: tenant)
        }
        state = LockedValue(initial)
        defaultMasker = SecretMasker(secrets: databaseURL.flatMap(PostgresConnectionString.password(in:)).map { [$0] } ?? [])
        disk = LogDiskWriter(directory: directory, settings: settings, logger: logger)
    }

    // MARK: Writing

    /// Records a worker's `log` message.
    ///
    /// - Parameter waitForDisk: when the disk writer is ``LogSettings/maxPendingWrites`` records
    ///   behind, wait for it instead of leaving the record out of the files. Only for callers on a
    ///   thread of their own (a worker's pipe reader): the wait then slows the reading of that
    ///   worker's pipe, never a task of the cooperative pool.
    public func append(tenant: TenantConfiguration, pid: Int32?, record: IPC.LogRecord, waitForDisk: Bool = false) {
        append(
            tenant: tenant.id, configuration: tenant, pid: pid, level: LogLevels.normalize(record.level) ?? "info",
            runID: record.runID, stream: record.stream, source: .log, message: record.message, fields: record.fields,
            waitForDisk: waitForDisk
        )
    }

    /// Records a worker's `log` message if the disk writer has room for it now, and returns whether it
    /// did: `false` stores nothing. For the pipe readers' event loop, which must never wait: a refused
    /// line is offered again once ``whenDiskHasRoom(_:)`` calls back, and that worker's pipe is not
    /// read meanwhile.
    public func offer(tenant: TenantConfiguration, pid: Int32?, record: IPC.LogRecord) -> Bool {
        append(
            tenant: tenant.id, configuration: tenant, pid: pid, level: LogLevels.normalize(record.level) ?? "info",
            runID: record.runID, stream: record.stream, source: .log, message: record.message, fields: record.fields,
            whenDiskIsFull: .refuse
        )
    }

    /// Records a line a worker wrote to stderr if the disk writer has room for it now; as ``offer(tenant:pid:record:)``.
    public func offerStderr(tenant: TenantConfiguration, pid: Int32?, line: String, runID: String? = nil) -> Bool {
        append(
            tenant: tenant.id, configuration: tenant, pid: pid, level: LogLevels.guess(from: line), runID: runID, stream: nil,
            source: .stderr, message: line, fields: [:], whenDiskIsFull: .refuse
        )
    }

    /// Calls `wake` once the disk writer has freed room (at once if it may have room now).
    public func whenDiskHasRoom(_ wake: @escaping @Sendable () -> Void) {
        disk.whenPlacesFree(wake)
    }

    /// Records something the supervisor did to or saw of a tenant's worker (spawned, exited, killed).
    public func supervisorEvent(tenant: TenantConfiguration, pid: Int32? = nil, level: String = "notice", message: String) {
        append(tenant: tenant.id, configuration: tenant, pid: pid, level: level, runID: nil, stream: nil, source: .supervisor, message: message, fields: [:])
    }

    /// Stamps, masks, caps and stores one line. Never blocks on followers; blocks on the disk only
    /// when `waitForDisk` asks it to.
    ///
    /// - Parameter configuration: the tenant's configuration, whose secret values are masked;
    ///   `nil` keeps the one seen last (or the one given at init).
    public func append(
        tenant: String, configuration: TenantConfiguration? = nil, pid: Int32?, level: String, runID: String? = nil,
        stream: String? = nil, source: TenantLogEntry.Source, message: String, fields: [String: String] = [:],
        waitForDisk: Bool = false
    ) {
        append(
            tenant: tenant, configuration: configuration, pid: pid, level: level, runID: runID, stream: stream, source: source,
            message: message, fields: fields, whenDiskIsFull: waitForDisk ? .wait : .leaveOutOfFiles
        )
    }

    /// Stamps, masks, caps and stores one line; `false` when `whenDiskIsFull` is `.refuse` and the
    /// disk writer had no room, and nothing was stored.
    @discardableResult
    func append(
        tenant: String, configuration: TenantConfiguration?, pid: Int32?, level: String, runID: String?,
        stream: String?, source: TenantLogEntry.Source, message: String, fields: [String: String],
        whenDiskIsFull: LogDiskFullPolicy
    ) -> Bool {
        // A place in the disk writer's queue is taken before the lock, so a wait holds up nobody else.
        var reserved = false
        if disk.enabled {
            switch whenDiskIsFull {
            case .wait: reserved = disk.reserve()
            case .leaveOutOfFiles: reserved = disk.tryReserve()
            case .refuse:
                reserved = disk.tryReserve()
                if !reserved { return false }
            }
        }
        let now = Date()
        state.withLock { state in
            // Taken out of the dictionary, not copied: the ring is then uniquely referenced and
            // updated in place instead of being copied whole for every line.
            var tenantState = state.tenants.removeValue(forKey: tenant) ?? TenantState(masker: defaultMasker)
            if let configuration, configuration != tenantState.configuration {
                // A reload may change a tenant's secrets.
                tenantState.configuration = configuration
                tenantState.masker = SecretMasker(tenant: configuration, databaseURL: databaseURL)
            }
            let masker = tenantState.masker
            var text = masker.isEmpty ? message : masker.mask(message)
            if text.utf8.count > settings.maxLineBytes {
                text = LogLineCap.cut(text, to: settings.maxLineBytes)
                tenantState.counters.cutLines += 1
            }
            let entry = TenantLogEntry(
                sequence: state.nextSequence, timestamp: now, tenant: tenant, pid: pid, level: level,
                runID: runID.map(masker.mask), stream: stream, source: source, message: text,
                fields: masker.isEmpty ? fields : fields.mapValues(masker.mask)
            )
            state.nextSequence += 1
            tenantState.counters.lines += 1

            tenantState.ring.append(entry, capacity: settings.ringLines)

            for follower in state.followers.values where follower.filter.matches(entry) {
                if !follower.offer(entry) { tenantState.counters.droppedByFollowers += 1 }
            }

            if disk.enabled {
                if !reserved {
                    tenantState.unwrittenDropped += 1
                    tenantState.counters.droppedFromFiles += 1
                } else {
                    let dropped = tenantState.unwrittenDropped
                    tenantState.unwrittenDropped = 0
                    // Enqueued under the lock, so each tenant's file gets lines in sequence order.
                    disk.enqueue(entry, droppedBefore: dropped)
                }
            }
            state.tenants[tenant] = tenantState
        }
        return true
    }

    /// Waits until every line accepted so far is in the files.
    public func flush() {
        disk.flush()
    }

    // MARK: Reading

    /// The last `limit` lines held in memory that match `filter`, oldest first, all tenants merged
    /// by sequence when `filter.tenant` is `nil`.
    public func tail(_ filter: LogFilter, limit: Int) -> [TenantLogEntry] {
        guard limit > 0 else { return [] }
        let rings: [[TenantLogEntry]] = state.withLock { state in
            let selected = filter.tenant.map { id in state.tenants[id].map { [$0] } ?? [] } ?? Array(state.tenants.values)
            return selected.map(\.ring.oldestFirst)
        }
        var merged = rings.count == 1 ? rings[0] : rings.flatMap { $0 }.sorted { $0.sequence < $1.sequence }
        merged.removeAll { !filter.matches($0) }
        return Array(merged.suffix(limit))
    }

    /// `tenant`'s lines held in memory, oldest first.
    func ring(of tenant: String) -> [TenantLogEntry] {
        state.withLock { $0.tenants[tenant]?.ring.oldestFirst ?? [] }
    }

    /// Every tenant with lines or a configuration, sorted.
    func tenantIDs() -> [String] {
        state.withLock { $0.tenants.keys.sorted() }
    }

    /// Starts following new lines that match `filter`; call ``unfollow(_:)`` when done.
    public func follow(_ filter: LogFilter) -> LogFollower {
        let follower = LogFollower(filter: filter, capacity: settings.followerBuffer)
        let closed = state.withLock { state -> Bool in
            if !state.closed { state.followers[ObjectIdentifier(follower)] = follower }
            return state.closed
        }
        if closed { follower.finish() }
        return follower
    }

    public func unfollow(_ follower: LogFollower) {
        _ = state.withLock { $0.followers.removeValue(forKey: ObjectIdentifier(follower)) }
        follower.finish()
    }

    /// Counters per tenant, for status.
    public func counters() -> [String: Counters] {
        state.withLock { state in state.tenants.mapValues(\.counters) }
    }

    /// Every file holding `tenant`'s lines, oldest first.
    public func files(of tenant: String) -> [String] {
        disk.files(of: tenant)
    }

    // MARK: Service

    /// Ends every follow at graceful shutdown (so the API can stop), then flushes the files.
    /// Lines appended afterwards, as workers stop, still reach the files.
    public func run() async throws {
        try? await gracefulShutdown()
        let followers = state.withLock { state -> [LogFollower] in
            state.closed = true
            defer { state.followers.removeAll() }
            return Array(state.followers.values)
        }
        for follower in followers { follower.finish() }
        flush()
    }
}

extension TenantLogStore {
    /// A service that flushes the files at graceful shutdown. Listed *first* in a service group it
    /// is stopped last, after the workers, so their final lines reach the disk before exit.
    public var flushAtShutdown: some Service { LogFlushAtShutdown(store: self) }
}
