#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open descriptors, raised for a supervisor of many workers.
///
/// The supervisor holds three descriptors per worker (its stdin, stdout and stderr pipes) besides its
/// database connections and API sockets. The usual soft limit of 1,024 stops it near 300 tenants; the
/// hard limit, which an unprivileged process may raise its soft limit to, is usually far higher.
enum OpenFileLimit {
    /// Raises the soft limit to the hard one and returns the limit now in force.
    @discardableResult
    static func raiseToHardLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Self.resource, &raised) == 0 { return UInt64(raised.rlim_cur) }
        }
        return UInt64(limit.rlim_cur)
    }

    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(UInt32(RLIMIT_NOFILE.rawValue))
    #else
    private static let resource = RLIMIT_NOFILE
    #endif
}
