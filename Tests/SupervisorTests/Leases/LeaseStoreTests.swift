import Foundation
import Postgres
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Lease claims in PostgreSQL")
struct LeaseStoreTests {
    @Test("two supervisors claiming the same tenants at once never both get one; expired leases are taken over")
    func claimsAreExclusive() async throws {
        try await TestDatabase.withDatabase { url in
            let tenants = (1...12).map { "t\($0)" }
            let clientA = PostgresClient(url: url, maximumConnections: 1)
            let clientB = PostgresClient(url: url, maximumConnections: 1)
            defer { clientA.shutdown(); clientB.shutdown() }
            let a = LeaseStore(database: clientA, ownerID: "a", duration: 30)
            let b = LeaseStore(database: clientB, ownerID: "b", duration: 30)
            for _ in 0..<5 {
                async let claimedByA = a.claim(tenants, limit: 12)
                async let claimedByB = b.claim(tenants.reversed(), limit: 12)
                let (gotA, gotB) = try await (claimedByA, claimedByB)
                #expect(Set(gotA).isDisjoint(with: gotB))
                #expect(Set(gotA).union(gotB) == Set(tenants))
                try await a.release(gotA)
                try await b.release(gotB)
            }

            // A limit is honoured, and a held lease is not taken while it lasts.
            let first = try await a.claim(tenants, limit: 4)
            #expect(first == Array(tenants.prefix(4)))
            let second = try await b.claim(tenants, limit: 12)
            #expect(Set(second) == Set(tenants.dropFirst(4)))

            // Once A's leases expire, B takes them (and keeps its own).
            let shortA = LeaseStore(database: clientA, ownerID: "a", duration: 0.2)
            _ = try await shortA.beat()
            _ = try await eventually("A's renewed leases to expire") { () -> Bool? in
                let beat = try await b.beat(renew: false)
                return beat.owners.values.contains("a") ? nil : true
            }
            let taken = try await b.claim(tenants, limit: 12)
            #expect(Set(taken) == Set(tenants))
            let beat = try await a.beat()
            #expect(beat.renewed == [])
            #expect(beat.liveMembers == 1)
        }
    }

    @Test("leases settings: defaults, JSON keys, and a renewal interval too long for the lease is refused")
    func settings() throws {
        let defaults = try JSONDecoder().decode(LeaseSettings.self, from: Data("{}".utf8))
        #expect(defaults == LeaseSettings(duration: 15, renewInterval: 5, pollInterval: 1))
        let custom = try JSONDecoder().decode(LeaseSettings.self, from: Data(#"{"duration": 30, "renew_interval": 10, "poll_interval": 2}"#.utf8))
        #expect(custom == LeaseSettings(duration: 30, renewInterval: 10, pollInterval: 2))
        #expect(throws: ConfigurationError.self) { try LeaseSettings(duration: 10, renewInterval: 5).validate() }
        #expect(throws: ConfigurationError.self) { try LeaseSettings(duration: 10, renewInterval: 0).validate() }
        var configuration = SupervisorConfiguration(databaseURL: "postgresql://localhost/x", tenants: [])
        configuration.leases = LeaseSettings(duration: 4, renewInterval: 3)
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }
}
