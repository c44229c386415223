import ArgumentParser
import DemoUpstreamKit
import Foundation
import Logging

/// `tenantsync-demo-upstream`: serves fake MotoPress Hotel Booking sites and estimates APIs on loopback.
///
/// Prints `demo upstream listening on http://HOST:PORT` once listening, then one line per site with
/// its API base URLs and its (fake) credentials. Stops on SIGTERM or SIGINT.
@main
struct DemoUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenantsync-demo-upstream",
        abstract: "Serve many tenants' fake MotoPress Hotel Booking sites and estimates APIs on loopback."
    )

    @Option(help: "Loopback address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind; 0 picks a free one.")
    var port = 0

    @Option(help: "Comma-separated site names.")
    var sites = "hotel-a,hotel-b,hotel-c"

    @Option(help: "Listed accommodations per site.")
    var accommodations = 12

    @Option(help: "Trashed accommodations per site: referenced by bookings, not listed.")
    var trashedAccommodations = 0

    @Option(help: "Bookings per site.")
    var bookings = 50

    @Option(help: "Estimates per site.")
    var estimates = 1_609

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 1

    @Option(name: .customLong("latency-ms"), help: "Simulated latency per request, in milliseconds.")
    var latencyMilliseconds = 0

    @Option(help: "Requests an estimates token serves before it expires.")
    var tokenLifetime = 100

    @Option(help: "Fraction of API requests answered with an injected 500, 0...1.")
    var errorRate = 0.0

    @Option(help: "Fraction of API requests that start a burst of 429s with Retry-After, 0...1.")
    var rateLimitRate = 0.0

    @Option(help: "Consecutive 429s in a rate-limit burst.")
    var rateLimitBurst = 3

    @Option(help: "Seconds sent in Retry-After with each 429.")
    var retryAfter = 1

    @Option(help: "Fraction of API requests answered slowly, 0...1.")
    var slowRate = 0.0

    @Option(name: .customLong("slow-ms"), help: "Extra delay of a slow answer, in milliseconds.")
    var slowMilliseconds = 500

    @Option(help: "Fraction of API requests whose body is cut in half, 0...1.")
    var truncateRate = 0.0

    @Option(help: "Fraction of list pages that gain one malformed record, 0...1.")
    var malformedRate = 0.0

    @Option(help: "Fraction of API requests whose connection drops mid-body, 0...1.")
    var resetRate = 0.0

    @Option(help: "Log level for stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "warning"

    func run() async throws {
        let level = Logger.Level(rawValue: self.logLevel) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = DemoUpstreamConfiguration(
            siteNames: self.sites.split(separator: ",").map { String($0) },
            seed: self.seed,
            accommodations: self.accommodations,
            trashedAccommodations: self.trashedAccommodations,
            bookings: self.bookings,
            estimates: self.estimates
        )
        configuration.host = self.host
        configuration.port = self.port
        configuration.latency = .milliseconds(self.latencyMilliseconds)
        configuration.estimatesTokenLifetime = self.tokenLifetime
        configuration.faults = DemoUpstreamFaults(
            errorRate: self.errorRate, rateLimitRate: self.rateLimitRate, rateLimitBurst: self.rateLimitBurst,
            retryAfterSeconds: self.retryAfter, slowRate: self.slowRate, slowDelay: .milliseconds(self.slowMilliseconds),
            truncateRate: self.truncateRate, malformedRecordRate: self.malformedRate, resetRate: self.resetRate,
            seed: self.seed
        )

        let server: DemoUpstreamServer
        do {
            server = try DemoUpstreamServer(configuration: configuration)
        } catch {
            throw ValidationError(error.description)
        }
        let sites = configuration.sites
        let host = configuration.host
        try await server.runUntilSignalled(logger: Logger(label: "tenantsync.demo-upstream")) { port in
            let endpoint = DemoUpstreamEndpoint(host: host, port: port)
            var lines = ["demo upstream listening on \(endpoint.baseURL)"]
            for site in sites {
                lines.append(
                    "site \(site.name) motopress=\(endpoint.motoPressBaseURL(site: site.name))"
                        + " consumer_key=\(site.consumerKey) consumer_secret=\(site.consumerSecret)"
                        + " estimates=\(endpoint.estimatesBaseURL(site: site.name))"
                        + " email=\(site.estimatesEmail) password=\(site.estimatesPassword)"
                )
            }
            // Unbuffered, so a script reading the pipe sees the lines at once.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
