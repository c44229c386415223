import IPC
import NIOCore

/// Frames the bytes of one worker pipe into lines on its event loop and hands each to the
/// supervisor as it completes; the end of the pipe is the last event.
final class PipeLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var framer: LineFramer
    private let deliver: @Sendable (LineReader.Event) -> Void
    private var ended = false

    init(maximumLineLength: Int, deliver: @escaping @Sendable (LineReader.Event) -> Void) {
        self.framer = LineFramer(maximumLineLength: maximumLineLength)
        self.deliver = deliver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let chunk = unwrapInboundIn(data)
        let events = chunk.withUnsafeReadableBytes { framer.append($0) }
        forward(events)
    }

    func channelInactive(context: ChannelHandlerContext) {
        end()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A read error ends the pipe as end of file would: what was framed is delivered, then the end.
        context.close(promise: nil)
    }

    private func end() {
        guard !ended else { return }
        ended = true
        forward(framer.finish())
        deliver(.endOfFile)
    }

    private func forward(_ events: [LineFramer.Event]) {
        for event in events {
            switch event {
            case .line(let line): deliver(.line(line))
            case .oversized(let length): deliver(.oversized(length: length))
            }
        }
    }
}
