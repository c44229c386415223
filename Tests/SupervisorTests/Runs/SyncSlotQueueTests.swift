@testable import SupervisorCore
import Testing

/// Who gets a freed sync slot, without I/O: round-robin across runs, first in first out within one,
/// and the per-host cap.
@Suite("SyncSlotQueue: fair sync slots across runs and upstream hosts")
struct SyncSlotQueueTests {
    /// A queue and the tickets it is asked for, numbered in order.
    private struct Scene {
        var queue: SyncSlotQueue
        private var issued: UInt64 = 0

        init(capacity: Int, maxPerHost: Int? = nil) {
            queue = SyncSlotQueue(capacity: capacity, maxPerHost: maxPerHost)
        }

        mutating func ticket(_ runID: String, _ tenantID: String, host: String? = "hotel.example") -> SyncSlotQueue.Ticket {
            issued += 1
            return SyncSlotQueue.Ticket(id: issued, runID: runID, tenantID: tenantID, host: host)
        }

        /// Asks for a slot; true if granted at once.
        mutating func request(_ ticket: SyncSlotQueue.Ticket) -> Bool { queue.request(ticket) }

        /// Gives `ticket`'s slot back; the tenants granted in its place.
        mutating func release(_ ticket: SyncSlotQueue.Ticket) -> [String] { queue.release(ticket).map(\.tenantID) }
    }

    @Test("a one-tenant run asked for during a sync-all gets the next free slot, not the sync-all's last")
    func oneTenantRunIsNotStarved() {
        var scene = Scene(capacity: 2)
        let all = (1...10).map { scene.ticket("run-all", "hotel-\($0)") }
        var grantedAtOnce: [String] = []
        for ticket in all where scene.request(ticket) { grantedAtOnce.append(ticket.tenantID) }
        #expect(grantedAtOnce == ["hotel-1", "hotel-2"])
        let customer = scene.ticket("run-one", "hotel-7")
        let customerAtOnce = scene.request(customer)
        #expect(!customerAtOnce)
        let afterFirst = scene.release(all[0])
        #expect(afterFirst == ["hotel-7"])
        // Then the sync-all again, in its own order.
        let afterSecond = scene.release(all[1])
        #expect(afterSecond == ["hotel-3"])
        let afterCustomer = scene.release(customer)
        #expect(afterCustomer == ["hotel-4"])
    }

    @Test("runs waiting together are served in turn, each run's tenants first in, first out")
    func roundRobin() {
        var scene = Scene(capacity: 1)
        let first = scene.ticket("run-a", "a0")
        let firstAtOnce = scene.request(first)
        #expect(firstAtOnce)
        let waiting = (1...3).map { scene.ticket("run-a", "a\($0)") } + (1...2).map { scene.ticket("run-b", "b\($0)") }
        var grantedAtOnce = 0
        for ticket in waiting where scene.request(ticket) { grantedAtOnce += 1 }
        #expect(grantedAtOnce == 0)
        var order: [String] = []
        var holding = first
        while let next = scene.queue.release(holding).first {
            order.append(next.tenantID)
            holding = next
        }
        #expect(order == ["b1", "a1", "b2", "a2", "a3"])
        #expect(scene.queue.inUse == 0)
        #expect(scene.queue.waiting == 0)
    }

    @Test("max_per_host holds back tenants of a busy host and lets tenants of another host go first")
    func perHostCap() {
        var scene = Scene(capacity: 3, maxPerHost: 1)
        let busy1 = scene.ticket("run", "busy-1", host: "busy.example")
        let busy2 = scene.ticket("run", "busy-2", host: "busy.example")
        let other = scene.ticket("run", "other", host: "other.example")
        let atOnce = [busy1, busy2, other].map { scene.request($0) }
        #expect(atOnce == [true, false, true])
        #expect(scene.queue.inUse == 2)
        #expect(scene.queue.waitReason(of: "busy-2") == .hostAtLimit(host: "busy.example", limit: 1))
        #expect(scene.queue.waitReason(of: "busy-2")?.description == "waiting for a sync slot: busy.example is at max_per_host (1 at once)")
        #expect(scene.queue.waitReason(of: "other") == nil)
        let afterOther = scene.release(other)
        #expect(afterOther.isEmpty)
        let afterBusy = scene.release(busy1)
        #expect(afterBusy == ["busy-2"])
        #expect(scene.queue.waitReason(of: "busy-2") == nil)
    }

    @Test("a tenant waiting for a full house says how many slots are in use")
    func allSlotsBusyReason() {
        var scene = Scene(capacity: 2, maxPerHost: 2)
        let tickets = [scene.ticket("run", "a", host: "x.example"), scene.ticket("run", "b", host: "y.example"), scene.ticket("run", "c", host: "z.example")]
        let atOnce = tickets.map { scene.request($0) }
        #expect(atOnce == [true, true, false])
        #expect(scene.queue.waitReason(of: "c") == .allSlotsBusy(inUse: 2, capacity: 2))
        #expect(scene.queue.waitReason(of: "c")?.description == "waiting for a sync slot (2 of 2 in use)")
    }

    @Test("tenants without a host are never capped by max_per_host")
    func noHostNoCap() {
        var scene = Scene(capacity: 2, maxPerHost: 1)
        let tickets = ["a", "b", "c"].map { scene.ticket("run", $0, host: nil) }
        let atOnce = tickets.map { scene.request($0) }
        #expect(atOnce == [true, true, false])
    }
}
