import Synchronization

/// Notices, from `X-WP-Total`, that a listing read page by page may have shifted under the pass.
///
/// When records on pages already read vanish, every later page shifts left and the records at page
/// boundaries slide onto pages already read: the pass never sees them. A vanished record shows as a
/// total lower than one seen earlier in the pass. (A record added while another vanishes leaves the
/// total unchanged; with `orderby=id&order=asc` an added record lands at the end, so the pass sees it,
/// but the shift it hides is caught only by the next full pass.)
final class ListingShiftWatch: Sendable {
    private let totals = Mutex<(highest: Int?, dropped: Bool)>((nil, false))

    /// Records the total one page reported.
    func observe(total: Int?) {
        guard let total else { return }
        totals.withLock { state in
            if let highest = state.highest, total < highest { state.dropped = true }
            state.highest = max(state.highest ?? total, total)
        }
    }

    /// Whether some page reported fewer records than an earlier one.
    var dropped: Bool { totals.withLock { $0.dropped } }
}
