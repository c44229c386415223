import Foundation
import IPC

extension TenantLogStore {
    /// Stores the compact `log` lines of one read of a worker's stdout if the disk writer has room for
    /// them all now, and returns whether it did: `false` stores nothing (see ``offer(tenant:pid:record:)``).
    ///
    /// A line whose level is canonical, whose body is printable ASCII within the line cap and holds no
    /// secret is stored as it came: stamped, copied into the file's block and kept undecoded in the ring.
    /// Any other line is decoded and stored as a record is. Followers, if any, get every line decoded.
    func offerCompact(tenant configuration: TenantConfiguration, pid: Int32?, bytes: UnsafeRawBufferPointer, lines: [CompactLogSpan]) -> Bool {
        guard let first = lines.first, let last = lines.last else { return true }
        if disk.enabled, !disk.tryReserve(lines.count) { return false }
        let tenant = configuration.id
        let now = Date()
        let region = (first.line.lowerBound)..<(last.line.upperBound)
        let shared = LogLineBytes(UnsafeRawBufferPointer(rebasing: bytes[region]))
        let printable = Self.isPrintableASCII(UnsafeRawBufferPointer(rebasing: bytes[region]))
        var stamp: [UInt8] = []
        LogTimestamp.append(now, to: &stamp)
        let pidText = pid.map { Array(" pid=\($0)".utf8) } ?? []
        var prefixes = [[UInt8]?](repeating: nil, count: LogLevels.ordered.count)
        state.withLock { state in
            var tenantState = takeTenant(tenant, configuration: configuration, from: &state)
            let masker = tenantState.masker
            let secretFree = masker.isEmpty || (!masker.hasEscapedForms && !masker.occurs(in: UnsafeRawBufferPointer(rebasing: bytes[region])))
            var block = LogDiskBlock(tenant: tenant, capacity: disk.enabled ? region.count + lines.count * (48 + tenant.utf8.count) : 0)
            for span in lines {
                let body = UnsafeRawBufferPointer(rebasing: bytes[span.body])
                let storedAsItCame =
                    settings.format == .text && span.level != nil && body.count <= settings.maxLineBytes
                    && (printable || Self.isPrintableASCII(body))
                    && (secretFree || (!masker.hasEscapedForms && !masker.occurs(in: body)))
                if let level = span.level, storedAsItCame {
                    let sequence = state.nextSequence
                    state.nextSequence += 1
                    tenantState.counters.lines += 1
                    let line = TenantLogRing.CompactLine(
                        sequence: sequence, timestamp: now, pid: pid, bytes: shared,
                        range: (span.line.lowerBound - region.lowerBound)..<(span.line.upperBound - region.lowerBound)
                    )
                    tenantState.ring.append(.compact(line), capacity: settings.ringLines)
                    if !state.followers.isEmpty {
                        offerToFollowers(line.entry(tenant: tenant), tenantState: &tenantState, state: state)
                    }
                    if disk.enabled {
                        appendDroppedNotice(of: &tenantState, at: now, pid: pid, to: &block)
                        // Stamp, tenant, label and pid are the same for every line of a level in this read.
                        if prefixes[level] == nil {
                            prefixes[level] = stamp + [0x20] + Array(tenant.utf8) + [0x20] + LogLevels.orderedLabels[level] + pidText
                        }
                        let prefix = prefixes[level] ?? []
                        block.appendLine(sequence: sequence) { output in
                            output.append(contentsOf: prefix)
                            output.append(contentsOf: body)
                        }
                    }
                } else {
                    var record =
                        (try? CompactLogLine.decode(UnsafeRawBufferPointer(rebasing: bytes[span.line])))
                        ?? LogRecord(level: "info", message: String(decoding: body, as: UTF8.self))
                    record.level = LogLevels.normalize(record.level) ?? "info"
                    let entry = store(record, source: .log, tenant: tenant, pid: pid, at: now, into: &tenantState, state: &state)
                    if disk.enabled {
                        appendDroppedNotice(of: &tenantState, before: entry, to: &block)
                        block.appendLine(sequence: entry.sequence) { render(entry, to: &$0) }
                    }
                }
            }
            if disk.enabled { disk.enqueue(block) }
            state.tenants[tenant] = tenantState
        }
        return true
    }

    /// Whether every byte is printable ASCII or a tab: such bytes go into a text file as they are.
    private static func isPrintableASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte < 0x20 && byte != 0x09 || byte >= 0x7F { return false }
        return true
    }
}
