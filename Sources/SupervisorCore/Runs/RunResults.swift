import IPC

/// The `results` of a run or of one tenant's part: in the callback, in `background=false` answers
/// and in `tenant_completed`/`completed` events.
///
/// Flat counts the automation scenarios already read (`total_fetched`, `total_processed` = new +
/// updated + unchanged, `new`, `updated`, `unchanged`), plus `deleted` and `rejected`, plus
/// `new_<stream>` and `updated_<stream>` for every stream synced (an estimates run has exactly
/// `new_estimates` and `updated_estimates`), and `units`: for each of those streams, what one count
/// is (for MotoPress reservations, reservation lines, one per reserved accommodation of a booking).
/// Totals add up every stream.
struct RunResults: Codable, Sendable, Equatable {
    /// Every count by key: `new`, `updated`, …, `new_<stream>`, `updated_<stream>`.
    private(set) var counts: [String: Int] = [:]
    /// What one count of each stream is.
    private(set) var units: [String: String] = [:]

    init(_ streams: [StreamResult]) {
        var total = StreamCounts()
        for stream in streams {
            total.add(stream.counts)
            counts["new_\(stream.stream)", default: 0] += stream.counts.created
            counts["updated_\(stream.stream)", default: 0] += stream.counts.updated
            units[stream.stream] = StreamUnits.unit(of: stream.stream)
        }
        counts["total_fetched"] = total.fetched
        counts["total_processed"] = total.created + total.updated + total.unchanged
        counts["new"] = total.created
        counts["updated"] = total.updated
        counts["unchanged"] = total.unchanged
        counts["deleted"] = total.deleted
        counts["rejected"] = total.rejected
    }

    subscript(key: String) -> Int? { counts[key] }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in counts { try container.encode(value, forKey: Key(key)) }
        try container.encode(units, forKey: Key("units"))
    }

    /// Reads results as ``encode(to:)`` writes them: every key but `units` is a count.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys where key.stringValue != "units" {
            counts[key.stringValue] = try container.decode(Int.self, forKey: key)
        }
        units = try container.decodeIfPresent([String: String].self, forKey: Key("units")) ?? [:]
    }
}
