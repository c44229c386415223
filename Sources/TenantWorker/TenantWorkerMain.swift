import Foundation
import SyncEngine

/// `tenantsync-worker`: syncs one tenant, driven by the supervisor over stdin/stdout.
///
/// Not meant to be started by hand: the supervisor spawns it and speaks line-delimited JSON
/// (see docs/ipc.md). stdout carries protocol lines only; logs travel as `log` messages.
@main
enum TenantWorkerMain {
    static func main() {
        WorkerLauncher.prepareProcess()
        exit(WorkerLauncher.run())
    }
}
