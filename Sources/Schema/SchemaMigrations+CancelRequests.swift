extension SchemaMigrations {
    /// Cancels that reach a run wherever it runs.
    ///
    /// `sync_runs.cancel_requested_at` is set by whichever supervisor is asked to cancel the run, in the
    /// same row lock that decides whether the run has already ended. Every supervisor looks for it on the
    /// runs it owns or runs tenants of, and stops them as if it had been asked itself; a run whose owner
    /// is gone, or is this supervisor without the run in memory, is ended by the supervisor that was asked.
    static let cancelRequests = Migration(version: 10, name: "run_cancel_requests", sql: """
        ALTER TABLE sync_runs ADD COLUMN cancel_requested_at timestamptz;
        CREATE INDEX sync_runs_cancel_requested_idx ON sync_runs (id) WHERE cancel_requested_at IS NOT NULL AND finished_at IS NULL;
        """)
}
