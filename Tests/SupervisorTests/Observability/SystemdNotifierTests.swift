import Foundation
import Testing
import TestSupport

@testable import SupervisorCore

@Suite("systemd notifications: sd_notify datagrams on NOTIFY_SOCKET")
struct SystemdNotifierTests {
    @Test("a message reaches a socket file as one datagram of newline-separated fields")
    func socketFile() async throws {
        try await withScratchDirectory { directory in
            let listener = try NotifySocketListener(path: directory.appendingPathComponent("notify").path)
            defer { listener.close() }
            let notifier = try #require(try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.environmentValue]))
            #expect(notifier.address == .path(listener.environmentValue))
            try notifier.notify(["READY=1", "STATUS=API listening"])
            let ready = try await listener.waitFor("READY=1", timeout: .seconds(60))
            #expect(ready.message == "READY=1\nSTATUS=API listening" && ready.before.isEmpty)
        }
    }

    @Test("an address starting with @ is in the abstract namespace")
    func abstractNamespace() async throws {
        let listener = try NotifySocketListener(path: nil)
        defer { listener.close() }
        #expect(listener.environmentValue.hasPrefix("@"))
        let notifier = try #require(try SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.environmentValue]))
        #expect(notifier.address == .abstract(String(listener.environmentValue.dropFirst())))
        try notifier.notify(["WATCHDOG=1"])
        #expect(try await listener.waitFor("WATCHDOG=1", timeout: .seconds(60)).message == "WATCHDOG=1")
    }

    @Test("no NOTIFY_SOCKET means no notifier; a relative address is refused; nobody listening is a send error")
    func addresses() throws {
        #expect(try SystemdNotifier(environment: [:]) == nil)
        #expect(try SystemdNotifier(environment: ["NOTIFY_SOCKET": ""]) == nil)
        #expect(throws: SystemdNotifyError.self) { try SystemdNotifier(environment: ["NOTIFY_SOCKET": "run/notify"]) }
        let nobody = SystemdNotifier(address: .path("/nonexistent-\(UUID().uuidString)/notify"))
        let error = #expect(throws: SystemdNotifyError.self) { try nobody.notify(["READY=1"]) }
        #expect(error?.code == .sendFailed)
        let tooLong = SystemdNotifier(address: .path("/" + String(repeating: "x", count: 200)))
        #expect((#expect(throws: SystemdNotifyError.self) { try tooLong.notify(["READY=1"]) })?.code == .invalidAddress)
    }

    @Test("READY=1 and STOPPING=1 wait for room in a full queue; a watchdog ping does not")
    func fullQueue() async throws {
        let listener = try NotifySocketListener(path: nil, reading: false)
        defer { listener.close() }
        let notifier = SystemdNotifier(address: .abstract(String(listener.environmentValue.dropFirst())))
        // Fill the queue as a busy service manager would leave it.
        var queued = 0
        while queued < 100_000 {
            do {
                try notifier.notify(["WATCHDOG=1"])
                queued += 1
            } catch {
                #expect(error.code == .sendFailed && error.errno == EAGAIN)
                break
            }
        }
        #expect(queued > 0 && queued < 100_000)
        let service = SystemdNotifyService(environment: ["NOTIFY_SOCKET": listener.environmentValue], logger: SupervisorTestHarness.quietLogger())
        await service.deliver(["WATCHDOG=1"], patience: .zero) // dropped at once: the queue is full
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The send's first try meets the full queue (the reader thread takes far longer to start and
            // drain it); without retries STOPPING=1 would be lost.
            group.addTask { await service.deliver(["STOPPING=1"]) }
            listener.startReading()
            let stopping = try await listener.waitFor("STOPPING=1", timeout: .seconds(60))
            #expect(stopping.before.count == queued, "every queued ping, then STOPPING=1, and not the dropped ping")
            try await group.waitForAll()
        }
    }

    @Test("the watchdog pings at half WATCHDOG_USEC, only when WATCHDOG_PID is unset or this process")
    func watchdogInterval() {
        let pid: Int32 = 4242
        #expect(SystemdNotifyService.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000"], pid: pid) == .seconds(15))
        #expect(SystemdNotifyService.watchdogInterval(environment: ["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "4242"], pid: pid) == .milliseconds(250))
        #expect(SystemdNotifyService.watchdogInterval(environment: ["WATCHDOG_USEC": "500000", "WATCHDOG_PID": "1"], pid: pid) == nil)
        #expect(SystemdNotifyService.watchdogInterval(environment: ["WATCHDOG_USEC": "0"], pid: pid) == nil)
        #expect(SystemdNotifyService.watchdogInterval(environment: ["WATCHDOG_USEC": "soon"], pid: pid) == nil)
        #expect(SystemdNotifyService.watchdogInterval(environment: [:], pid: pid) == nil)
    }
}
