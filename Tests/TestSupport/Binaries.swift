import Foundation

/// Paths of the package's executables, built beside the test bundle.
public enum Binaries {
    /// The directory holding the built products (`.build/debug` or `.build/release`).
    public static var productsDirectory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The path of a built executable, failing clearly if it is missing.
    public static func path(of name: String) throws -> String {
        let path = productsDirectory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError("\(name) not found at \(path): build with `swift build --build-tests` first")
        }
        return path
    }
}
