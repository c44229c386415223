import DemoUpstreamKit
@testable import SupervisorCore

// A sync caught partway for as long as a test needs: the demo upstream holds page 3 (or a later one)
// of every list, and the tenants fetch ten bookings a page, one page at a time, so that page is
// always a sync's third request of its stream.

extension DemoUpstreamFaults {
    /// List pages numbered `page` or later answered only after `delay`.
    static func holding(fromPage page: Int = 3, for delay: Duration) -> DemoUpstreamFaults {
        var faults = DemoUpstreamFaults.none
        faults.holdFromPage = page
        faults.holdDelay = delay
        return faults
    }
}

extension SupervisorConfiguration {
    /// Every tenant (or those at `indices`) fetches ten bookings a page, one page at a time.
    mutating func fetchOnePageAtATime(tenants indices: [Int]? = nil) {
        for index in indices ?? Array(tenants.indices) {
            tenants[index].settings["per_page"] = "10"
            tenants[index].settings["concurrency"] = "1"
        }
    }
}
