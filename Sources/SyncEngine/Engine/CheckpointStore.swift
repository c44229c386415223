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

    /// Whether the pass sees every upstream record, so rows it never saw were deleted upstream.
    /// A resumed pass does not know what earlier pages held, so it never infers deletions.
    var detectsDeletions: Bool { since == nil && !resumed }
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
    func begin(stream: String, full: Bool, incremental: Bool, on connection: PostgresConnection) throws(SyncError) -> StreamPass {
        let utc = #"YYYY-MM-DD"T"HH24:MI:SS.US"Z""#
        do {
            let row = try connection.query("""
                SELECT to_char(now() AT TIME ZONE 'UTC', '\(utc)') AS now,
                       to_char(completed_mark AT TIME ZONE 'UTC', '\(utc)') AS completed_mark,
                       to_char(pass_mark AT TIME ZONE 'UTC', '\(utc)') AS pass_mark,
                       to_char(pass_since AT TIME ZONE 'UTC', '\(utc)') AS pass_since,
                       pass_full, pass_next_page
                FROM (SELECT 1) AS one
                LEFT JOIN sync_checkpoints ON tenant_id = $1 AND stream = $2
                """, [.text(tenantID), .text(stream)]).rows.first
            func column(_ name: String) -> String? { row?[name] ?? nil }
            let now = column("now") ?? ""
            if let nextPage = column("pass_next_page").flatMap({ Int($0) }), let mark = column("pass_mark") {
                let since = column("pass_since")
                if !full || since == nil {
                    return StreamPass(mark: mark, since: since, firstPage: nextPage, resumed: true)
                }
            }
            let since = (full || !incremental) ? nil : column("completed_mark")
            return StreamPass(mark: now, since: since, firstPage: 1, resumed: false)
        } catch {
            throw SyncError.database(error, while: "reading the checkpoint of \(stream)")
        }
    }

    /// Records that every page before `nextPage` of `pass` is stored; call inside the page's transaction.
    func advance(stream: String, pass: StreamPass, nextPage: Int, on connection: PostgresConnection) throws(SyncError) {
        do {
            _ = try connection.query("""
                INSERT INTO sync_checkpoints AS c (tenant_id, stream, pass_mark, pass_since, pass_full, pass_next_page, pass_run_id)
                VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5::boolean, $6::integer, $7)
                ON CONFLICT (tenant_id, stream) DO UPDATE SET
                    pass_mark = excluded.pass_mark, pass_since = excluded.pass_since, pass_full = excluded.pass_full,
                    pass_next_page = excluded.pass_next_page, pass_run_id = excluded.pass_run_id, updated_at = now()
                """, [.text(tenantID), .text(stream), .text(pass.mark), pass.since.map(PostgresValue.text) ?? .null,
                      .text(pass.since == nil ? "true" : "false"), .text(String(nextPage)), .text(runID)])
        } catch {
            throw SyncError.database(error, while: "saving the checkpoint of \(stream)")
        }
    }

    /// Records that `pass` is complete: its mark becomes the stream's high-water mark.
    func complete(stream: String, pass: StreamPass, on connection: PostgresConnection) throws(SyncError) {
        do {
            _ = try connection.query("""
                INSERT INTO sync_checkpoints AS c (tenant_id, stream, completed_mark)
                VALUES ($1, $2, $3::timestamptz)
                ON CONFLICT (tenant_id, stream) DO UPDATE SET
                    completed_mark = excluded.completed_mark, pass_mark = NULL, pass_since = NULL, pass_full = NULL,
                    pass_next_page = NULL, pass_run_id = NULL, updated_at = now()
                """, [.text(tenantID), .text(stream), .text(pass.mark)])
        } catch {
            throw SyncError.database(error, while: "completing the checkpoint of \(stream)")
        }
    }
}
