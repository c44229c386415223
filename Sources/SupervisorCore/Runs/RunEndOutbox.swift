import Postgres

/// Where a run's end is announced, in the transaction that records it.
///
/// Runs know only this: the callback webhooks (``WebhookOutbox``) implement it, so the arrow goes
/// from Webhooks to Runs and never back.
protocol RunEndOutbox: Sendable {
    /// Writes what announces `run`'s end, inside the transaction of `connection`.
    func enqueue(_ run: RunSnapshot, connection: PostgresConnection) throws
}
