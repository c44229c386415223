/// The order in which a connector's streams run: parents before children.
public struct StreamPlan: Sendable {
    /// Streams in a valid run order.
    public let ordered: [StreamDefinition]

    /// Orders `streams` topologically; stable with respect to the declared order among independent streams.
    ///
    /// Throws a configuration error for an unknown parent or a cycle.
    public init(streams: [StreamDefinition]) throws(SyncError) {
        let byName = Dictionary(streams.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for stream in streams {
            for parent in stream.parents where byName[parent] == nil {
                throw SyncError(code: .configuration, message: "stream \(stream.name) names unknown parent \(parent)")
            }
        }
        var ordered: [StreamDefinition] = []
        var placed = Set<String>()
        while ordered.count < streams.count {
            guard let next = streams.first(where: { !placed.contains($0.name) && $0.parents.allSatisfy(placed.contains) }) else {
                let rest = streams.filter { !placed.contains($0.name) }.map(\.name)
                throw SyncError(code: .configuration, message: "streams form a cycle: \(rest.joined(separator: ", "))")
            }
            ordered.append(next)
            placed.insert(next.name)
        }
        self.ordered = ordered
    }
}
