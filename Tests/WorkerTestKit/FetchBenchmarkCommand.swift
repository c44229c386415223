import Foundation
import IPC
import SyncEngine

/// `tenantsync-worker-testkit fetch-benchmark --base-url URL --consumer-key K --consumer-secret S [--pages N]
/// [--per-page N] [--concurrency N]`: fetches and parses booking pages with no database and prints
/// one JSON line, `{"bookings":N,"lines":N,"seconds":S,"bookings_per_second":R}`.
enum FetchBenchmarkCommand {
    static let usage = """
        usage: tenantsync-worker-testkit fetch-benchmark --base-url URL --consumer-key KEY --consumer-secret SECRET \\
               [--pages 200] [--per-page 100] [--concurrency 4]
        Fetches and parses MotoPress booking pages as a sync does, without a database, and prints one
        JSON line with the bookings read, the reservation lines built and the seconds taken.
        The secret may also come from the environment variable TENANTSYNC_BENCH_SECRET.
        """

    /// Runs the command; returns the process exit status.
    static func run(_ arguments: [String]) -> Int32 {
        var options: [String: String] = [:]
        var index = 0
        while index < arguments.count {
            let name = arguments[index]
            if name == "--help" || name == "-h" {
                print(usage)
                return 0
            }
            guard name.hasPrefix("--"), index + 1 < arguments.count else {
                FileHandle.standardError.write(Data("fetch-benchmark: unexpected argument \(name)\n\(usage)\n".utf8))
                return WorkerExitCode.permanentFailure
            }
            options[String(name.dropFirst(2))] = arguments[index + 1]
            index += 2
        }
        let secret = options["consumer-secret"] ?? ProcessInfo.processInfo.environment["TENANTSYNC_BENCH_SECRET"]
        guard let baseURL = options["base-url"], let key = options["consumer-key"], let secret else {
            FileHandle.standardError.write(Data("fetch-benchmark: --base-url, --consumer-key and --consumer-secret are required\n\(usage)\n".utf8))
            return WorkerExitCode.permanentFailure
        }
        func number(_ name: String, _ fallback: Int) -> Int? { options[name].map { Int($0) } ?? fallback }
        guard let pages = number("pages", 200), let perPage = number("per-page", 100), let concurrency = number("concurrency", 4),
            pages >= 1, (1...100).contains(perPage), (1...16).contains(concurrency)
        else {
            FileHandle.standardError.write(Data("fetch-benchmark: --pages ≥ 1, --per-page 1…100 and --concurrency 1…16 must be integers\n".utf8))
            return WorkerExitCode.permanentFailure
        }
        let benchmark = FetchBenchmark(
            baseURL: baseURL, consumerKey: key, consumerSecret: secret, pages: pages, perPage: perPage, concurrency: concurrency
        )
        do {
            let outcome = try benchmark.run()
            let rate = outcome.seconds > 0 ? Double(outcome.bookings) / outcome.seconds : 0
            print(#"{"bookings":\#(outcome.bookings),"lines":\#(outcome.lines),"seconds":\#(outcome.seconds),"bookings_per_second":\#(Int(rate))}"#)
            return 0
        } catch {
            FileHandle.standardError.write(Data("fetch-benchmark failed: \(error.message)\n".utf8))
            return WorkerExitCode.failure
        }
    }
}
