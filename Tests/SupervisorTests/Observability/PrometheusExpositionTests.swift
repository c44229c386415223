import Foundation
import IPC
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("The test suite's Prometheus text parser is strict, and SupervisorMetrics renders what it accepts")
struct PrometheusExpositionTests {
    @Test("a well-formed exposition parses: types, labels with escapes, histograms")
    func wellFormed() throws {
        let text = """
            # HELP jobs_total Jobs done.
            # TYPE jobs_total counter
            jobs_total{queue="a \\"b\\"\\\\c\\nd",status="ok"} 3
            jobs_total{queue="x",status="ok"} 1.5e1
            # TYPE wait_seconds histogram
            wait_seconds_bucket{le="0.1"} 1
            wait_seconds_bucket{le="+Inf"} 2
            wait_seconds_sum 0.35
            wait_seconds_count 2

            """
        let parsed = try PrometheusExposition(parsing: text)
        #expect(parsed.types == ["jobs_total": "counter", "wait_seconds": "histogram"])
        #expect(parsed.value("jobs_total", ["queue": "a \"b\"\\c\nd", "status": "ok"]) == 3)
        #expect(parsed.sum("jobs_total", matching: ["status": "ok"]) == 18)
        #expect(parsed.value("wait_seconds_count") == 2)
    }

    @Test("malformed expositions are refused", arguments: [
        "bad-name 1\n",
        "x{a=\"1\" 1\n",
        "x{a=\"\\q\"} 1\n",
        "x{a=\"1\",a=\"2\"} 1\n",
        "x one\n",
        "x 1\nx 2\n",
        "x 1\n# TYPE x counter\n",
        "# TYPE x counter\n# TYPE x counter\n",
        "# TYPE x counter\nx -1\n",
        "x 1\ny 1\nx{a=\"b\"} 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
        "x 1",
    ])
    func malformed(text: String) {
        #expect(throws: TestSupportError.self) { try PrometheusExposition(parsing: text) }
    }

    @Test("a supervisor's registry renders valid text, and forgetting a tenant removes exactly its series")
    func rendersAndForgets() throws {
        let metrics = SupervisorMetrics()
        let result = RunResult(runID: "run_1", status: .succeeded, streams: [
            StreamResult(stream: "rates", status: .succeeded, counts: .init(fetched: 3, created: 2, updated: 1)),
        ], error: nil, durationMilliseconds: 2500)
        metrics.recordTenantSync(tenant: "t1", status: .succeeded, result: result)
        metrics.recordTenantSync(tenant: "t2", status: .succeeded, result: result)
        metrics.recordRunEnded(trigger: "requeue:run_0", status: .partial)
        metrics.recordExit(WorkerExit(status: 9, signaled: true), tenant: "t1")
        let parsed = try PrometheusExposition(parsing: metrics.render())
        #expect(parsed.value("tenantsync_rows_total", ["tenant": "t1", "stream": "rates", "outcome": "created"]) == 2)
        // An outcome no record had gets no series.
        #expect(parsed.value("tenantsync_rows_total", ["tenant": "t1", "stream": "rates", "outcome": "rejected"]) == nil)
        #expect(parsed.value("tenantsync_runs_total", ["trigger": "requeue", "status": "partial"]) == 1)
        #expect(parsed.value("tenantsync_worker_exits_total", ["tenant": "t1", "cause": "signal"]) == 1)
        #expect(parsed.value("tenantsync_sync_duration_seconds_sum", ["status": "succeeded"]) == 5)
        #expect(parsed.value("tenantsync_sync_duration_seconds_bucket", ["status": "succeeded", "le": "5.0"]) == 2)

        metrics.forgetTenant("t1")
        let after = try PrometheusExposition(parsing: metrics.render())
        #expect(after.samples.filter { $0.labels["tenant"] == "t1" }.isEmpty)
        #expect(after.value("tenantsync_rows_total", ["tenant": "t2", "stream": "rates", "outcome": "created"]) == 2)
        #expect(after.value("tenantsync_runs_total", ["trigger": "requeue", "status": "partial"]) == 1)
    }
}
