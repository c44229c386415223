import Foundation
import IPC
import SyncEngine

/// `tenantsync-worker-testkit`: the worker with the hooks tests and benchmarks need, never shipped.
///
/// Without arguments it is `tenantsync-worker` (the same ``WorkerLauncher``), except that it
/// misbehaves on request (``WorkerFaultInjector``, `TENANTSYNC_WORKER_FAULT`) and can give itself its
/// `hello` (`TENANTSYNC_WORKER_HELLO`) to run under supervisors that do not speak the protocol.
/// `tenantsync-worker-testkit fetch-benchmark …` measures the upstream side alone
/// (``FetchBenchmarkCommand``).
@main
enum WorkerTestKitMain {
    static func main() {
        WorkerLauncher.prepareProcess()
        if CommandLine.arguments.dropFirst().first == "fetch-benchmark" {
            exit(FetchBenchmarkCommand.run(Array(CommandLine.arguments.dropFirst(2))))
        }
        let fault = WorkerFaultInjector.fromEnvironment()
        let (input, writer) = fault?.install() ?? (STDIN_FILENO, LineWriter(fileDescriptor: STDOUT_FILENO))
        let status = WorkerLauncher.run(input: input, writer: writer)
        fault?.finish(writer)
        exit(status)
    }
}
