import CPostgres

/// Owns a `PGresult` and clears it when the last Swift reference goes away.
final class ResultHandle {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        PQclear(pointer)
    }

    var status: ExecStatusType { PQresultStatus(pointer) }

    /// The command tag: `INSERT 0 3`, `COMMIT`, or `ROLLBACK` when COMMIT ended a failed transaction.
    var commandStatus: String { String(cString: PQcmdStatus(pointer)) }
}
