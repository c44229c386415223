/// The cap on one stored line (``LogSettings/maxLineBytes``): what is left of a longer line.
enum LogLineCap {
    /// `text` cut to at most `limit` bytes on a character boundary, with a marker saying how much went.
    static func cut(_ text: String, to limit: Int) -> String {
        let bytes = Array(text.utf8)
        var end = limit
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self) + " … [line cut: \(bytes.count - end) more bytes over the \(limit / 1024) KiB cap]"
    }
}
