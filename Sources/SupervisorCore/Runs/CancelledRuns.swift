import Support

/// The runs of this supervisor that may still be cancelled, and those asked to cancel.
///
/// A cancel is accepted only while its run is open, and ``seal(_:)`` closes the run in the same
/// critical section that reads whether it was cancelled: a cancel can never be accepted for a run
/// whose outcome has already been decided, nor linger after it.
final class CancelledRuns: Sendable {
    /// What became of a cancel request.
    enum Answer: Sendable, Equatable {
        case accepted
        /// The run is no longer open: its outcome is decided.
        case ended
        /// The run was never opened here.
        case unknown
    }

    private struct State {
        var open: Set<String> = []
        var sealed: Set<String> = []
        var cancelled: Set<String> = []
    }

    private let state = LockedValue(State())

    /// A run started here, which cancels may now reach.
    func open(_ runID: String) {
        _ = state.withLock { $0.open.insert(runID) }
    }

    /// Marks the run cancelled if it is open.
    func request(_ runID: String) -> Answer {
        state.withLock { state in
            if state.sealed.contains(runID) { return .ended }
            guard state.open.contains(runID) else { return .unknown }
            state.cancelled.insert(runID)
            return .accepted
        }
    }

    /// Closes the run to further cancels; returns whether it was cancelled.
    func seal(_ runID: String) -> Bool {
        state.withLock { state in
            state.sealed.insert(runID)
            return state.cancelled.contains(runID)
        }
    }

    func contains(_ runID: String) -> Bool {
        state.withLock { $0.cancelled.contains(runID) }
    }

    /// Whether the run was opened here and is not ended yet.
    func isOpen(_ runID: String) -> Bool {
        state.withLock { $0.open.contains(runID) }
    }

    /// Runs opened here whose outcome is not decided yet.
    var undecided: [String] {
        state.withLock { state in Array(state.open.subtracting(state.sealed)) }
    }

    /// Marks cancelled a run not opened here (another supervisor's, or one this supervisor no longer has
    /// in memory) whose tenants sync here, after its cancel was recorded in its row.
    func cancelNotOpenedHere(_ runID: String) {
        state.withLock { state in
            guard !state.open.contains(runID) else { return }
            state.cancelled.insert(runID)
        }
    }

    /// Forgets a run marked by ``cancelNotOpenedHere(_:)`` once none of its tenants syncs here any more.
    func forgetNotOpenedHere(_ runID: String) {
        state.withLock { state in
            guard !state.open.contains(runID) else { return }
            state.cancelled.remove(runID)
        }
    }

    /// Forgets the run once it has ended.
    func remove(_ runID: String) {
        state.withLock { state in
            state.open.remove(runID)
            state.sealed.remove(runID)
            state.cancelled.remove(runID)
        }
    }
}
