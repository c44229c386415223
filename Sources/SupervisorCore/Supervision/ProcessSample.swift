import Foundation

/// Resource use of one process, read from `/proc/<pid>/stat` and `/proc/<pid>/statm`.
public struct ProcessSample: Sendable, Equatable {
    /// User plus system CPU time, in clock ticks.
    public var cpuTicks: UInt64
    /// Resident set size in bytes.
    public var residentBytes: Int
    /// When the sample was taken.
    public var takenAt: ContinuousClock.Instant

    /// Samples `pid`, or `nil` if the process is gone or `/proc` is unreadable.
    public static func read(pid: Int32, at now: ContinuousClock.Instant = .now) -> ProcessSample? {
        guard let stat = readProcFile("/proc/\(pid)/stat"), let statm = readProcFile("/proc/\(pid)/statm") else { return nil }
        return parse(stat: stat, statm: statm, pageSize: Int(sysconf(Int32(_SC_PAGESIZE))), at: now)
    }

    /// A small `/proc` file in one `read`, or nil. Every worker is sampled every `check_interval`, and
    /// `String(contentsOfFile:)` (a `stat`, a buffer sized from it and a validating decode) was 2.2 % of
    /// the machine's samples in P13's sync-all of 1,000 tenants.
    private static func readProcFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // `stat` is one line of about 350 bytes, `statm` of about 40: a short read is the whole file.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer -> String? in
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            guard count > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    /// Parses the two files; the command name in `stat` may hold spaces and parentheses.
    static func parse(stat: String, statm: String, pageSize: Int, at now: ContinuousClock.Instant) -> ProcessSample? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the name start at field 3 (state); utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        let pages = statm.split(separator: " ")
        guard pages.count > 1, let resident = Int(pages[1]) else { return nil }
        return ProcessSample(cpuTicks: user + system, residentBytes: resident * pageSize, takenAt: now)
    }

    /// CPU use between `earlier` and this sample, in percent of one core.
    public func cpuPercent(since earlier: ProcessSample) -> Double {
        let elapsed = WorkerLifecycleClock.seconds(takenAt - earlier.takenAt)
        guard elapsed > 0, cpuTicks >= earlier.cpuTicks else { return 0 }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return Double(cpuTicks - earlier.cpuTicks) / ticksPerSecond / elapsed * 100
    }
}

enum WorkerLifecycleClock {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
