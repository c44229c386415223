import Foundation
import IPC
import Testing
@testable import SupervisorCore

/// A real child writing compact `log` lines among protocol messages on its stdout, read by the
/// supervisor's own pipe readers into a log store.
@Suite("Compact log lines from a real child's stdout")
struct WorkerCompactLogTests {
    static let tenant = TenantConfiguration(id: "compact", connector: "motopress", settings: [:])

    @Test("compact lines reach the log in order among messages, split reads included; a damaged one is a bad line with the tenant's other lines kept")
    func compactAmongMessages() async throws {
        let store = TenantLogStore(directory: nil)
        let first = String(decoding: CompactLogLine.encode(LogRecord(level: "info", message: "first", runID: "r1")), as: UTF8.self)
        let second = String(decoding: CompactLogLine.encode(LogRecord(level: "warning", message: "second", fields: ["k": "v"])), as: UTF8.self)
        let third = String(decoding: CompactLogLine.encode(LogRecord(level: "info", message: "third, written in two pieces")), as: UTF8.self)
        let cut = third.index(third.startIndex, offsetBy: 12)
        // printf's own escapes are avoided: every piece is passed as an argument to `%s`.
        let script = """
            printf '%s' "$1"; printf '%s\\n' '{"type":"heartbeat","seq":1}'; printf '%s' "$2"
            printf '%s\\n' 'Linfo;,,99; damaged'; printf '%s' "$3"; sleep 0.2; printf '%s' "$4"
            """
        let worker = try await WorkerProcess.spawn(
            executable: "/bin/sh", arguments: ["-c", script, "sh", first, second, String(third[..<cut]), String(third[cut...])],
            environment: ProcessInfo.processInfo.environment,
            logs: { _, _ in Issue.record("a compact line was decoded as a message"); return true },
            compactLogs: { bytes, lines, pid in store.offerCompact(tenant: Self.tenant, pid: pid, bytes: bytes, lines: lines) },
            stderrLines: { _, _ in true }
        )
        worker.closeInput()
        var events: [String] = []
        for await event in worker.events {
            switch event {
            case .message(.heartbeat): events.append("heartbeat")
            case .message(let message): events.append("message \(message)")
            case .badLine(let error): events.append("bad line \(error.code)")
            case .exited: events.append("exited")
            }
        }
        #expect(events == ["heartbeat", "bad line malformed", "exited"])
        let lines = store.tail(LogFilter(tenant: "compact"), limit: 10)
        #expect(lines.map(\.message) == ["first", "second", "third, written in two pieces"])
        #expect(lines.map(\.level) == ["info", "warning", "info"])
        #expect(lines.first?.runID == "r1")
        #expect(lines.dropFirst().first?.fields == ["k": "v"])
        #expect(lines.allSatisfy { $0.pid == worker.pid && $0.source == .log })
    }
}
