import CProcessControl
import Foundation
import IPC
import Logging

/// What every worker executable does around ``WorkerRuntime``: the shipped `tenantsync-worker` calls
/// these two functions and nothing else.
public enum WorkerLauncher {
    /// Ignores SIGPIPE (a write to a closed pipe fails instead of killing the worker) and makes the
    /// worker die with its supervisor.
    ///
    /// The supervisor passes its pid in `TENANTSYNC_SUPERVISOR_PID`; the kernel sends SIGTERM when the
    /// parent goes, even if it was SIGKILLed. If the parent is already gone by the time the signal is
    /// armed (the fork/prctl race), the worker has been re-parented and exits at once.
    public static func prepareProcess(environment: [String: String] = ProcessInfo.processInfo.environment) {
        signal(SIGPIPE, SIG_IGN)
        guard let expected = environment["TENANTSYNC_SUPERVISOR_PID"].flatMap(Int32.init) else { return }
        _ = tenantsync_set_parent_death_signal(SIGTERM)
        if getppid() != expected {
            exit(WorkerExitCode.failure)
        }
    }

    /// Runs the worker over `input` and `writer` until shutdown, end of input or a permanent failure;
    /// returns the process exit status. Logs go to the supervisor as `log` messages, at
    /// `TENANTSYNC_WORKER_LOG_LEVEL` (default `info`).
    public static func run(
        input: Int32 = STDIN_FILENO,
        writer: LineWriter = LineWriter(fileDescriptor: STDOUT_FILENO),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Int32 {
        let level = environment["TENANTSYNC_WORKER_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let runtime = WorkerRuntime(input: input, writer: writer) { masker in
            Logger(label: "tenantsync.worker") { _ in IPCLogHandler(writer: writer, secrets: masker, level: level) }
        }
        return runtime.run()
    }
}
