#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls `body` with a C array of C strings (`nil` entries stay NULL), followed by a NULL terminator.
///
/// The strings are copied so they stay valid for the whole call, which Swift's implicit
/// `String`-to-pointer bridging does not promise for arrays.
func withCStringArray<R>(
    _ strings: [String?],
    _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
) -> R {
    let copies = strings.map { $0.flatMap { strdup($0) } }
    defer {
        for copy in copies {
            free(copy)
        }
    }
    let pointers = copies.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
