import Logging
@testable import SupervisorCore
import Testing

/// What bringing the fleet to a new list of tenants changes, without starting a worker.
@Suite("FleetRoster: which controllers a new list keeps, replaces or drops")
struct FleetRosterTests {
    static let environment = WorkerEnvironment(
        executable: "/nonexistent", databaseURL: "postgresql://127.0.0.1:1/x", heartbeatInterval: 1, shutdownGracePeriod: 1
    )
    static let hourly = TenantSchedule(.every(ScheduleDuration(seconds: 3_600)))

    static func tenant(_ id: String, setting: String = "a", schedule: ScheduleChoice = .inherited) -> TenantConfiguration {
        var tenant = TenantConfiguration(id: id, connector: "motopress", settings: ["site": setting])
        tenant.schedule = schedule
        return tenant
    }

    static func reconcile(_ roster: inout FleetRoster, to tenants: [TenantConfiguration]) -> FleetRoster.Change {
        roster.reconcile(to: tenants, defaultSchedule: nil) { tenant in
            TenantWorkerController(tenant: tenant, environment: environment, logger: Logger(label: "test"))
        }
    }

    @Test("new tenants get a controller, a changed one a fresh controller, a missing one is dropped, the rest are kept")
    func reconcile() {
        var roster = FleetRoster()
        let first = Self.reconcile(&roster, to: [Self.tenant("a"), Self.tenant("b"), Self.tenant("c")])
        #expect(first.summary.added == ["a", "b", "c"])
        #expect(first.fresh.count == 3 && first.stale.isEmpty)
        let kept = roster.controllers["a"]

        let second = Self.reconcile(&roster, to: [Self.tenant("c"), Self.tenant("a"), Self.tenant("b", setting: "changed")])
        #expect(second.summary == WorkerFleet.ReloadSummary(changed: ["b"], unchanged: ["c", "a"]))
        #expect(second.fresh.count == 1 && second.stale.count == 1)
        #expect(roster.controllers["a"] === kept)
        #expect(roster.order == ["c", "a", "b"])

        let third = Self.reconcile(&roster, to: [Self.tenant("a")])
        #expect(third.summary.removed == ["c", "b"])
        #expect(third.stale.count == 2 && third.fresh.isEmpty)
        #expect(roster.controllers.keys.sorted() == ["a"])
    }

    @Test("a new schedule alone keeps the worker; the controller's tenant has no schedule, the configuration has it resolved")
    func scheduleOnly() async {
        var roster = FleetRoster()
        _ = Self.reconcile(&roster, to: [Self.tenant("a")])
        let controller = roster.controllers["a"]
        let change = Self.reconcile(&roster, to: [Self.tenant("a", schedule: .scheduled(Self.hourly))])
        #expect(change.summary.changed == ["a"])
        #expect(change.fresh.isEmpty && change.stale.isEmpty)
        #expect(roster.controllers["a"] === controller)
        #expect(await controller?.tenant.schedule == .inherited)
        #expect(roster.configurations.map(\.schedule) == [.scheduled(Self.hourly)])
        #expect(roster.scheduleBookEntries == ["a": Self.hourly])
    }
}
