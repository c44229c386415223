import Foundation
@testable import SupervisorCore
import Support
import Testing

/// Foundation's `Process.run()` lists `/proc/self/fd` and copies each entry whole; with thousands of
/// descriptors open that copy read past the C library's buffer and killed the supervisor now and then
/// (SIGSEGV in `findMaximumOpenFromProcSelfFD`, seen at the third start of 2,000 workers).
@Suite("Directory reads with thousands of descriptors open")
struct ReaddirGuardTests {
    @Test("readdir and readdir64 resolve to the guarded definitions in this process")
    func guardIsInEffect() {
        #expect(DirectoryReadGuard.isActive)
    }

    @Test("/proc/self/fd lists every descriptor once, and an entry outlives reads of another stream")
    func listsEveryDescriptor() throws {
        try Self.withManyDescriptors { descriptors in
            let listing = try #require(opendir("/proc/self/fd"))
            defer { closedir(listing) }
            let other = try #require(opendir("/proc/self"))
            defer { closedir(other) }
            var seen: [Int32] = []
            var otherNames = 0
            while let entry = readdir(listing) {
                // A whole-struct copy, as Foundation makes: the guard gives it full-size storage.
                let name = Self.name(of: entry.pointee)
                if readdir(other) != nil { otherNames += 1 }
                // POSIX: reading another stream leaves this stream's entry as it was.
                #expect(Self.name(of: entry.pointee) == name)
                if let descriptor = Int32(name) { seen.append(descriptor) }
            }
            #expect(otherNames > 0)
            #expect(Set(descriptors).isSubset(of: Set(seen)))
            #expect(seen.count == Set(seen).count, "no descriptor listed twice")
        }
    }

    @Test("Process.run() starts children while thousands of descriptors are open")
    func spawnsWithManyDescriptors() async throws {
        try await offPool {
            try Self.withManyDescriptors { _ in
                for _ in 0..<100 {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/true")
                    try process.run()
                    process.waitUntilExit()
                    #expect(process.terminationStatus == 0)
                }
            }
        }
    }

    /// Opens up to 3,000 pipes (6,000 descriptors, fewer when the limit is lower), runs `body` with
    /// them, and closes them.
    static func withManyDescriptors(_ body: ([Int32]) throws -> Void) throws {
        let limit = OpenFileLimit.raiseToHardLimit()
        let pipes = min(3_000, Int(limit / 2) - 500)
        try #require(pipes >= 1_000, "the open file limit (\(limit)) is too low for this test")
        var descriptors: [Int32] = []
        defer { for descriptor in descriptors { close(descriptor) } }
        for _ in 0..<pipes {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { break }
            descriptors += ends
        }
        try #require(descriptors.count >= 2_000, "could open only \(descriptors.count) descriptors")
        try body(descriptors)
    }

    static func name(of entry: dirent) -> String {
        var entry = entry
        return withUnsafePointer(to: &entry.d_name) { pointer in
            pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
    }
}
