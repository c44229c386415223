import CProcessControl
import Foundation
import IPC
import Logging
import SyncEngine

/// `tenantsync-worker`: syncs one tenant, driven by the supervisor over stdin/stdout.
///
/// Not meant to be started by hand: the supervisor spawns it and speaks line-delimited JSON
/// (see docs/ipc.md). stdout carries protocol lines only; logs travel as `log` messages.
@main
enum TenantWorkerMain {
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        if CommandLine.arguments.dropFirst().first == "fetch-benchmark" {
            exit(FetchBenchmarkCommand.run(Array(CommandLine.arguments.dropFirst(2))))
        }
        exitWithParent()
        // Test builds of supervision may ask for a misbehaving worker; see WorkerFaultInjector.
        let fault = WorkerFaultInjector.fromEnvironment()
        let (input, writer) = fault?.install() ?? (STDIN_FILENO, LineWriter(fileDescriptor: STDOUT_FILENO))
        let level = ProcessInfo.processInfo.environment["TENANTSYNC_WORKER_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let runtime = WorkerRuntime(input: input, writer: writer) { masker in
            Logger(label: "tenantsync.worker") { _ in IPCLogHandler(writer: writer, secrets: masker, level: level) }
        }
        let status = runtime.run()
        fault?.finish(writer)
        exit(status)
    }

    /// Dies with the supervisor even if it is SIGKILLed: the kernel sends SIGTERM when the parent goes.
    ///
    /// The supervisor passes its pid; if it is already gone by the time the signal is armed
    /// (the fork/prctl race), the worker has been re-parented and exits at once.
    static func exitWithParent() {
        guard let expected = ProcessInfo.processInfo.environment["TENANTSYNC_SUPERVISOR_PID"].flatMap(Int32.init) else { return }
        _ = tenantsync_set_parent_death_signal(SIGTERM)
        if getppid() != expected {
            exit(WorkerExitCode.failure)
        }
    }
}
