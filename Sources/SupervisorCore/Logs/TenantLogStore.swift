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

    struct TenantState {
        var masker: SecretMasker
        var configuration: TenantConfiguration?
        var ring = TenantLogRing()
        var counters = Counters()
        var unwrittenDropped = 0
    }

    struct State {
        var tenants: [String: TenantState] = [:]
        var nextSequence: UInt64 = 1
        var followers: [ObjectIdentifier: LogFollower] = [:]
        var closed = false
    }

    public let settings: LogSettings
    /// Where the files go; `nil` keeps logs in memory only.
    public let directory: String?
    let state: LockedValue<State>
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
            var tenantState = takeTenant(tenant, configuration: configuration, from: &state)
            var block = LogDiskBlock(tenant: tenant)
            if disk.enabled, !reserved {
                tenantState.unwrittenDropped += 1
                tenantState.counters.droppedFromFiles += 1
            }
            let entry = store(
                LogRecord(level: level, message: message, runID: runID, stream: stream, fields: fields), source: source,
                tenant: tenant, pid: pid, at: now, into: &tenantState, state: &state
            )
            if disk.enabled, reserved {
                appendDroppedNotice(of: &tenantState, before: entry, to: &block)
                block.appendLine(sequence: entry.sequence) { render(entry, to: &$0) }
                // Enqueued under the lock, so each tenant's file gets lines in sequence order.
                disk.enqueue(block)
            }
            state.tenants[tenant] = tenantState
        }
        return true
    }

    /// The tenant's state, taken out of the dictionary rather than copied (so its ring is uniquely
    /// referenced and updated in place); `configuration`, when it changed, replaces the masker.
    func takeTenant(_ tenant: String, configuration: TenantConfiguration?, from state: inout State) -> TenantState {
        var tenantState = state.tenants.removeValue(forKey: tenant) ?? TenantState(masker: defaultMasker)
        if let configuration, configuration != tenantState.configuration {
            // A reload may change a tenant's secrets.
            tenantState.configuration = configuration
            tenantState.masker = SecretMasker(tenant: configuration, databaseURL: databaseURL)
        }
        return tenantState
    }

    /// Masks and caps `record`, gives it the next sequence, keeps it in the ring and offers it to
    /// followers; returns the entry as stored.
    func store(
        _ record: LogRecord, source: TenantLogEntry.Source, tenant: String, pid: Int32?, at now: Date,
        into tenantState: inout TenantState, state: inout State
    ) -> TenantLogEntry {
        let masker = tenantState.masker
        var text = masker.isEmpty ? record.message : masker.mask(record.message)
        if text.utf8.count > settings.maxLineBytes {
            text = LogLineCap.cut(text, to: settings.maxLineBytes)
            tenantState.counters.cutLines += 1
        }
        let entry = TenantLogEntry(
            sequence: state.nextSequence, timestamp: now, tenant: tenant, pid: pid, level: record.level,
            runID: record.runID.map(masker.mask), stream: record.stream, source: source, message: text,
            fields: masker.isEmpty ? record.fields : record.fields.mapValues(masker.mask)
        )
        state.nextSequence += 1
        tenantState.counters.lines += 1
        tenantState.ring.append(entry, capacity: settings.ringLines)
        offerToFollowers(entry, tenantState: &tenantState, state: state)
        return entry
    }

    func offerToFollowers(_ entry: TenantLogEntry, tenantState: inout TenantState, state: State) {
        for follower in state.followers.values where follower.filter.matches(entry) {
            if !follower.offer(entry) { tenantState.counters.droppedByFollowers += 1 }
        }
    }

    /// Writes the `dropped N lines` notice owed before the tenant's next line in its file, if any.
    func appendDroppedNotice(of tenantState: inout TenantState, before entry: TenantLogEntry, to block: inout LogDiskBlock) {
        appendDroppedNotice(of: &tenantState, at: entry.timestamp, pid: entry.pid, to: &block)
    }

    func appendDroppedNotice(of tenantState: inout TenantState, at time: Date, pid: Int32?, to block: inout LogDiskBlock) {
        let dropped = tenantState.unwrittenDropped
        guard dropped > 0 else { return }
        tenantState.unwrittenDropped = 0
        let notice = TenantLogEntry(
            sequence: 0, timestamp: time, tenant: block.tenant, pid: pid, level: "warning", runID: nil, stream: nil,
            source: .supervisor, message: "dropped \(dropped) lines: the log disk writer fell behind", fields: [:]
        )
        block.appendNotice { render(notice, to: &$0) }
    }

    /// `entry` as its file line, without the newline, in the configured format.
    func render(_ entry: TenantLogEntry, to bytes: inout [UInt8]) {
        if settings.format == .json {
            bytes.append(contentsOf: entry.json().utf8)
        } else {
            entry.appendText(to: &bytes)
        }
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
        // The slots are copied under the lock and decoded after it, so a tail never holds up the log path.
        let slots: [(tenant: String, slots: [TenantLogRing.Slot])] = state.withLock { state in
            if let id = filter.tenant {
                return state.tenants[id].map { [(id, $0.ring.oldestFirst)] } ?? []
            }
            return state.tenants.map { ($0.key, $0.value.ring.oldestFirst) }
        }
        let rings = slots.map { ring in ring.slots.map { $0.entry(tenant: ring.tenant) } }
        var merged = rings.count == 1 ? rings[0] : rings.flatMap { $0 }.sorted { $0.sequence < $1.sequence }
        merged.removeAll { !filter.matches($0) }
        return Array(merged.suffix(limit))
    }

    /// `tenant`'s lines held in memory, oldest first.
    func ring(of tenant: String) -> [TenantLogEntry] {
        let slots = state.withLock { $0.tenants[tenant]?.ring.oldestFirst ?? [] }
        return slots.map { $0.entry(tenant: tenant) }
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
