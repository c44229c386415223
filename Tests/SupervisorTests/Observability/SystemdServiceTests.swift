import Foundation
import Testing
import Support
import TestSupport

@testable import SupervisorCore

/// deploy/systemd/tenantsync.service run the way systemd runs it: its ExecStart with the example
/// configuration and environment file, a real unix datagram socket as NOTIFY_SOCKET, SIGTERM to stop.
@Suite("systemd unit: Type=notify, watchdog and stop of a real tenantsync serve")
struct SystemdServiceTests {
    private let deploy = Repository.root.appendingPathComponent("deploy/systemd")

    @Test("the unit asks for notify, mixed kill mode, a watchdog and the hardening, and may write its data directory")
    func unitSettings() throws {
        let unit = try SystemdUnit(contentsOf: deploy.appendingPathComponent("tenantsync.service"))
        #expect(unit.value("Service", "Type") == "notify")
        #expect(unit.value("Service", "KillMode") == "mixed")
        #expect(unit.value("Service", "NoNewPrivileges") == "yes")
        #expect(unit.value("Service", "ProtectSystem") == "strict")
        #expect(unit.value("Service", "PrivateTmp") == "yes")
        let watchdog = try #require(unit.value("Service", "WatchdogSec").flatMap(SystemdUnit.seconds))
        #expect(watchdog >= 10)
        // The stop timeout leaves workers their grace period (10 s by default) and the runs time to be recorded.
        #expect(try #require(unit.value("Service", "TimeoutStopSec").flatMap(SystemdUnit.seconds)) > 10)
        let configuration = try JSONSerialization.jsonObject(with: Data(contentsOf: deploy.appendingPathComponent("tenantsync.json.example"))) as? [String: Any]
        let dataDirectory = try #require(configuration?["data_directory"] as? String)
        #expect(unit.value("Service", "ReadWritePaths")?.split(separator: " ").contains(Substring(dataDirectory)) == true)
        #expect(unit.value("Service", "WorkingDirectory") == dataDirectory)
        #expect(unit.value("Service", "ExecStart")?.contains("tenantsync serve --config /etc/tenantsync/tenantsync.json") == true)
    }

    @Test("READY=1 once migrations are applied and the API listens, WATCHDOG=1 at half WATCHDOG_USEC, STOPPING=1 on SIGTERM")
    func notifyProtocol() async throws {
        let unit = try SystemdUnit(contentsOf: deploy.appendingPathComponent("tenantsync.service"))
        try await TestDatabase.withDatabase(migrated: false) { databaseURL in
            try await withScratchDirectory { scratch in
                // The example configuration, with its data directory and port moved into the scratch directory.
                var configuration = try #require(
                    try JSONSerialization.jsonObject(with: Data(contentsOf: deploy.appendingPathComponent("tenantsync.json.example"))) as? [String: Any]
                )
                configuration["data_directory"] = scratch.appendingPathComponent("data").path
                configuration["port"] = 0
                let configPath = scratch.appendingPathComponent("tenantsync.json").path
                try JSONSerialization.data(withJSONObject: configuration).write(to: URL(fileURLWithPath: configPath))

                // ExecStart with the built executable and that configuration.
                var arguments = try #require(unit.value("Service", "ExecStart")).split(separator: " ").map(String.init)
                #expect(arguments.removeFirst().hasSuffix("/tenantsync"))
                let configIndex = try #require(arguments.firstIndex(of: "--config"))
                arguments[configIndex + 1] = configPath

                // The environment systemd would give it: the example file, the notify socket, the watchdog.
                var environment = try SystemdUnit.environmentFile(deploy.appendingPathComponent("tenantsync.env.example"))
                environment["TENANTSYNC_DATABASE_URL"] = databaseURL
                let apiKey = try #require(environment["TENANTSYNC_API_KEY"])
                let listener = try NotifySocketListener(path: scratch.appendingPathComponent("notify").path)
                defer { listener.close() }
                environment["NOTIFY_SOCKET"] = listener.environmentValue
                environment["WATCHDOG_USEC"] = "400000"
                environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]

                let supervisor = Process()
                supervisor.executableURL = URL(fileURLWithPath: try Binaries.path(of: "tenantsync"))
                supervisor.arguments = arguments
                supervisor.environment = environment
                supervisor.currentDirectoryURL = scratch
                #expect(FileManager.default.createFile(atPath: scratch.appendingPathComponent("stderr.log").path, contents: nil))
                supervisor.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("stderr.log"))
                let exits = AsyncInbox<Int32>()
                supervisor.terminationHandler = { exits.push($0.terminationStatus) }
                try supervisor.run()
                defer { if supervisor.isRunning { kill(supervisor.processIdentifier, SIGKILL) } }

                let startTimeout = try #require(unit.value("Service", "TimeoutStartSec").flatMap(SystemdUnit.seconds))
                let ready = try await listener.waitFor("READY=1", timeout: .seconds(startTimeout))
                // STATUS says where the API listens; at READY it answers, with the key from the environment file.
                let status = try #require(ready.message.split(separator: "\n").first { $0.hasPrefix("STATUS=API listening on 127.0.0.1:") })
                let port = try #require(Int(status.split(separator: ":").last ?? ""))
                let api = APIClient(port: port, apiKey: apiKey)
                #expect(try await api.request("GET", "/api/tenants").status == 200)
                #expect(try await TestDatabase.scalar(databaseURL, "SELECT count(*) FROM schema_migrations") > 0)

                // Pings every 200 ms (half of WATCHDOG_USEC, as SystemdNotifierTests checks): they keep coming.
                for _ in 1...3 { _ = try await listener.waitFor("WATCHDOG=1", timeout: .seconds(60)) }

                // systemctl stop: SIGTERM to the main process (KillMode=mixed).
                #expect(unit.value("Service", "KillSignal") == "SIGTERM")
                kill(supervisor.processIdentifier, SIGTERM)
                _ = try await listener.waitFor("STOPPING=1", timeout: .seconds(60))
                let stopTimeout = try #require(unit.value("Service", "TimeoutStopSec").flatMap(SystemdUnit.seconds))
                #expect(try await exits.next(timeout: .seconds(stopTimeout)) == 0)
            }
        }
    }
}
