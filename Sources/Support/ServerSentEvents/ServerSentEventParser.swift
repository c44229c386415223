/// Turns a `text/event-stream` body, fed in chunks of any size, into events (the WHATWG
/// Server-Sent Events format: `field: value` lines, a blank line ends an event, `:` starts a comment).
///
/// The `tenantsync logs -f` client and the tests read the API's event streams with it.
public struct ServerSentEventParser: Sendable {
    /// One dispatched event.
    public struct Event: Equatable, Sendable {
        /// The `event:` field; `message` when the event has none.
        public var name: String
        /// The `data:` lines, joined with newlines.
        public var data: String
        /// The stream's last event id when the event was dispatched (ids carry over to later events).
        public var id: String?

        public init(name: String = "message", data: String = "", id: String? = nil) {
            self.name = name
            self.data = data
            self.id = id
        }
    }

    /// The last `id` the stream set; sent back as `Last-Event-ID` on a reconnect.
    public private(set) var lastEventID: String?
    /// The reconnection delay the stream asked for with `retry:`, in milliseconds.
    public private(set) var retryMilliseconds: Int?

    private var line: [UInt8] = []
    private var current = Event()
    private var hasData = false
    private var skipLineFeed = false

    public init(lastEventID: String? = nil) {
        self.lastEventID = lastEventID
    }

    /// The events that `chunk` completes.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> [Event] {
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

    /// The events that `bytes` complete.
    public mutating func feed(_ bytes: [UInt8]) -> [Event] {
        bytes.withUnsafeBytes { feed($0) }
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
