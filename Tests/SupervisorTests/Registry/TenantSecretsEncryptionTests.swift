import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Tenant registry: secret settings encrypted at rest under a master key")
struct TenantSecretsEncryptionTests {
    static let standardKeyID = try! MasterKey(base64: TestMasterKeys.standard, origin: "test").id
    static let otherKeyID = try! MasterKey(base64: TestMasterKeys.other, origin: "test").id

    /// How many rows of `tenants` show `text` anywhere, every column read as text.
    static func rowsShowing(_ url: String, _ text: String) async throws -> Int {
        try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants t WHERE strpos(t::text, $1) > 0", [.text(text)])
    }

    @Test("the table holds only ciphertext: no secret in any column, each row under the master key's id")
    func noPlaintext() async throws {
        let sites = ["enc-file", "enc-api"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        var apiTenant: TenantConfiguration?
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            apiTenant = configuration.tenants.removeLast()
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            let tenant = try #require(apiTenant)
            #expect(try await api.request("PUT", "/api/tenants/enc-api", json: try RegistryRequests.body(tenant)).status == 201)
            for configured in [stack.configuration.tenants[0], tenant] {
                for name in ["consumer_secret", "consumer_key"] {
                    let secret = try #require(configured.settings[name])
                    #expect(try await Self.rowsShowing(url, secret) == 0, "\(configured.id) \(name)")
                }
            }
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE master_key_id = $1 AND secret_settings IS NOT NULL", [.text(Self.standardKeyID)]) == 2)
            // Workers still get the secrets (over their pipe) and sync.
            let done = try await api.request("POST", "/api/tenants/enc-api/sync?background=false")
            #expect(try done.decode(SyncFinished.self).status == .succeeded)
        }
    }

    @Test("a wrong or missing master key stops start-up naming the key id the registry needs, and nothing is written")
    func wrongKeyStopsStartup() async throws {
        let sites = [DemoSite(name: "enc-wrong", accommodations: 2, bookings: 2)]
        try await withSupervisorStack(sites: sites) { stack in
            let url = stack.databaseURL
            _ = try await stack.api.readyPID("enc-wrong")
            try await stack.stop()
            let before = try await TestDatabase.text(url, "SELECT string_agg(t::text, '|' ORDER BY id) FROM tenants t")

            var wrong = stack.configuration
            wrong.masterKeyFile = try TestMasterKeys.file(TestMasterKeys.other)
            var missing = stack.configuration
            missing.masterKeyFile = nil
            for configuration in [wrong, missing] {
                do {
                    _ = try await SupervisorApp(configuration: configuration, logger: SupervisorTestHarness.quietLogger())
                    Issue.record("a supervisor without the registry's master key started")
                } catch let error as SecretsError {
                    #expect(error.code == .unknownMasterKey)
                    #expect(error.description.contains(Self.standardKeyID))
                }
            }
            #expect(try await TestDatabase.text(url, "SELECT string_agg(t::text, '|' ORDER BY id) FROM tenants t") == before)
        }
    }

    @Test("`tenantsync keys rotate` re-wraps every tenant under the new key while the supervisor runs, and every tenant keeps working")
    func rotation() async throws {
        let sites = ["rot-a", "rot-b"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        try await withSupervisorStack(sites: sites, as: .process) { stack in
            let (serve, url) = (stack.serve, stack.databaseURL)
            for site in sites { _ = try await serve.api.readyPID(site.name) }
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE master_key_id = $1", [.text(Self.standardKeyID)]) == 2)

            // Step 1: the new key is current, the old one still readable; SIGHUP.
            var rotating = stack.configuration
            rotating.masterKeyFile = try TestMasterKeys.file(TestMasterKeys.other)
            rotating.previousMasterKeyFiles = [try TestMasterKeys.file(TestMasterKeys.standard)]
            try ConfigurationFile.write(rotating, to: serve.configPath)
            kill(serve.process.processIdentifier, SIGHUP)

            // Step 2: rotate, from another process, while the supervisor runs.
            let rotated = try await Self.keys(["rotate", "--config", serve.configPath], environment: ["TENANTSYNC_DATABASE_URL": url])
            #expect(rotated.status == 0, "\(rotated.output)")
            #expect(rotated.output.contains("re-wrapped 2 tenant(s) under master key \(Self.otherKeyID)"))
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE master_key_id = $1", [.text(Self.otherKeyID)]) == 2)

            // The running supervisor reads and writes under the new key: a change is sealed with it.
            _ = try await eventually("a change sealed under the new key") { () -> Bool? in
                let patch = try await serve.api.request("PATCH", "/api/tenants/rot-a", json: #"{"settings": {"per_page": \#(Int.random(in: 10...99))}}"#)
                guard patch.status == 200 else { return nil }
                return try await TestDatabase.text(url, "SELECT master_key_id FROM tenants WHERE id = 'rot-a'") == Self.otherKeyID ? true : nil
            }
            for site in sites {
                _ = try await serve.api.readyPID(site.name)
                let done = try await serve.api.request("POST", "/api/tenants/\(site.name)/sync?background=false")
                #expect(try done.decode(SyncFinished.self).status == .succeeded, "\(site.name)")
            }

            // Step 3: the old key is dropped; a supervisor with the new key alone serves every tenant.
            kill(serve.process.processIdentifier, SIGTERM)
            _ = try await serve.exits.next(timeout: .seconds(60))
            let restarted = try await stack.startServe { configuration in
                configuration.masterKeyFile = try? TestMasterKeys.file(TestMasterKeys.other)
                configuration.previousMasterKeyFiles = []
            }
            defer { restarted.cleanUp() }
            for site in sites {
                _ = try await restarted.api.readyPID(site.name)
                let done = try await restarted.api.request("POST", "/api/tenants/\(site.name)/sync?background=false")
                #expect(try done.decode(SyncFinished.self).status == .succeeded, "\(site.name) after the restart")
            }
        }
    }

    /// `tenantsync keys <arguments>`: its exit status and output.
    static func keys(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, output: String) {
        try await TenantsyncCLI.run(["keys"] + arguments, environment: environment)
    }
}
