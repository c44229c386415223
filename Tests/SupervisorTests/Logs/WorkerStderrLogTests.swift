import Foundation
import Testing
import TestSupport
@testable import SupervisorCore

/// Real child processes writing stderr, read by the supervisor's own pipe readers into a log store.
@Suite("Tenant logs from a real child's stderr")
struct WorkerStderrLogTests {
    static let tenant = TenantConfiguration(id: "shell", connector: "motopress", settings: [:])

    /// Runs `script` with `sh -c` as if it were a worker and stores its stderr lines, as the
    /// controller does; returns the store once the child has exited.
    static func capture(_ script: String) async throws -> TenantLogStore {
        let store = TenantLogStore(directory: nil)
        let worker = try await WorkerProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", script], environment: ProcessInfo.processInfo.environment,
            logs: { _, _ in true }, compactLogs: { _, _, _ in true },
            stderrLines: { line, pid in store.offerStderr(tenant: tenant, pid: pid, line: line) }
        )
        worker.closeInput()
        for await _ in worker.events {}
        return store
    }

    @Test("a line written in pieces across several reads is stored whole")
    func splitAcrossReads() async throws {
        // The pauses make the pieces arrive in separate reads of the pipe.
        let store = try await Self.capture("printf 'hel' >&2; sleep 0.1; printf 'lo wor' >&2; sleep 0.1; printf 'ld\\nsecond' >&2; sleep 0.1; printf ' line\\n' >&2")
        let messages = store.tail(LogFilter(tenant: "shell"), limit: 10).map(\.message)
        #expect(messages == ["hello world", "second line"])
    }

    @Test("512 MiB without a newline is cut with a marker and does not grow the supervisor's memory")
    func hugeLineWithoutNewline() async throws {
        let before = Self.peakResidentBytes()
        // Peak memory is per process and other tests run alongside: the margin is generous (half
        // the line), yet far below what buffering the line even once would take.
        let store = try await Self.capture("head -c 536870912 /dev/zero | tr '\\000' x >&2; printf '\\nafter\\n' >&2")
        let messages = store.tail(LogFilter(tenant: "shell"), limit: 10).map(\.message)
        #expect(messages.count == 2)
        #expect(messages.first?.contains("536870912 bytes cut") == true)
        #expect(messages.last == "after")
        let growth = Self.peakResidentBytes() - before
        #expect(growth < 256 << 20, "peak resident memory grew by \(growth >> 20) MiB")
    }

    /// The process's peak resident set size (`VmHWM`), in bytes.
    static func peakResidentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}
