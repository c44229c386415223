/// What a tenant's log line does when the disk writer is ``LogSettings/maxPendingWrites`` records behind.
enum LogDiskFullPolicy {
    /// Stored in memory and for followers, left out of the files (counted, and noted in the file).
    case leaveOutOfFiles
    /// Waits for a place: for a caller on a thread of its own.
    case wait
    /// Not stored at all; the caller offers it again once the writer has room.
    case refuse
}
