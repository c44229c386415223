import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Testing
import TestSupport

@Suite("Tenant registry: tenants changed through the API are stored in PostgreSQL")
struct TenantRegistryAPITests {
    @Test("a tenant PUT through the API is stored, shown with its version and masked secrets, and served after a restart")
    func putSurvivesRestart() async throws {
        let sites = ["reg-file", "reg-api"].map { DemoSite(name: $0, accommodations: 2, bookings: 3) }
        var apiTenant: TenantConfiguration?
        try await withSupervisorStack(sites: sites, configure: { configuration, _ in
            apiTenant = configuration.tenants.removeLast()
        }) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            let tenant = try #require(apiTenant)
            let put = try await api.request("PUT", "/api/tenants/reg-api", json: try RegistryRequests.body(tenant))
            #expect(put.status == 201)
            let changed = try put.decode(TenantChanged.self)
            #expect(changed.summary.added == ["reg-api"])
            #expect(changed.tenant.source == .api)
            #expect(changed.tenant.tenant.settings["consumer_secret"] == "***")
            #expect(put.response.header("ETag") == "\"\(changed.tenant.version)\"")
            #expect(try await RegistryRequests.storedVersion(url, "reg-api") == changed.tenant.version)
            _ = try await api.readyPID("reg-api")

            // GET shows the registry entry, secrets masked, with the same version as ETag.
            let shown = try await api.request("GET", "/api/tenants/reg-api")
            #expect(shown.status == 200)
            #expect(shown.response.header("ETag") == "\"\(changed.tenant.version)\"")
            let status = try shown.decode(TenantStatus.self)
            #expect(status.configuration?.version == changed.tenant.version)
            #expect(status.configuration?.tenant.settings["consumer_secret"] == "***")
            #expect(status.configuration?.tenant.settings["consumer_key"] == "***")
            #expect(!shown.response.bodyText.contains(tenant.settings["consumer_secret"] ?? "unset"))
            // The file's tenant is in the registry too, written by the file.
            #expect(try await api.tenants()["reg-file"]?.configuration?.source == .file)

            // A supervisor started again with the same file (which does not name reg-api) serves it.
            try await stack.stop()
            let restarted = try await stack.startServe { _ in }
            defer { restarted.cleanUp() }
            _ = try await restarted.api.readyPID("reg-api")
            let done = try await restarted.api.request("POST", "/api/tenants/reg-api/sync?background=false")
            #expect(done.status == 200)
            #expect(try done.decode(SyncFinished.self).status == .succeeded)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM reservations WHERE tenant_id = 'reg-api'") > 0)
            #expect(try await RegistryRequests.storedVersion(url, "reg-api") == changed.tenant.version)
        }
    }

    @Test("If-Match with a stale version gets 412 and changes nothing; the current version goes through")
    func staleIfMatch() async throws {
        let sites = [DemoSite(name: "reg-match", accommodations: 2, bookings: 2)]
        try await withSupervisorStack(sites: sites) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            let pid = try await api.readyPID("reg-match")
            let first = try #require(try await api.tenants()["reg-match"]?.configuration)

            let patched = try await api.request(
                "PATCH", "/api/tenants/reg-match", json: #"{"settings": {"per_page": 20}}"#, headers: RegistryRequests.ifMatch(first.version)
            )
            #expect(patched.status == 200)
            let second = try patched.decode(TenantChanged.self).tenant
            #expect(second.version > first.version)
            #expect(second.tenant.settings["per_page"] == "20")
            // The merge keeps every other setting, secrets included (masked in the answer, sealed in the table):
            // the new worker still syncs with them.
            #expect(second.tenant.settings["consumer_secret"] == "***")
            let replaced = try await api.waitForTenant("reg-match", "replaced by a worker with per_page 20") {
                $0.state == .ready && $0.pid.map { $0 != pid } == true
            }
            let synced = try await api.request("POST", "/api/tenants/reg-match/sync?background=false")
            #expect(try synced.decode(SyncFinished.self).status == .succeeded)

            // Stale: 412, nothing changes, not the table, not the worker.
            var stale = stack.configuration.tenants[0]
            stale.settings["per_page"] = "30"
            let put = try await api.request("PUT", "/api/tenants/reg-match", json: try RegistryRequests.body(stale), headers: RegistryRequests.ifMatch(first.version))
            #expect(put.status == 412)
            #expect(RegistryRequests.error(put).code == "version_mismatch")
            let patch = try await api.request("PATCH", "/api/tenants/reg-match", json: #"{"enabled": false}"#, headers: RegistryRequests.ifMatch(first.version))
            #expect(patch.status == 412)
            let delete = try await api.request("DELETE", "/api/tenants/reg-match", headers: RegistryRequests.ifMatch(first.version))
            #expect(delete.status == 412)
            #expect(try await RegistryRequests.storedVersion(url, "reg-match") == second.version)
            #expect(try await TestDatabase.text(url, "SELECT settings->>'per_page' FROM tenants WHERE id = 'reg-match'") == "20")
            let after = try #require(try await api.tenants()["reg-match"])
            #expect(after.pid == replaced.pid && after.enabled)
            #expect(after.configuration?.version == second.version)

            // A tenant that does not exist never matches a version.
            stale.id = "reg-none"
            let missing = try await api.request("PUT", "/api/tenants/reg-none", json: try RegistryRequests.body(stale), headers: RegistryRequests.ifMatch(second.version))
            #expect(missing.status == 412)
            #expect(try await RegistryRequests.storedVersion(url, "reg-none") == nil)

            // The current version goes through.
            let removed = try await api.request("DELETE", "/api/tenants/reg-match", headers: RegistryRequests.ifMatch(second.version))
            #expect(removed.status == 200)
            #expect(try await RegistryRequests.storedVersion(url, "reg-match") == nil)
            _ = try await eventually("the removed tenant's worker to be gone") { processExists(replaced.pid ?? 0) ? nil : true }
        }
    }

    @Test("invalid settings are refused with 422 naming the setting, and nothing is stored")
    func invalidSettings() async throws {
        let sites = [DemoSite(name: "reg-valid", accommodations: 2, bookings: 2)]
        try await withSupervisorStack(sites: sites) { stack in
            let (api, url) = (stack.api, stack.databaseURL)
            _ = try await api.readyPID("reg-valid")
            let version = try #require(try await RegistryRequests.storedVersion(url, "reg-valid"))
            let good = stack.configuration.tenants[0]
            var cases: [(name: String, tenant: TenantConfiguration, code: String, field: String)] = []
            var badURL = good
            badURL.id = "reg-new"
            badURL.settings["base_url"] = "ftp://example.com/site"
            cases.append(("bad base_url", badURL, "invalid_settings", "settings.base_url"))
            var noHost = badURL
            noHost.settings["base_url"] = "https://"
            cases.append(("base_url without a host", noHost, "invalid_settings", "settings.base_url"))
            var missing = good
            missing.id = "reg-new"
            missing.settings["consumer_secret"] = nil
            cases.append(("missing secret", missing, "invalid_settings", "settings.consumer_secret"))
            var perPage = good
            perPage.id = "reg-new"
            perPage.settings["per_page"] = "0"
            cases.append(("per_page out of range", perPage, "invalid_settings", "settings.per_page"))
            var connector = good
            connector.id = "reg-new"
            connector.connector = "nope"
            cases.append(("unknown connector", connector, "unknown_connector", "connector"))

            for (name, tenant, code, field) in cases {
                let answer = try await api.request("PUT", "/api/tenants/reg-new", json: try RegistryRequests.body(tenant))
                #expect(answer.status == 422, "\(name)")
                let error = RegistryRequests.error(answer)
                #expect(error.code == code, "\(name)")
                #expect(error.field == field, "\(name)")
                #expect(error.message?.contains(good.settings["consumer_secret"] ?? "unset") == false, "\(name)")
            }
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE id = 'reg-new'") == 0)
            #expect(try await api.tenants()["reg-new"] == nil)

            // A change to an existing tenant is checked the same way, and leaves it as it was.
            let patch = try await api.request("PATCH", "/api/tenants/reg-valid", json: #"{"settings": {"per_page": 1000}}"#)
            #expect(patch.status == 422)
            #expect(RegistryRequests.error(patch).field == "settings.per_page")
            let put = try await api.request("PUT", "/api/tenants/reg-valid", json: try RegistryRequests.body(perPage).replacingOccurrences(of: "reg-new", with: "reg-valid"))
            #expect(put.status == 422)
            #expect(try await RegistryRequests.storedVersion(url, "reg-valid") == version)
            #expect(try await TestDatabase.scalar(url, "SELECT count(*) FROM tenants WHERE id = 'reg-valid' AND settings ? 'per_page'") == 0)
        }
    }
}
