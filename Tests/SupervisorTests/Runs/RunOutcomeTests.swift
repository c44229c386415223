import IPC
@testable import SupervisorCore
import Testing

/// The rule that turns tenants' parts into a run's outcome, without I/O.
@Suite("RunOutcome: a run's status from its tenants")
struct RunOutcomeTests {
    @Test("each combination of tenant statuses gives one run status", arguments: [
        ([TenantRunStatus.succeeded, .succeeded], RunStatus.succeeded),
        ([.succeeded, .failed], .partial),
        ([.failed, .failed], .failed),
        ([.succeeded, .cancelled], .cancelled),
        ([.cancelled, .failed], .failed),
        ([.succeeded, .interrupted], .interrupted),
        ([.failed, .interrupted], .interrupted),
        ([], .succeeded),
    ])
    func status(tenants: [TenantRunStatus], expected: RunStatus) {
        #expect(RunOutcome(tenants: tenants).status == expected)
    }

    @Test("the error counts the tenants that did not succeed; success has none")
    func error() {
        #expect(RunOutcome(tenants: [.succeeded, .failed, .interrupted]).error == "2 of 3 tenants did not succeed")
        #expect(RunOutcome(tenants: [.succeeded]).error == nil)
    }

    @Test("a cancel decided before the outcome wins over every tenant status")
    func cancelled() {
        let outcome = RunOutcome(tenants: [.succeeded, .succeeded], cancelled: true)
        #expect(outcome.status == .cancelled)
        #expect(outcome.error == "run cancelled")
    }

    @Test("a worker's cancelled result is the run's cancel only when the run was cancelled")
    func tenantStatus() {
        let cancelled = RunResult(runID: "r", status: .cancelled, streams: [], error: "stopped", durationMilliseconds: 1)
        #expect(RunOutcome.tenantStatus(of: cancelled, runCancelled: true) == .cancelled)
        #expect(RunOutcome.tenantStatus(of: cancelled, runCancelled: false) == .interrupted)
        let failed = RunResult(runID: "r", status: .failed, streams: [], error: "boom", durationMilliseconds: 1)
        #expect(RunOutcome.tenantStatus(of: failed, runCancelled: true) == .failed)
    }

    @Test("the callback's status is success, partial or error")
    func callbackStatus() {
        #expect(RunOutcome.callbackStatus(.succeeded) == "success")
        #expect(RunOutcome.callbackStatus(.partial) == "partial")
        for status in [RunStatus.failed, .cancelled, .interrupted] { #expect(RunOutcome.callbackStatus(status) == "error") }
    }
}
