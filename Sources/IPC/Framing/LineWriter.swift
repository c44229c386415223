#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Writes whole lines to a file descriptor, one writer at a time, never interleaving two lines.
public final class LineWriter: Sendable {
    private let fileDescriptor: Int32
    private let lock = Mutex<Bool>(true)

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Writes `bytes` completely; returns `false` once the other end is gone.
    @discardableResult
    public func write(_ bytes: [UInt8]) -> Bool {
        lock.withLock { open in
            guard open else { return false }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { buffer in
                    #if canImport(Glibc)
                    Glibc.write(fileDescriptor, buffer.baseAddress! + offset, bytes.count - offset)
                    #else
                    Darwin.write(fileDescriptor, buffer.baseAddress! + offset, bytes.count - offset)
                    #endif
                }
                if written > 0 {
                    offset += written
                } else if written < 0 && (errno == EINTR || errno == EAGAIN) {
                    continue
                } else {
                    open = false
                    return false
                }
            }
            return true
        }
    }

    /// Closes the descriptor; later writes return `false` instead of touching a reused descriptor.
    public func close() {
        lock.withLock { open in
            guard open else { return }
            open = false
            #if canImport(Glibc)
            _ = Glibc.close(fileDescriptor)
            #else
            _ = Darwin.close(fileDescriptor)
            #endif
        }
    }

    /// Encodes and writes one message as a line.
    @discardableResult
    public func send(_ message: some Encodable, codec: MessageCodec = MessageCodec()) -> Bool {
        write(codec.encodeLine(message))
    }
}
