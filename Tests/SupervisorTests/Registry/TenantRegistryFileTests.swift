import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Tenant registry: the configuration file's tenants")
struct TenantRegistryFileTests {
    @Test("file tenants are applied at start and on SIGHUP: the file wins for the tenants it names, API tenants are left alone")
    func fileAppliedAtStart() async throws {
        let sites = ["file-a", "file-b", "file-api"].map { DemoSite(name: $0, accommodations: 2, bookings: 2) }
        var apiTenant: TenantConfiguration?
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            apiTenant = configuration.tenants.removeLast()
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            // Applied at start, before any worker: both file tenants are rows written by the file.
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE source = 'file' AND id IN ('file-a', 'file-b')") == 2)
            _ = try await api.readyPID("file-a")
            let put = try await api.request("PUT", "/api/tenants/file-api", json: try RegistryRequests.body(try #require(apiTenant)))
            #expect(put.status == 201)
            // The API changes a file tenant; the file takes it back at the next start.
            let patched = try await api.request("PATCH", "/api/tenants/file-a", json: #"{"settings": {"per_page": 7}}"#)
            #expect(patched.status == 200)
            #expect(try patched.decode(TenantChanged.self).tenant.source == .api)

            try await stack.stop()
            let restarted = try await stack.startServe { configuration in
                configuration.tenants.removeAll { $0.id == "file-b" }
            }
            defer { restarted.cleanUp() }
            let restartedAPI = restarted.api
            _ = try await restartedAPI.readyPID("file-a")
            _ = try await restartedAPI.readyPID("file-api")
            let tenants = try await restartedAPI.tenants()
            #expect(tenants["file-a"]?.configuration?.tenant.settings["per_page"] == nil)
            #expect(tenants["file-a"]?.configuration?.source == .file)
            #expect(tenants["file-api"]?.configuration?.source == .api)
            // A tenant the file wrote and no longer names is gone.
            #expect(tenants["file-b"] == nil)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE id = 'file-b'") == 0)

            // SIGHUP: the file names file-b again.
            try ConfigurationFile.write(stack.configuration, to: restarted.configPath)
            kill(restarted.process.processIdentifier, SIGHUP)
            _ = try await restartedAPI.readyPID("file-b")
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE id = 'file-b' AND source = 'file'") == 1)
            #expect(try await restartedAPI.tenants()["file-api"] != nil)
        }
    }
}
