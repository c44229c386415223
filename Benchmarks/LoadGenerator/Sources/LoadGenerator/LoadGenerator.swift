import Foundation
import Glibc
import Histogram
import Synchronization

/// Sends requests at a fixed rate over several keep-alive connections and reports latency
/// percentiles measured from each request's intended send time.
///
/// Request k is due at start + k / rate and goes out on connection k mod N. A connection still
/// waiting for an earlier answer sends late, and that lateness counts in the latency (no
/// coordinated omission): a stall shows as the queue it would build under a real fixed-rate load.
///
///     tenantsync-loadgen --url http://127.0.0.1:8080/api/sync [--method POST] [--rate 1000]
///         [--seconds 10] [--connections 10] [--header 'X-API-KEY: …']…
///
/// Prints one line: `loadgen-result p50_ms=… p90_ms=… p99_ms=… p999_ms=… max_ms=… sent=… rate=…
/// errors=… non2xx=… connections=…`.
@main
struct LoadGenerator {
    static func main() {
        do {
            let options = try Options(CommandLine.arguments.dropFirst())
            let result = run(options)
            if let firstError = result.firstError {
                FileHandle.standardError.write(Data("tenantsync-loadgen: \(result.errors) errors, the first: \(firstError)\n".utf8))
            }
            print(result.line(connections: options.connections))
        } catch {
            FileHandle.standardError.write(Data("tenantsync-loadgen: \(error)\n".utf8))
            exit(2)
        }
    }

    static func run(_ options: Options) -> Outcome {
        let total = Int(options.rate * options.seconds)
        let interval = 1e9 / options.rate
        let request = Array(options.request.utf8)
        let outcomes = Mutex<[Outcome]>([])
        let finished = DispatchSemaphore(value: 0)
        // Every connection is opened before the clock starts, so set-up is not measured.
        let start = Clock.now() + 100_000_000
        // Past this, requests still unsent are counted as errors: a server that stalls for good
        // ends the run instead of holding it.
        let giveUp = start + UInt64((options.seconds * 2 + 30) * 1e9)
        for c in 0..<options.connections {
            let thread = Thread {
                var outcome = Outcome()
                let connection: HTTPConnection
                do {
                    connection = try HTTPConnection(host: options.host, port: options.port)
                    try? connection.connect()
                } catch {
                    outcome.errors = (total - c + options.connections - 1) / options.connections
                    outcomes.withLock { $0.append(outcome) }
                    finished.signal()
                    return
                }
                for k in stride(from: c, to: total, by: options.connections) {
                    let due = start + UInt64(Double(k) * interval)
                    Clock.sleep(until: due)
                    if Clock.now() > giveUp {
                        outcome.errors += 1
                        outcome.firstError = outcome.firstError ?? "not sent: the run overran its time"
                        continue
                    }
                    outcome.sent += 1
                    do {
                        let status = try connection.exchange(request)
                        let end = Clock.now()
                        outcome.histogram.record((end - due) / 1000)
                        outcome.lastEnd = max(outcome.lastEnd, end)
                        if !(200..<300).contains(status) { outcome.non2xx += 1 }
                    } catch {
                        outcome.errors += 1
                        outcome.firstError = outcome.firstError ?? "\(error)"
                        connection.close()
                    }
                }
                outcomes.withLock { $0.append(outcome) }
                finished.signal()
            }
            thread.start()
        }
        for _ in 0..<options.connections { finished.wait() }
        var all = Outcome()
        all.start = start
        for outcome in outcomes.withLock({ $0 }) { all.merge(outcome) }
        return all
    }
}

/// One connection's counts and latencies (microseconds), or all connections' once merged.
struct Outcome: Sendable {
    var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    var sent = 0
    var errors = 0
    var non2xx = 0
    var start: UInt64 = 0
    var lastEnd: UInt64 = 0
    var firstError: String?

    mutating func merge(_ other: Outcome) {
        histogram.add(other.histogram)
        sent += other.sent
        errors += other.errors
        non2xx += other.non2xx
        lastEnd = max(lastEnd, other.lastEnd)
        firstError = firstError ?? other.firstError
    }

    func line(connections: Int) -> String {
        func ms(_ microseconds: UInt64) -> String { String(format: "%.3f", Double(microseconds) / 1000) }
        let answered = histogram.totalCount
        let seconds = lastEnd > start ? Double(lastEnd - start) / 1e9 : 0
        let rate = seconds > 0 ? Double(answered) / seconds : 0
        return "loadgen-result p50_ms=\(ms(histogram.valueAtPercentile(50))) p90_ms=\(ms(histogram.valueAtPercentile(90)))"
            + " p99_ms=\(ms(histogram.valueAtPercentile(99))) p999_ms=\(ms(histogram.valueAtPercentile(99.9)))"
            + " max_ms=\(ms(histogram.max)) sent=\(sent) rate=\(String(format: "%.0f", rate))"
            + " errors=\(errors) non2xx=\(non2xx) connections=\(connections)"
    }
}

enum Clock {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func sleep(until deadline: UInt64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }
}
