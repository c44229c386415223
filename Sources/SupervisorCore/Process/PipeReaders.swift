import Foundation
import IPC
import NIOCore
import NIOPosix

/// Reads every worker's stdout and stderr on one event-loop thread (epoll, through SwiftNIO's
/// `NIOPipeBootstrap`), however many workers there are.
///
/// Each pipe gets the same guarantees a blocking reader thread gave it: every line framed by a
/// ``LineFramer``, none lost, an oversized line an event. Lines are delivered on the loop's thread, in
/// the pipe's order. The loop never waits: a line the supervisor cannot take yet (its log's disk writer
/// is full) stops the reading of that pipe alone until there is room (``PipeLineHandler``), so a tenant
/// that writes faster than its lines are stored is slowed through its own pipe (the kernel's buffer
/// fills and its writes block) rather than queued in the supervisor's memory, and the other workers'
/// pipes are read on. The loop takes a few reads from each ready pipe in turn, so a flooding worker
/// shares the thread with the others instead of starving them.
final class PipeReaders: Sendable {
    /// The readers every worker's pipes share.
    static let shared = PipeReaders()

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private init() {}

    /// Reads `descriptor` until end of file; it is owned from here on and closed at its end.
    ///
    /// `handler` gets every event, ending with ``LineReader/Event/endOfFile``, but the compact `log`
    /// lines `compactLines` takes when given (the thread fallback hands those to `handler` too); an event it refuses
    /// (`false`) is offered again, with the ones after it, once `whenRoom` calls back. Should the loop
    /// refuse the descriptor, a reader thread of its own reads it instead: a pipe is never left unread.
    func read(
        descriptor: CInt, maximumLineLength: Int, name: String,
        handler: @escaping PipeLineHandler.Deliver, compactLines: PipeLineHandler.DeliverCompactLines? = nil,
        whenRoom: @escaping PipeLineHandler.WhenRoom
    ) {
        let registered = NIOPipeBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        PipeLineHandler(
                            maximumLineLength: maximumLineLength, deliver: handler, deliverCompactLines: compactLines, whenRoom: whenRoom
                        ))
                }
            }
            .takingOwnershipOfDescriptor(input: descriptor)
        do {
            _ = try registered.wait()
        } catch {
            LineReader(fileDescriptor: descriptor, maximumLineLength: maximumLineLength, name: name).start { event in
                // A thread of its own may wait for room.
                while !handler(event) {
                    let room = DispatchSemaphore(value: 0)
                    whenRoom { room.signal() }
                    room.wait()
                }
                if case .endOfFile = event { close(descriptor) }
            }
        }
    }
}
