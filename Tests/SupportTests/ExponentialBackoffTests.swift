import Support
import Testing

@Suite("ExponentialBackoff: doubling delays up to a maximum")
struct ExponentialBackoffTests {
    @Test("100 ms doubles each time and stays at the maximum once reached")
    func doublesUpToTheMaximum() {
        var backoff = ExponentialBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        let delays = (0..<7).map { _ in backoff.next() }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1), .seconds(1)])
    }

    @Test("an initial delay above the maximum starts at the maximum")
    func initialAboveMaximum() {
        var backoff = ExponentialBackoff(initial: .seconds(10), maximum: .seconds(2))
        #expect(backoff.next() == .seconds(2))
        #expect(backoff.next() == .seconds(2))
    }
}
