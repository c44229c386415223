/// Turns a `text/event-stream` body, fed in chunks of any size, into events (the WHATWG
/// Server-Sent Events format: `field: value` lines, a blank line ends an event, `:` starts a comment).
struct ServerSentEventParser {
    struct Event: Equatable {
        var name = "message"
        var data = ""
        var id: String?
    }

    /// The last `id` the stream set; sent back as `Last-Event-ID` on a reconnect.
    private(set) var lastEventID: String?
    /// The reconnection delay the stream asked for with `retry:`, in milliseconds.
    private(set) var retryMilliseconds: Int?

    private var line: [UInt8] = []
    private var current = Event()
    private var hasData = false
    private var skipLineFeed = false

    init(lastEventID: String? = nil) {
        self.lastEventID = lastEventID
    }

    /// The events that `chunk` completes.
    mutating func feed(_ chunk: UnsafeRawBufferPointer) -> [Event] {
        var events: [Event] = []
        for byte in chunk {
            if skipLineFeed {
                skipLineFeed = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                skipLineFeed = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            // A blank line dispatches the event, if it had data.
            defer {
                current = Event()
                hasData = false
            }
            guard hasData else { return nil }
            current.id = lastEventID
            return current
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        var field = text[...]
        var value = ""[...]
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        }
        switch field {
        case "event": current.name = String(value)
        case "data":
            current.data += hasData ? "\n" + value : String(value)
            hasData = true
        case "id": if !value.contains("\0") { lastEventID = String(value) }
        case "retry": if let milliseconds = Int(value) { retryMilliseconds = milliseconds }
        default: break
        }
        return nil
    }
}
