import CPostgres

/// Owns a `PGconn` and finishes it exactly once, including when connecting failed.
final class ConnectionHandle {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        PQfinish(pointer)
    }
}
