/// One tenant's log counters, for status displays.
public struct TenantLogCounters: Codable, Sendable, Equatable {
    /// Lines accepted for this tenant.
    public var lines: UInt64 = 0
    /// Lines followers of this tenant missed because they fell behind (the files have them).
    public var droppedByFollowers: UInt64 = 0
    /// Lines that never reached the files because the disk fell too far behind.
    public var droppedFromFiles: UInt64 = 0
    /// Lines cut at the line cap.
    public var cutLines: UInt64 = 0

    enum CodingKeys: String, CodingKey {
        case lines
        case droppedByFollowers = "dropped_by_followers"
        case droppedFromFiles = "dropped_from_files"
        case cutLines = "cut_lines"
    }
}
