#ifndef TENANTSYNC_CREADDIRGUARD_H
#define TENANTSYNC_CREADDIRGUARD_H

/// Whether `readdir` and `readdir64` in this process are the guarded ones defined here.
///
/// Foundation's `Process.run()` on Linux lists `/proc/self/fd` with `readdir` and copies each entry
/// whole (`struct dirent`, 280 bytes) although the C library hands out records only as long as
/// their names (`d_reclen`). With a few thousand descriptors open the listing fills the library's
/// buffer, the copy of its last records reads past the buffer's end, and the supervisor dies of
/// SIGSEGV when the memory there is not mapped: seen starting 2,000 workers, about one spawn in
/// several thousand. Fixed in later Foundation releases, not in the one this is built with.
///
/// The guard defines both symbols in the executable, so every caller outside the C library gets
/// them: each calls the C library's own and returns the entry copied into full-size storage of the
/// calling thread, one slot per directory stream (up to 8 streams read at once per thread), so a
/// whole-struct copy never reads beyond memory that belongs to it.
/// Returns 1 when the guard is in effect, 0 when another definition was bound first.
int tenantsync_readdir_guard_active(void);

#endif
