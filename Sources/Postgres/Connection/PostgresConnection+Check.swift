import CPostgres

extension PostgresConnection {
    /// The one place a libpq result becomes either a handle or a ``PostgresError``.
    ///
    /// `failure` is the code for a statement error; when the connection itself broke the code is
    /// ``PostgresError/Code/connectionLost`` instead. A result left in a COPY state (a `COPY` run through
    /// `query` or `execute`) is ended first so the connection stays usable.
    func check(
        _ raw: OpaquePointer?,
        failure: PostgresError.Code,
        accepting accepted: [ExecStatusType] = [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY]
    ) throws(PostgresError) -> ResultHandle {
        guard let raw else {
            // libpq returns no result only when it could not send the statement or ran out of memory.
            throw PostgresError(code: isConnected ? failure : .connectionLost, message: lastErrorMessage)
        }
        return try check(ResultHandle(raw), failure: failure, accepting: accepted)
    }

    /// ``check(_:failure:accepting:)`` for a result already owned by a handle.
    func check(
        _ result: ResultHandle,
        failure: PostgresError.Code,
        accepting accepted: [ExecStatusType] = [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY]
    ) throws(PostgresError) -> ResultHandle {
        let status = result.status
        if accepted.contains(status) {
            return result
        }
        switch status {
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy(status)
            throw PostgresError(code: failure, message: "COPY is only supported through copyFromStdin(_:rows:)")
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw error(from: result, failure: failure)
        default:
            throw PostgresError(
                code: failure,
                message: "unexpected result status \(String(cString: PQresStatus(status)))"
            )
        }
    }

    /// The error a failed result describes: SQLSTATE, the trimmed and scrubbed message, and whether the connection is gone.
    private func error(from result: ResultHandle, failure: PostgresError.Code) -> PostgresError {
        let sqlState = PQresultErrorField(result.pointer, cpostgres_diag_sqlstate()).map { String(cString: $0) }
        var message = String(cString: PQresultErrorMessage(result.pointer)).trimmingWhitespace()
        if message.isEmpty {
            message = lastErrorMessage
        }
        return PostgresError(
            code: isConnected ? failure : .connectionLost,
            sqlState: sqlState,
            message: redactor.scrub(message)
        )
    }

    /// Ends a COPY nobody asked for and reads its results, so the connection is idle again.
    private func abandonCopy(_ status: ExecStatusType) {
        let pointer = handle.pointer
        if status == PGRES_COPY_IN || status == PGRES_COPY_BOTH {
            _ = PQputCopyEnd(pointer, "COPY is not supported here")
        }
        if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(pointer, &buffer, 0) > 0 {
                PQfreemem(buffer)
                buffer = nil
            }
        }
        drainResults()
    }

    /// Reads and clears results until libpq has none left, returning the first.
    @discardableResult
    func drainResults() -> ResultHandle? {
        var first: ResultHandle?
        // Bounded: a connection stuck in a COPY state would return the same status forever.
        for _ in 0..<1_000 {
            guard let raw = PQgetResult(handle.pointer) else {
                break
            }
            let result = ResultHandle(raw)
            if first == nil {
                first = result
            }
            if [PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH].contains(result.status) {
                break
            }
        }
        return first
    }
}
