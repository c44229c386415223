import IPC
import NIOCore

/// Frames the bytes of one worker pipe into lines on its event loop and hands each to the
/// supervisor as it completes; the end of the pipe is the last event.
///
/// The loop never waits. When the supervisor refuses a line (its log's disk writer is full), the
/// handler keeps that line and the ones after it, stops reading this pipe, and asks to be woken when
/// there is room; it then hands them over in order and reads on. Only this worker's pipe fills up
/// meanwhile, and only this worker is slowed.
final class PipeLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Hands one event to the supervisor; `false` refuses it for now.
    typealias Deliver = @Sendable (LineReader.Event) -> Bool
    /// Calls its argument once a refused event may be taken.
    typealias WhenRoom = @Sendable (@escaping @Sendable () -> Void) -> Void

    private var framer: LineFramer
    private let deliver: Deliver
    private let whenRoom: WhenRoom
    /// Events framed but not yet taken, oldest first; `backlogStart` is the first not yet taken.
    private var backlog: [LineReader.Event] = []
    private var backlogStart = 0
    private var waitingForRoom = false
    private var ended = false

    init(maximumLineLength: Int, deliver: @escaping Deliver, whenRoom: @escaping WhenRoom) {
        self.framer = LineFramer(maximumLineLength: maximumLineLength)
        self.deliver = deliver
        self.whenRoom = whenRoom
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let chunk = unwrapInboundIn(data)
        let events = chunk.withUnsafeReadableBytes { framer.append($0) }
        for event in events {
            switch event {
            case .line(let line): backlog.append(.line(line))
            case .oversized(let length): backlog.append(.oversized(length: length))
            }
        }
        handOver(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !ended {
            ended = true
            for event in framer.finish() {
                switch event {
                case .line(let line): backlog.append(.line(line))
                case .oversized(let length): backlog.append(.oversized(length: length))
                }
            }
            backlog.append(.endOfFile)
            handOver(context: context)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A read error ends the pipe as end of file would: what was framed is delivered, then the end.
        context.close(promise: nil)
    }

    /// Hands over the backlog until it is empty or an event is refused.
    private func handOver(context: ChannelHandlerContext) {
        guard !waitingForRoom else { return }
        while backlogStart < backlog.count {
            guard deliver(backlog[backlogStart]) else {
                waitForRoom(context: context)
                return
            }
            backlogStart += 1
        }
        backlog.removeAll(keepingCapacity: true)
        backlogStart = 0
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
