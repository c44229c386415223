import ServiceLifecycle

/// Flushes a ``TenantLogStore``'s files at graceful shutdown (``TenantLogStore/flushAtShutdown``).
struct LogFlushAtShutdown: Service {
    let store: TenantLogStore

    func run() async throws {
        try? await gracefulShutdown()
        store.flush()
    }
}
