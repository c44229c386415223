import CPostgres

extension PostgresConnection {
    /// Runs `body` between `BEGIN` and `COMMIT`, rolling back if it throws.
    ///
    /// Not nestable: calling it inside another transaction does not create a savepoint. If a statement
    /// failed inside `body` and `body` caught that error and returned, the server turns the `COMMIT`
    /// into a rollback; this throws then (SQLSTATE 25P02) rather than reporting success.
    /// A `COMMIT` that fails (a deferred constraint, SQLSTATE 40001) throws its error.
    public func withTransaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        let commit = try executeScript("COMMIT")
        if commit.commandStatus == "ROLLBACK" {
            throw PostgresError(
                code: .queryFailed,
                sqlState: "25P02",
                message: "transaction was rolled back at COMMIT because a statement in it had failed"
            )
        }
        return value
    }

    /// Ends any open transaction, ignoring errors: used on paths that are already reporting one.
    func rollbackQuietly() {
        guard isConnected, transactionStatus == PQTRANS_INTRANS || transactionStatus == PQTRANS_INERROR else {
            return
        }
        _ = try? executeScript("ROLLBACK")
    }
}
