import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Tenant registry on two supervisors sharing a database")
struct TenantRegistryAcrossSupervisorsTests {
    @Test("a tenant added on A is seen by B within 2 s and run by exactly one of them; removing it on B stops its worker everywhere")
    func addedOnOneSeenByBoth() async throws {
        let sites = ["share-1", "share-2", "share-new"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        let leases = LeaseSettings(duration: 6, renewInterval: 2, pollInterval: 0.5)
        var added: TenantConfiguration?
        try await withSupervisorStack(sites: sites, as: .process, configure: { configuration, _ in
            SeveralSupervisors.configure(&configuration, id: "sup-a", leases: leases)
            added = configuration.tenants.removeLast()
        }) { stack in
            let (a, url) = (stack.serve, stack.databaseURL)
            let b = try await stack.startServe { $0.supervisorID = "sup-b" }
            defer { b.cleanUp() }
            // One tenant each, before the change.
            _ = try await eventually("the two file tenants to split between A and B") { () -> Bool? in
                let onA = try await SeveralSupervisors.readyHere(a.api, owner: "sup-a")
                let onB = try await SeveralSupervisors.readyHere(b.api, owner: "sup-b")
                return onA.count == 1 && onB.count == 1 ? true : nil
            }

            let put = try await a.api.request("PUT", "/api/tenants/share-new", json: try RegistryRequests.body(try #require(added)))
            #expect(put.status == 201)
            let version = try put.decode(TenantChanged.self).tenant.version
            let seen = try await eventually(timeout: .seconds(2), "B to list the tenant added on A") { () -> TenantStatus? in
                try await b.api.tenants()["share-new"]
            }
            #expect(seen.configuration?.version == version)

            // Exactly one supervisor runs its worker; the other shows it as remote, held there.
            let holder = try await eventually("one supervisor to run share-new") { () -> (owner: String, pid: Int32)? in
                let onA = try await a.api.tenants()["share-new"]
                let onB = try await b.api.tenants()["share-new"]
                guard let onA, let onB else { return nil }
                if onA.state == .ready, let pid = onA.pid, onB.state == .remote, onB.owner == "sup-a" { return ("sup-a", pid) }
                if onB.state == .ready, let pid = onB.pid, onA.state == .remote, onA.owner == "sup-b" { return ("sup-b", pid) }
                return nil
            }
            #expect(try await SeveralSupervisors.leaseOwners(url)["share-new"] == holder.owner)

            // Removed through B: gone from both lists within 2 s, and its worker stops wherever it ran.
            let deleted = try await b.api.request("DELETE", "/api/tenants/share-new")
            #expect(deleted.status == 200)
            _ = try await eventually(timeout: .seconds(2), "both supervisors to drop share-new") { () -> Bool? in
                let onA = try await a.api.tenants()["share-new"]
                let onB = try await b.api.tenants()["share-new"]
                return onA == nil && onB == nil ? true : nil
            }
            _ = try await eventually("share-new's worker to be gone") { processExists(holder.pid) ? nil : true }
            _ = try await eventually("share-new's lease to be released") { () -> Bool? in
                try await SeveralSupervisors.leaseOwners(url)["share-new"] == nil ? true : nil
            }
        }
    }
}
