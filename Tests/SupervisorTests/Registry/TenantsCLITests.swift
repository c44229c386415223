import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("`tenantsync tenants`: the registry from the command line")
struct TenantsCLITests {
    @Test("add, ls, show, set, check, rm and import talk to the API; secrets come from the environment and never show")
    func verbs() async throws {
        let sites = ["cli-file", "cli-new", "cli-imported"].map { DemoSite(name: $0, accommodations: 3, bookings: 2) }
        var spare: [TenantConfiguration] = []
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            spare = Array(configuration.tenants.dropFirst())
            configuration.tenants = [configuration.tenants[0]]
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            let new = spare[0]
            let secret = try #require(new.settings["consumer_secret"])
            let add = [
                "add", "cli-new", "--connector", "motopress", "--setting", "base_url=\(new.settings["base_url"] ?? "")",
                "--setting", "consumer_key=\(new.settings["consumer_key"] ?? "")", "--setting-from-env", "consumer_secret=CLI_TEST_SECRET",
            ]
            let added = try await TenantsCLI.run(api, add, environment: ["CLI_TEST_SECRET": secret])
            #expect(added.status == 0, "\(added.output)")
            #expect(added.output.contains("cli-new added (version"))
            #expect(try await TenantSecretsEncryptionTests.rowsShowing(url, secret) == 0)
            // add never overwrites.
            let again = try await TenantsCLI.run(api, add, environment: ["CLI_TEST_SECRET": secret])
            #expect(again.status != 0)
            #expect(again.output.contains("already exists"))

            let listed = try await TenantsCLI.run(api, ["ls"])
            #expect(listed.status == 0)
            let line = try #require(listed.output.split(separator: "\n").first { $0.hasPrefix("cli-new ") })
            #expect(line.contains("motopress") && line.contains(" api "))
            #expect(listed.output.contains("cli-file"))

            let shown = try await TenantsCLI.run(api, ["show", "cli-new"])
            #expect(shown.status == 0)
            #expect(shown.output.contains("consumer_secret") && shown.output.contains("***"))
            #expect(!shown.output.contains(secret))

            // The connector refuses a value out of range, naming it; nothing changes.
            let version = try await TestDatabase.scalar(url, "SELECT version FROM tenants WHERE id = 'cli-new'")
            let refused = try await TenantsCLI.run(api, ["set", "cli-new", "per_page=500"])
            #expect(refused.status != 0)
            #expect(refused.output.contains("settings.per_page"))
            #expect(try await TestDatabase.scalar(url, "SELECT version FROM tenants WHERE id = 'cli-new'") == version)
            let stale = try await TenantsCLI.run(api, ["set", "cli-new", "per_page=50", "--if-match", "\(version - 1)"])
            #expect(stale.status != 0)
            let set = try await TenantsCLI.run(api, ["set", "cli-new", "per_page=50", "--if-match", "\(version)"])
            #expect(set.status == 0, "\(set.output)")
            #expect(set.output.contains("cli-new changed"))
            #expect(try await TestDatabase.text(url, "SELECT settings->>'per_page' FROM tenants WHERE id = 'cli-new'") == "50")

            _ = try await api.readyPID("cli-new")
            let checked = try await TenantsCLI.run(api, ["check", "cli-new"])
            #expect(checked.status == 0, "\(checked.output)")
            #expect(checked.output.contains("3 accommodations found"))

            let removed = try await TenantsCLI.run(api, ["rm", "cli-new"])
            #expect(removed.status == 0)
            #expect(removed.output.contains("cli-new removed"))
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE id = 'cli-new'") == 0)

            // import: a file's tenants, once.
            let file = stack.directory.appendingPathComponent("import.json")
            try JSONEncoder().encode(["tenants": [spare[1]]]).write(to: file)
            let imported = try await TenantsCLI.run(api, ["import", file.path])
            #expect(imported.status == 0, "\(imported.output)")
            #expect(imported.output.contains("cli-imported added"))
            _ = try await api.readyPID("cli-imported")
            #expect(try await TestDatabase.text(url, "SELECT source FROM tenants WHERE id = 'cli-imported'") == "api")
        }
    }
}
