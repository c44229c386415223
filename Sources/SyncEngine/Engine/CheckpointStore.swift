import Postgres

/// One pass over a stream: where it starts, what it covers, and the high-water mark it will record.
struct StreamPass: Sendable {
    /// When the pass started (database clock, UTC, RFC 3339). Recorded as the stream's high-water
    /// mark once the pass completes, so changes made upstream while it ran are fetched next time.
    var mark: String
    /// Lower bound of an incremental pass (the previous pass's mark); `nil` for a pass over everything.
    var since: String?
    /// The page to fetch first: 1, or the page after the last one committed by an interrupted run.
    var firstPage: Int
    /// Whether this pass continues one that an earlier run started and did not finish.
    var resumed: Bool
    /// Whether every page committed so far recorded its keys in `sync_pass_keys`. False only for an
    /// interrupted pass begun before keys were recorded, whose earlier pages are unknown.
    var keysRecorded = true

    /// Whether the pass sees every upstream record, so rows it never saw were deleted upstream.
    /// A resumed pass knows what earlier pages held from `sync_pass_keys`.
    var detectsDeletions: Bool { since == nil && keysRecorded }
}

/// Per-stream checkpoints in `sync_checkpoints`, always written in the transaction of the page they cover.
struct CheckpointStore {
    let tenantID: String
    let runID: String

    /// Starts a pass: resumes an interrupted one when it covers at least what is asked, else begins anew.
    ///
    /// - Parameters:
    ///   - full: a full scan was asked for; an interrupted incremental pass is not resumed then.
    ///   - incremental: the stream can fetch only records changed since a mark.
    ///   - fullEvery: seconds after which an incremental stream's next pass is a full one again
    ///     (changes no incremental query can see, such as edits of post meta, are caught then);
    ///     `nil` never forces one.
    func begin(stream: String, full: Bool, incremental: Bool, fullEvery: Int? = nil, on connection: PostgresConnection) throws(SyncError) -> StreamPass {
        let utc = #"YYYY-MM-DD"T"HH24:MI:SS.US"Z""#
        do {
            let row = try connection.query("""
                SELECT to_char(now() AT TIME ZONE 'UTC', '\(utc)') AS now,
                       to_char(completed_mark AT TIME ZONE 'UTC', '\(utc)') AS completed_mark,
                       to_char(pass_mark AT TIME ZONE 'UTC', '\(utc)') AS pass_mark,
                       to_char(pass_since AT TIME ZONE 'UTC', '\(utc)') AS pass_since,
                       pass_full, pass_next_page, pass_keys_recorded,
                       (full_completed_at IS NULL OR full_completed_at <= now() - make_interval(secs => $3::double precision)) AS full_due
                FROM (SELECT 1) AS one
                LEFT JOIN sync_checkpoints ON tenant_id = $1 AND stream = $2
                """, [.text(tenantID), .text(stream), .text(String(fullEvery ?? Int(Int32.max)))]).rows.first
            func column(_ name: String) -> String? { row?[name] ?? nil }
            let now = column("now") ?? ""
            if let nextPage = column("pass_next_page").flatMap({ Int($0) }), let mark = column("pass_mark") {
                let since = column("pass_since")
                if !full || since == nil {
                    return StreamPass(mark: mark, since: since, firstPage: nextPage, resumed: true,
                                      keysRecorded: column("pass_keys_recorded") == "t")
                }
            }
            let fullDue = fullEvery != nil && column("full_due") == "t"
            let since = (full || !incremental || fullDue) ? nil : column("completed_mark")
            return StreamPass(mark: now, since: since, firstPage: 1, resumed: false)
        } catch {
            throw SyncError.database(error, while: "reading the checkpoint of \(stream)")
        }
    }

