/// The worker's runs: the one in hand with its own cancellation flag, the ones queued behind it,
/// and the `cancel`s that arrived for queued runs before they started.
struct RunSlots {
    var current: (runID: String, flag: CancellationFlag)?
    var queued: Set<String> = []
    var cancelledBeforeStart: [String: String] = [:]
}
