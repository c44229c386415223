import DemoUpstreamKit
import Foundation
@testable import SupervisorCore
import Support
import Testing
import TestSupport

@Suite("tenantsync logs: colour on a terminal, plain when piped, -f over Server-Sent Events")
struct LogsCLITests {
    static let site = DemoSite(name: "hotel-cli", accommodations: 2, bookings: 4)

    /// Runs `body` with a supervisor whose one tenant's worker is ready.
    static func withReadySupervisor(_ body: (APIClient) async throws -> Void) async throws {
        try await withSupervisorStack(sites: [site]) { stack in
            let api = stack.api
            _ = try await eventually("worker ready") { () -> Bool? in
                try await api.decode(TenantStatus.self, "GET", "/api/tenants/\(site.name)").state == .ready ? true : nil
            }
            try await body(api)
        }
    }

    @Test("the tenant prefix is coloured on a terminal and with --color always, plain when piped")
    func colouredPrefix() async throws {
        try await Self.withReadySupervisor { api in
            let arguments = ["logs", Self.site.name, "--lines", "5", "--url", api.baseURL, "--api-key", APIClient.defaultAPIKey]
            let colouredPrefix = #/\x{1B}\[\d+mhotel-cli \|\x{1B}\[0m /#

            let piped = try await offPool { try LogsAPITests.runCLI(arguments) }
            #expect(piped.status == 0)
            #expect(piped.output.contains("hotel-cli | "))
            #expect(!piped.output.contains("\u{1B}"), "piped output must carry no escape codes")

            let always = try await offPool { try LogsAPITests.runCLI(arguments + ["--color", "always"]) }
            #expect(always.status == 0)
            #expect(always.output.contains(colouredPrefix))
            let never = try await offPool { try LogsAPITests.runCLI(arguments + ["--color", "never"]) }
            #expect(!never.output.contains("\u{1B}"))
            #expect(try await offPool { try LogsAPITests.runCLI(arguments + ["--color", "sometimes"]) }.status != 0)

            // A real terminal: `script` runs the command on a pseudo-terminal and copies what it shows.
            let binary = try Binaries.path(of: "tenantsync")
            let command = ([binary] + arguments).map { "'\($0)'" }.joined(separator: " ")
            // The test runner may itself set NO_COLOR; the terminal case must not inherit it.
            let terminal = try await offPool { try Self.run("/usr/bin/script", ["-qec", "env -u NO_COLOR " + command, "/dev/null"]) }
            #expect(terminal.status == 0)
            #expect(terminal.output.contains(colouredPrefix), "\(terminal.output.prefix(300))")
            let noColour = try await offPool { try Self.run("/usr/bin/script", ["-qec", "NO_COLOR=1 " + command, "/dev/null"]) }
            #expect(noColour.output.contains("hotel-cli | "))
            #expect(!noColour.output.contains(colouredPrefix))
        }
    }

    @Test("logs -f prints lines written after it started and exits 0 on SIGINT")
    func followUntilInterrupted() async throws {
        try await Self.withReadySupervisor { api in
            let command = try LineStreamingCommand(executable: try Binaries.path(of: "tenantsync"), arguments: [
                "logs", Self.site.name, "-f", "--lines", "1", "--level", "notice", "--url", api.baseURL, "--api-key", APIClient.defaultAPIKey,
            ])
            defer { command.terminate() }
            let (process, lines, exits) = (command.process, command.lines, command.exits)

            // The one-line tail shows the stream is open; everything after it was written later.
            let first = try #require(try await lines.next(timeout: .seconds(30)), "no tail line")
            #expect(first.hasPrefix("hotel-cli | "))

            let accepted = try await api.request("POST", "/api/tenants/\(Self.site.name)/sync")
            #expect(accepted.status == 202)
            let runID = try accepted.decode(SyncAccepted.self).runID
            var followed: [String] = []
            while !followed.contains(where: { $0.contains("→ syncing") }) {
                let line = try #require(try await lines.next(timeout: .seconds(30)), "follow ended early")
                followed.append(line)
            }
            #expect(followed.allSatisfy { $0.hasPrefix("hotel-cli | ") && !$0.contains("\u{1B}") })
            #expect(followed.contains { $0.contains(runID) })
            #expect(process.isRunning)

            process.interrupt()
            #expect(try await exits.next(timeout: .seconds(30)) == 0)
        }
    }

    @Test("a follow that reconnects with Last-Event-ID gets only the lines after that one")
    func resumeWithLastEventID() async throws {
        try await Self.withReadySupervisor { api in
            let tail = try await api.decode(LogTail.self, "GET", "/api/tenants/\(Self.site.name)/logs?lines=1000")
            let sequences = tail.lines.map(\.sequence)
            try #require(sequences.count >= 2)
            let resumeAfter = sequences[sequences.count - 2]
            let port = try #require(Int(api.baseURL.split(separator: ":").last ?? ""))
            let reader = try ServerSentEventReader(
                port: port, path: "/api/tenants/\(Self.site.name)/logs?follow=true&lines=50",
                headers: ["X-API-KEY": APIClient.defaultAPIKey, "Last-Event-ID": String(resumeAfter)]
            )
            let events = AsyncInbox<ServerSentEventReader.Event>()
            async let status = offPool { reader.run { events.push($0); return true } }
            let event = try #require(try await events.next(timeout: .seconds(30)))
            let entry = try JSONDecoder().decode(TenantLogEntry.self, from: Data(event.data.utf8))
            // Not the 50-line tail: the first event is the one right after the resumed one.
            #expect(entry.sequence == sequences.last)
            reader.close()
            #expect(await status == 200)
        }
    }

    /// Runs `path` with `arguments`; returns its exit status and standard output.
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
