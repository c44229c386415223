import Dispatch
import Testing
import Support

@Suite("offPool")
struct OffPoolTests {
    struct Refused: Error, Equatable {}

    @Test("each call has a thread of its own: two bodies that wait for each other both finish")
    func threadPerCall() async {
        let first = DispatchSemaphore(value: 0)
        let second = DispatchSemaphore(value: 0)
        async let one = offPool(name: "offpool-one") { () -> Bool in
            first.signal()
            return second.wait(timeout: .now() + 10) == .success
        }
        async let two = offPool(name: "offpool-two") { () -> Bool in
            second.signal()
            return first.wait(timeout: .now() + 10) == .success
        }
        #expect(await [one, two] == [true, true])
    }

    @Test("returns what the body returns, and rethrows its error with its type")
    func results() async {
        #expect(await offPool { 6 * 7 } == 42)
        await #expect(throws: Refused()) {
            try await offPool { () throws(Refused) -> Int in throw Refused() }
        }
    }
}
