import IPC
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Frames the bytes of one worker pipe into lines on its event loop and hands them to the
/// supervisor as they complete; the end of the pipe is the last event.
///
/// Compact `log` lines (``CompactLogLine``) in a row are handed over together, as ranges of the bytes
/// read, without a copy per line; every other line is handed over on its own. A line longer than the
/// cap is never buffered whole: the handler skips to its newline and reports it once as oversized.
///
/// The loop never waits. When the supervisor refuses a line (its log's disk writer is full), the
/// handler keeps the bytes from that line on, stops reading this pipe, and asks to be woken when
/// there is room; it then hands them over in order and reads on. Only this worker's pipe fills up
/// meanwhile, and only this worker is slowed.
final class PipeLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Hands one event to the supervisor; `false` refuses it for now.
    typealias Deliver = @Sendable (LineReader.Event) -> Bool
    /// Hands compact `log` lines in a row to the supervisor: the bytes read and each line's range in
    /// them, valid only during the call; `false` refuses them all for now.
    typealias DeliverCompactLines = @Sendable (_ bytes: UnsafeRawBufferPointer, _ lines: [Range<Int>]) -> Bool
    /// Calls its argument once a refused event may be taken.
    typealias WhenRoom = @Sendable (@escaping @Sendable () -> Void) -> Void

    private let maximumLineLength: Int
    private let deliver: Deliver
    private let deliverCompactLines: DeliverCompactLines?
    private let whenRoom: WhenRoom
    /// Bytes read and not yet handed over, oldest first.
    private var input: CircularBuffer<ByteBuffer> = []
    /// The start of a line whose newline has not come yet.
    private var partial: [UInt8] = []
    /// While skipping an oversized line: how many of its bytes were seen.
    private var skipped: Int?
    /// Compact lines found in the bytes being framed, not yet handed over.
    private var compactLines: [Range<Int>] = []
    private var waitingForRoom = false
    private var inputEnded = false
    private var ended = false

    /// - Parameter deliverCompactLines: takes compact `log` lines; `nil` hands every line to `deliver`.
    init(
        maximumLineLength: Int, deliver: @escaping Deliver, deliverCompactLines: DeliverCompactLines? = nil,
        whenRoom: @escaping WhenRoom
    ) {
        self.maximumLineLength = maximumLineLength
        self.deliver = deliver
        self.deliverCompactLines = deliverCompactLines
        self.whenRoom = whenRoom
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        input.append(unwrapInboundIn(data))
        handOver(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inputEnded = true
        handOver(context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A read error ends the pipe as end of file would: what was framed is delivered, then the end.
        context.close(promise: nil)
    }

    /// Hands over what was read until all of it is taken or a line is refused.
    private func handOver(context: ChannelHandlerContext) {
        guard !waitingForRoom, !ended else { return }
        while var buffer = input.first {
            let (taken, refused) = buffer.withUnsafeReadableBytes { frame($0) }
            if refused {
                buffer.moveReaderIndex(forwardBy: taken)
                input[input.startIndex] = buffer
                waitForRoom(context: context)
                return
            }
            input.removeFirst()
        }
        guard inputEnded else { return }
        // The end: an unterminated last line is delivered as a line, then the end itself.
        if let length = skipped {
            guard deliver(.oversized(length: length)) else { return waitForRoom(context: context) }
            skipped = nil
        } else if !partial.isEmpty {
            var line = partial
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard deliverLine(line) else { return waitForRoom(context: context) }
            partial = []
        }
        guard deliver(.endOfFile) else { return waitForRoom(context: context) }
        ended = true
    }

    /// Frames `bytes` and hands its lines over; returns how many bytes were taken, and whether a line
    /// was refused (the bytes from that line on are then not taken).
    private func frame(_ bytes: UnsafeRawBufferPointer) -> (taken: Int, refused: Bool) {
        guard let base = bytes.baseAddress else { return (0, false) }
        compactLines.removeAll(keepingCapacity: true)
        var offset = 0
        while offset < bytes.count {
            guard let found = memchr(base + offset, 0x0A, bytes.count - offset) else {
                // The rest is the start of a line whose newline is still to come.
                guard flushCompactLines(bytes) else { return (compactLines.first?.lowerBound ?? offset, true) }
                keepPartial(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                return (bytes.count, false)
            }
            let newline = UnsafeRawPointer(found) - base
            if skipped != nil || !partial.isEmpty {
                // This read completes a line begun in an earlier one (so no compact line is pending).
                if let length = skipped {
                    guard deliver(.oversized(length: length + newline - offset)) else { return (offset, true) }
                    skipped = nil
                } else {
                    var line = partial
                    line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<newline]))
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    // Kept until taken: a refused line is put together again when there is room.
                    guard deliverLine(line) else { return (offset, true) }
                    partial = []
                }
                offset = newline + 1
                continue
            }
            var end = newline
            if end > offset, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let length = end - offset
            if deliverCompactLines != nil, length > 0, length <= maximumLineLength, bytes[offset] == CompactLogLine.marker {
                compactLines.append(offset..<end)
            } else {
                let start = compactLines.first?.lowerBound ?? offset
                guard flushCompactLines(bytes) else { return (start, true) }
                let event: LineReader.Event =
                    length > maximumLineLength ? .oversized(length: length) : .line(Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<end])))
                guard deliver(event) else { return (offset, true) }
            }
            offset = newline + 1
        }
        let start = compactLines.first?.lowerBound ?? offset
        guard flushCompactLines(bytes) else { return (start, true) }
        return (bytes.count, false)
    }

    /// Hands the pending compact lines over; on refusal they stay pending for the caller to report.
    private func flushCompactLines(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !compactLines.isEmpty, let deliverCompactLines else { return true }
        guard deliverCompactLines(bytes, compactLines) else { return false }
        compactLines.removeAll(keepingCapacity: true)
        return true
    }

    /// Hands over one line put together from several reads.
    private func deliverLine(_ line: [UInt8]) -> Bool {
        if line.count > maximumLineLength { return deliver(.oversized(length: line.count)) }
        if let deliverCompactLines, line.first == CompactLogLine.marker {
            return line.withUnsafeBytes { deliverCompactLines($0, [0..<line.count]) }
        }
        return deliver(.line(line))
    }

    /// Keeps the start of an unfinished line, or counts it once it is over the cap.
    private func keepPartial(_ piece: UnsafeRawBufferPointer) {
        if let length = skipped {
            skipped = length + piece.count
        } else if partial.count + piece.count > maximumLineLength + 1 {
            // +1 leaves room for a '\r' that the next read's '\n' would make a terminator.
            skipped = partial.count + piece.count
            partial = []
        } else {
            partial.append(contentsOf: piece)
        }
    }

    private func waitForRoom(context: ChannelHandlerContext) {
        waitingForRoom = true
        if context.channel.isActive {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
        let loop = context.eventLoop
        let resume = NIOLoopBound((self, context), eventLoop: loop)
        whenRoom {
            loop.execute {
                let (handler, context) = resume.value
                handler.waitingForRoom = false
                handler.handOver(context: context)
                if !handler.waitingForRoom, context.channel.isActive {
                    context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
                    context.read()
                }
            }
        }
    }
}
