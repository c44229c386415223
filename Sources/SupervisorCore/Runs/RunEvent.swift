/// One Server-Sent Event of a run: `progress`, `tenant_completed`, `error` or `completed`.
public struct RunEvent: Sendable, Equatable {
    /// Increases by one per event within a run, starting at 1; `Last-Event-ID` refers to it.
    public var id: Int
    public var name: String
    /// The event's JSON object.
    public var data: String

    /// The event in `text/event-stream` framing.
    var serverSentEvent: String {
        "id: \(id)\nevent: \(name)\ndata: \(data)\n\n"
    }

    static let finalNames: Set<String> = ["completed"]
}
