#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a file descriptor line by line on a dedicated thread with blocking reads.
///
/// Foundation's `readabilityHandler` can lose data on Linux, so each pipe gets its own thread
/// that loops on `read(2)` until end of file. Events are delivered on that thread, in order;
/// the handler must not block for long. The descriptor is not closed by the reader.
public final class LineReader: Sendable {
    /// What the reader delivers.
    public enum Event: Sendable {
        /// A complete line, without its terminator.
        case line([UInt8])
        /// A line over the cap was dropped.
        case oversized(length: Int)
        /// The other end closed; no more events follow.
        case endOfFile
    }

    private let fileDescriptor: Int32
    private let maximumLineLength: Int
    private let chunkSize: Int
    private let name: String

    /// Creates a reader; nothing is read until ``start(_:)``.
    public init(
        fileDescriptor: Int32,
        maximumLineLength: Int = LineFramer.defaultMaximumLineLength,
        chunkSize: Int = 64 * 1024,
        name: String = "line-reader"
    ) {
        self.fileDescriptor = fileDescriptor
        self.maximumLineLength = maximumLineLength
        self.chunkSize = chunkSize
        self.name = name
    }

    /// Starts the reading thread; `handler` receives every event, ending with ``Event/endOfFile``.
    public func start(_ handler: @escaping @Sendable (Event) -> Void) {
        let thread = Thread { [fileDescriptor, maximumLineLength, chunkSize] in
            Self.run(fileDescriptor: fileDescriptor, maximumLineLength: maximumLineLength, chunkSize: chunkSize, handler: handler)
        }
        thread.name = name
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// Reads on the calling thread until end of file, or until `handler` returns `false`.
    ///
    /// Events already framed from the last read are dropped once the handler asks to stop.
    public func runBlocking(_ handler: (Event) -> Bool) {
        Self.run(fileDescriptor: fileDescriptor, maximumLineLength: maximumLineLength, chunkSize: chunkSize, handler: handler)
    }

    private static func run(fileDescriptor: Int32, maximumLineLength: Int, chunkSize: Int, handler: (Event) -> Void) {
        run(fileDescriptor: fileDescriptor, maximumLineLength: maximumLineLength, chunkSize: chunkSize) { event -> Bool in
            handler(event)
            return true
        }
    }

    private static func run(fileDescriptor: Int32, maximumLineLength: Int, chunkSize: Int, handler: (Event) -> Bool) {
        var framer = LineFramer(maximumLineLength: maximumLineLength)
        // Left uninitialised: a pipe that only ever carries short lines touches one page of it, not
        // all of it, which matters with two readers per worker and hundreds of workers.
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        func deliver(_ events: [LineFramer.Event]) -> Bool {
            for event in events {
                let keepGoing: Bool
                switch event {
                case .line(let line): keepGoing = handler(.line(line))
                case .oversized(let length): keepGoing = handler(.oversized(length: length))
                }
                if !keepGoing { return false }
            }
            return true
        }
        while true {
            let count = read(fileDescriptor, chunk.baseAddress, chunkSize)
            if count > 0 {
                guard deliver(framer.append(UnsafeRawBufferPointer(rebasing: chunk[0..<count]))) else { return }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        guard deliver(framer.finish()) else { return }
        _ = handler(.endOfFile)
    }
}
