import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("Logs API: tails, filters and Server-Sent Event follows against a real supervisor")
struct LogsAPITests {
    @Test("follow receives new lines as they happen; tails filter; secrets stay out; files get every line")
    func followAndTail() async throws {
        let sites = [DemoSite(name: "hotel-logs", accommodations: 3, bookings: 8)]
        try await withSupervisorStack(sites: sites, configure: { configuration, parts in
            configuration.dataDirectory = parts.directory.appendingPathComponent("data").path
        }) { stack in
            let api = stack.api
            let dataDirectory = try #require(stack.configuration.dataDirectory)
            let secret = sites[0].consumerSecret
            let lingeringStatus = AsyncInbox<Int>()
            _ = try await eventually("worker ready") { () -> Bool? in
                try await api.decode(TenantStatus.self, "GET", "/api/tenants/hotel-logs").state == .ready ? true : nil
            }
            let port = try #require(Int(api.baseURL.split(separator: ":").last ?? ""))
            let headers = ["X-API-KEY": APIClient.defaultAPIKey]

            let tail = try await api.request("GET", "/api/tenants/hotel-logs/logs?lines=100&level=notice")
            #expect(tail.status == 200)
            let lines = try tail.decode(LogTail.self).lines
            #expect(lines.contains { $0.message.hasPrefix("worker spawned (pid ") })
            #expect(lines.allSatisfy { ["notice", "warning", "error", "critical"].contains($0.level) })
            // The wire format of the stamps, which the decoded dates no longer show.
            let wireLines = tail.json["lines"] as? [[String: Any]] ?? []
            #expect(wireLines.allSatisfy { ($0["timestamp"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil })
            #expect(try await api.request("GET", "/api/tenants/hotel-logs/logs?level=loud").status == 400)
            #expect(try await api.request("GET", "/api/tenants/hotel-logs/logs?since=yesterday").status == 400)
            #expect(try await api.request("GET", "/api/tenants/nobody/logs").status == 404)

            let tenantEvents = AsyncInbox<ServerSentEventReader.Event>()
            let tenantReader = try ServerSentEventReader(port: port, path: "/api/tenants/hotel-logs/logs?follow=true&lines=1", headers: headers)
            let allEvents = AsyncInbox<ServerSentEventReader.Event>()
            let allReader = try ServerSentEventReader(port: port, path: "/api/logs?follow=true&format=text&lines=1", headers: headers)
            async let tenantStatus = offPool { tenantReader.run { tenantEvents.push($0); return true } }
            async let allStatus = offPool { allReader.run { allEvents.push($0); return true } }

            // The one backlog line arrives after the subscription exists: what follows is live.
            let first = try #require(try await tenantEvents.next(timeout: .seconds(30)))
            #expect(first.name == "log")
            let firstMerged = try #require(try await allEvents.next(timeout: .seconds(30)))
            #expect(firstMerged.data.hasPrefix("hotel-logs | "))

            let accepted = try await api.request("POST", "/api/tenants/hotel-logs/sync")
            #expect(accepted.status == 202)
            let runID = try accepted.decode(SyncAccepted.self).runID
            var seen: [String] = []
            while !seen.contains(where: { $0.contains("→ syncing") }) {
                let event = try #require(try await tenantEvents.next(timeout: .seconds(30)), "follow ended early")
                #expect(event.name == "log")
                let entry = try JSONDecoder().decode(TenantLogEntry.self, from: Data(event.data.utf8))
                #expect(entry.tenant == "hotel-logs")
                seen.append(entry.message)
            }
            #expect(seen.last?.contains(runID) == true)
            let merged = try await eventually("the merged follow to show the run") { () -> Bool? in
                guard let event = try await allEvents.next(timeout: .seconds(30)) else { return false }
                return event.data.hasPrefix("hotel-logs | ") && event.data.contains("→ syncing") ? true : nil
            }
            #expect(merged)
            _ = try await api.waitForRun(runID)
            let everything = try await api.request("GET", "/api/logs?lines=1000")
            #expect(!String(decoding: everything.response.body, as: UTF8.self).contains(secret))

            // The CLI, piped: plain text with a tenant prefix, no colour codes.
            let cli = try await offPool {
                try Self.runCLI(["logs", "hotel-logs", "--lines", "50", "--level", "notice", "--url", api.baseURL, "--api-key", APIClient.defaultAPIKey])
            }
            #expect(cli.status == 0)
            #expect(cli.output.contains("hotel-logs | "))
            #expect(cli.output.contains("[supervisor] worker spawned (pid "))
            #expect(!cli.output.contains("\u{1B}["))
            #expect(!cli.output.contains(secret))
            let json = try await offPool {
                try Self.runCLI(["logs", "--json", "--lines", "3", "--url", api.baseURL, "--api-key", APIClient.defaultAPIKey])
            }
            let objects = json.output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(objects.count == 3)

            // A follow still open at shutdown ends cleanly instead of holding the server up.
            let lingering = try ServerSentEventReader(port: port, path: "/api/logs?follow=true&lines=1", headers: headers)
            let lingeringEvents = AsyncInbox<ServerSentEventReader.Event>()
            let lingeringThread = Thread { lingeringStatus.push(lingering.run { lingeringEvents.push($0); return true }) }
            lingeringThread.start()
            #expect(try await lingeringEvents.next(timeout: .seconds(30)) != nil)

            tenantReader.close()
            allReader.close()
            #expect(await (try tenantStatus) == 200)
            #expect(await (try allStatus) == 200)

            try await stack.stop()
            #expect(try await lingeringStatus.next(timeout: .seconds(30)) == 200)
            let file = try String(contentsOfFile: dataDirectory + "/logs/hotel-logs.log", encoding: .utf8)
            #expect(file.contains("[supervisor] worker spawned (pid "))
            #expect(file.contains("→ syncing"))
            // The worker's last state change, at shutdown, is flushed before the supervisor returns.
            #expect(file.contains("→ stopped"))
            #expect(!file.contains(secret))
        }
    }

    /// Runs the `tenantsync` executable and returns its exit status and standard output.
    static func runCLI(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Binaries.path(of: "tenantsync"))
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
