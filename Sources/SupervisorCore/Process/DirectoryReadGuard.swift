import CReaddirGuard

/// Whether this process reads directories through the guard that keeps Foundation's `Process.run()`
/// from reading past the C library's buffer when thousands of descriptors are open.
///
/// The guard is C (`CReaddirGuard`): it defines `readdir` in the executable, so it is in effect
/// as soon as the supervisor is linked with it. The supervisor checks at start and warns when another
/// definition won, since it would then die of SIGSEGV now and then while starting thousands of workers.
enum DirectoryReadGuard {
    /// `true` when `readdir` and `readdir64` resolve to the guarded definitions.
    static var isActive: Bool {
        tenantsync_readdir_guard_active() == 1
    }
}
