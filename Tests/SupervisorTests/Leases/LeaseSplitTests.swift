import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Several supervisors: tenants split by leases, handed over on death and on graceful stop")
struct LeaseSplitTests {
    @Test("two supervisors split 6 tenants 3/3, each tenant has one worker, and each shows the other's as remote")
    func splitThreeThree() async throws {
        let sites = SeveralSupervisors.siteNames.map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        let leases = LeaseSettings(duration: 6, renewInterval: 2, pollInterval: 0.5)
        try await withSupervisorStack(sites: sites, as: .process, configure: { configuration, _ in
            SeveralSupervisors.configure(&configuration, id: "sup-a", leases: leases)
        }) { stack in
            let (a, url) = (stack.serve, stack.databaseURL)
            // Alone, A holds every tenant: the lone-supervisor deployment.
            let alone = try await eventually("A to run all six tenants") { () -> [String: Int32]? in
                let ready = try await SeveralSupervisors.readyHere(a.api, owner: "sup-a")
                return ready.count == 6 ? ready : nil
            }

            let b = try await stack.startServe { $0.supervisorID = "sup-b" }
            defer { b.cleanUp() }
            let pids = try await SeveralSupervisors.waitForSplit(a, b)
            #expect(pids.count == 6)
            #expect(Set(pids.values).count == 6)
            for pid in pids.values { #expect(processExists(pid)) }

            // The stored leases agree: three each.
            let owners = try await SeveralSupervisors.leaseOwners(url)
            #expect(owners.values.filter { $0 == "sup-a" }.count == 3)
            #expect(owners.values.filter { $0 == "sup-b" }.count == 3)

            // A stopped the workers of the tenants it handed over: no tenant runs twice.
            let moved = try await SeveralSupervisors.readyHere(b.api, owner: "sup-b").keys
            for tenantID in moved {
                let oldPid = try #require(alone[tenantID])
                _ = try await eventually("A's old worker of \(tenantID) to be gone") { processExists(oldPid) ? nil : true }
            }

            // `tenantsync status` on A names B as the owner of B's tenants, with no pid.
            let table = try await SeveralSupervisors.statusTable(a.api)
            #expect(table.status == 0)
            #expect(table.output.contains("OWNER"))
            for tenantID in moved {
                let line = try #require(table.output.split(separator: "\n").first { $0.hasPrefix(tenantID + " ") })
                let columns = line.split(separator: " ", omittingEmptySubsequences: true)
                #expect(Array(columns.prefix(4)) == [Substring(tenantID), "remote", "sup-b", "-"])
            }

            // A tenant held elsewhere cannot be started here.
            let start = try await a.api.request("POST", "/api/tenants/\(try #require(moved.first))/start")
            #expect(start.status == 409)
            #expect((start.json["error"] as? [String: Any])?["code"] as? String == "tenant_remote")
        }
    }

    @Test("SIGKILL of one supervisor: the other takes all 6 tenants once the leases expire")
    func sigkillHandsOverAfterExpiry() async throws {
        try await withTwoSupervisors { two in
            let (a, b, url, pids) = (two.a, two.b, two.databaseURL, two.pids)
            let heldByB = try await SeveralSupervisors.readyHere(b.api, owner: "sup-b")

            kill(b.process.processIdentifier, SIGKILL)
            let killedAt = ContinuousClock.now
            _ = try await b.exits.next(timeout: .seconds(10))
            // Lease expiry (6 s) plus a claim tick and worker start-up.
            let all = try await eventually(timeout: .seconds(20), "A to run all six tenants after B died") { () -> [String: Int32]? in
                let ready = try await SeveralSupervisors.readyHere(a.api, owner: "sup-a")
                return ready.count == 6 ? ready : nil
            }
            let takeover = ContinuousClock.now - killedAt
            // Not before the leases could expire: B never answered, so A waited them out.
            #expect(takeover >= .seconds(3))
            for (tenantID, pid) in heldByB {
                #expect(all[tenantID] != pid)
                #expect(processExists(try #require(all[tenantID])))
            }
            #expect(pids.count == 6)
            let owners = try await SeveralSupervisors.leaseOwners(url)
            #expect(owners.count == 6)
            #expect(owners.values.allSatisfy { $0 == "sup-a" })
        }
    }

    @Test("a graceful stop hands the supervisor's tenants over at once, well before their leases would expire")
    func gracefulStopHandsOverAtOnce() async throws {
        // Leases long enough that only a release explains a quick takeover.
        try await withTwoSupervisors(leases: LeaseSettings(duration: 60, renewInterval: 2, pollInterval: 0.5)) { two in
            let (a, b, url) = (two.a, two.b, two.databaseURL)
            let heldByB = try await SeveralSupervisors.readyHere(b.api, owner: "sup-b")

            kill(b.process.processIdentifier, SIGTERM)
            #expect(try await b.exits.next(timeout: .seconds(30)) == 0)
            let stoppedAt = ContinuousClock.now
            for pid in heldByB.values { #expect(!processExists(pid)) }
            let all = try await eventually(timeout: .seconds(30), "A to run all six tenants after B stopped") { () -> [String: Int32]? in
                let ready = try await SeveralSupervisors.readyHere(a.api, owner: "sup-a")
                return ready.count == 6 ? ready : nil
            }
            #expect(ContinuousClock.now - stoppedAt < .seconds(30))
            #expect(all.count == 6)
            let owners = try await SeveralSupervisors.leaseOwners(url)
            #expect(owners.values.allSatisfy { $0 == "sup-a" })
        }
    }
}
