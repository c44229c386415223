import CPostgres

extension PostgresConnection {
    /// Streams rows into `COPY table (columns) FROM STDIN` in text format and returns how many were copied.
    ///
    /// `sql` must be a `COPY ... FROM STDIN` statement in the default text format (no `CSV`/`BINARY`);
    /// each row must have one value per listed column. Values are escaped here, so any text is safe.
    /// Data goes to the server in ~64 KiB chunks; the copy is one statement, so a failure copies nothing.
    /// - Throws: ``PostgresError/Code/copyFailed`` with the server's SQLSTATE (a bad value, a constraint),
    ///   or ``PostgresError/Code/connectionLost``.
    @discardableResult
    public func copyFromStdin(_ sql: String, rows: some Sequence<[PostgresValue]>) throws(PostgresError) -> Int {
        try Self.rejectNUL(in: sql)
        let pointer = handle.pointer
        _ = try check(PQexec(pointer, sql), failure: .copyFailed, accepting: [PGRES_COPY_IN])
        let send: (UnsafeBufferPointer<UInt8>) -> Bool = { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(pointer, chars.baseAddress, Int32(chars.count)) == 1
            }
        }

        var encoder = CopyEncoder()
        var encodingError: PostgresError?
        var sent = true
        for row in rows {
            do throws(PostgresError) {
                try encoder.append(row)
            } catch {
                encodingError = error
                break
            }
            if encoder.buffer.count >= CopyEncoder.chunkSize {
                sent = encoder.flush(send)
                if !sent {
                    break
                }
            }
        }
        if sent, encodingError == nil {
            sent = encoder.flush(send)
        }

        // An error message makes the server abort the COPY, so nothing of a half-encoded batch is kept.
        let ended = PQputCopyEnd(pointer, encodingError.map { $0.message }) == 1
        let first = drainResults()
        if let encodingError {
            throw encodingError
        }
        guard let first else {
            throw PostgresError(code: isConnected ? .copyFailed : .connectionLost, message: lastErrorMessage)
        }
        let result = try check(first, failure: .copyFailed, accepting: [PGRES_COMMAND_OK])
        guard sent, ended else {
            throw PostgresError(code: isConnected ? .copyFailed : .connectionLost, message: lastErrorMessage)
        }
        return Int(String(cString: PQcmdTuples(result.pointer))) ?? encoder.rowCount
    }
}
