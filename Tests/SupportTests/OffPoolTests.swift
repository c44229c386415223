import Foundation
import Testing
import Support

@Suite("offPool")
struct OffPoolTests {
    struct Refused: Error, Equatable {}

    @Test("runs on a named thread of its own and returns what the body returns")
    func runsOnItsOwnThread() async {
        let name = await offPool(name: "offpool-test") { Thread.current.name }
        #expect(name == "offpool-test")
    }

    @Test("rethrows the body's error with its type")
    func rethrowsTyped() async {
        await #expect(throws: Refused()) {
            try await offPool { () throws(Refused) -> Int in throw Refused() }
        }
    }
}
