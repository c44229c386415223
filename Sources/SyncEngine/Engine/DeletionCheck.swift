import Postgres

/// How a pass over every record confirms, before marking a row deleted, that the upstream no longer
/// lists it.
///
/// A listing read page by page shifts when records on pages already read vanish (trashed or deleted
/// while the pass runs): records at page boundaries then move to pages already read and are never
/// seen. Not seeing a record therefore proves nothing. At the end of the pass, the keys of live rows
/// the pass did not see are looked up upstream by id; those still listed are written like any other
/// page (and so count as seen), and only the rest are marked deleted.
struct DeletionCheck<Payload> {
    /// Records the upstream lists that the pass never saw (a shifted listing hides some), as pages
    /// to write; `[]` when the pass has no reason to think it missed any. `seen` reads the keys the
    /// pass recorded, only when called.
    var overlooked: (_ seen: () throws(SyncError) -> Set<String>) throws(SyncError) -> [FetchedPage<Payload>] = { _ in [] }
    /// Keys of the tenant's live rows that are neither among the keys the pass recorded
    /// (`sync_pass_keys`) nor in `alsoSeen`; compared inside PostgreSQL, so a pass over 100,000
    /// records does not read its keys back and send them again.
    let unseen: (_ alsoSeen: [String], _ connection: PostgresConnection) throws(SyncError) -> [String]
    /// Looks `keys` up upstream and returns the records still listed, as pages to write.
    let lookUp: (_ keys: [String]) throws(SyncError) -> [FetchedPage<Payload>]
    /// Marks the tenant's live rows whose key the pass did not record (`sync_pass_keys`, what the
    /// confirmation found included) deleted; returns how many.
    let softDelete: (_ connection: PostgresConnection) throws(SyncError) -> Int
}