    /// Records that every page before `nextPage` of `pass` is stored; call inside the page's transaction.
    ///
    /// - Parameter keysRecorded: every page of the pass so far went through ``recordKeys(stream:page:keys:on:)``.
    func advance(stream: String, pass: StreamPass, nextPage: Int, keysRecorded: Bool, on connection: PostgresConnection) throws(SyncError) {
        do {
            _ = try connection.query("""
                INSERT INTO sync_checkpoints AS c
                    (tenant_id, stream, pass_mark, pass_since, pass_full, pass_next_page, pass_run_id, pass_keys_recorded)
                VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::boolean, $6::integer, $7, $8::boolean)
                ON CONFLICT (tenant_id, stream) DO UPDATE SET
                    pass_mark = excluded.pass_mark, pass_since = excluded.pass_since, pass_full = excluded.pass_full,
                    pass_next_page = excluded.pass_next_page, pass_run_id = excluded.pass_run_id,
                    pass_keys_recorded = excluded.pass_keys_recorded, updated_at = now()
                """, [.text(tenantID), .text(stream), .text(pass.mark), pass.since.map(PostgresValue.text) ?? .null,
                      .text(pass.since == nil ? "true" : "false"), .text(String(nextPage)), .text(runID),
                      .text(keysRecorded ? "true" : "false")])
        } catch {
            throw SyncError.database(error, while: "saving the checkpoint of \(stream)")
        }
    }

    /// Records that `pass` is complete: its mark becomes the stream's high-water mark (and, for a
    /// pass over everything, the time of the last full pass).
    func complete(stream: String, pass: StreamPass, on connection: PostgresConnection) throws(SyncError) {
        do {
            // One statement with the pass's keys' removal: one round trip fewer per stream and run.
            _ = try connection.query("""
                WITH dropped_keys AS (
                    DELETE FROM sync_pass_keys WHERE tenant_id = $1 AND stream = $2
                )
                INSERT INTO sync_checkpoints AS c (tenant_id, stream, completed_mark, full_completed_at)
                VALUES ($1, $2, $3::timestamptz, CASE WHEN $4::boolean THEN $3::timestamptz END)
                ON CONFLICT (tenant_id, stream) DO UPDATE SET
                    completed_mark = excluded.completed_mark,
                    full_completed_at = coalesce(excluded.full_completed_at, c.full_completed_at),
                    pass_mark = NULL, pass_since = NULL, pass_full = NULL,
                    pass_next_page = NULL, pass_run_id = NULL, pass_keys_recorded = NULL, updated_at = now()
                """, [.text(tenantID), .text(stream), .text(pass.mark), .text(pass.since == nil ? "true" : "false")])
        } catch {
            throw SyncError.database(error, while: "completing the checkpoint of \(stream)")
        }
    }

    /// Records the keys of page `page` of the pass in progress; call inside the page's transaction.
    ///
    /// Page 1 starts a pass, so it first drops whatever an abandoned pass of the stream left.
    func recordKeys(stream: String, page: Int, keys: [String], on connection: PostgresConnection) throws(SyncError) {
        do {
            if page == 1 {
                _ = try connection.query("DELETE FROM sync_pass_keys WHERE tenant_id = $1 AND stream = $2", [.text(tenantID), .text(stream)])
            }
            _ = try connection.query("""
                INSERT INTO sync_pass_keys (tenant_id, stream, page, keys) VALUES ($1, $2, $3::integer, $4::text[])
                ON CONFLICT (tenant_id, stream, page) DO UPDATE SET keys = excluded.keys
                """, [.text(tenantID), .text(stream), .text(String(page)), .textArray(keys)])
        } catch {
            throw SyncError.database(error, while: "recording the keys of page \(page) of \(stream)")
        }
    }

    /// Every key recorded by the pass in progress, the current page's included once recorded.
    func recordedKeys(stream: String, on connection: PostgresConnection) throws(SyncError) -> [String] {
        do {
            return try connection.query("""
                SELECT DISTINCT unnest(keys) AS key FROM sync_pass_keys WHERE tenant_id = $1 AND stream = $2
                """, [.text(tenantID), .text(stream)]).rows.compactMap { $0["key"] ?? nil }
        } catch {
            throw SyncError.database(error, while: "reading the keys seen by the pass over \(stream)")
        }
    }
}
