import Foundation

/// A scrape in the Prometheus text exposition format (0.0.4), parsed strictly, for tests of `GET /metrics`.
///
/// No Swift package available to the project parses the format (swift-prometheus only writes it), so
/// this is a small parser that rejects what Prometheus would: bad metric or label names, bad escapes,
/// unparsable values, a `# TYPE` after its samples or twice, a family's samples split by another's,
/// a series given twice, and histograms whose buckets are not cumulative or disagree with `_count`.
public struct PrometheusExposition: Sendable {
    /// One line of a family: a name (for histograms the family's name plus `_bucket`, `_sum` or `_count`),
    /// its labels and its value.
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// The `# TYPE` of each family.
    public private(set) var types: [String: String] = [:]
    /// Every sample, in the order of the text.
    public private(set) var samples: [Sample] = []

    /// Parses `text`; throws naming the line at the first violation of the format.
    public init(parsing text: String) throws {
        var parser = Parser()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            do {
                try parser.consume(String(line))
            } catch let error as TestSupportError {
                throw TestSupportError("line \(index + 1) `\(line)`: \(error.description)")
            }
        }
        guard text.isEmpty || text.hasSuffix("\n") else { throw TestSupportError("the exposition does not end with a line feed") }
        types = parser.types
        samples = parser.samples
        try checkHistograms()
    }

    /// The value of the series `name` whose labels are exactly `labels`, if present.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Every series named `name` whose labels include `matching`.
    public func series(_ name: String, matching: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && matching.allSatisfy { sample.labels[$0.key] == $0.value } }
    }

    /// The sum of every series named `name` whose labels include `matching` (0 when there is none).
    public func sum(_ name: String, matching: [String: String] = [:]) -> Double {
        series(name, matching: matching).reduce(0) { $0 + $1.value }
    }

    /// Buckets rise with `le`, end at `+Inf`, and the `+Inf` bucket equals `_count`; `_sum` is present.
    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            var seriesLabels: [[String: String]] = []
            for sample in samples where sample.name == family + "_count" { seriesLabels.append(sample.labels) }
            for labels in seriesLabels {
                let buckets = samples.filter { sample in
                    sample.name == family + "_bucket" && sample.labels["le"] != nil && sample.labels.filter { $0.key != "le" } == labels
                }
                let bounds = try buckets.map { bucket -> (Double, Double) in
                    guard let bound = Self.number(bucket.labels["le"] ?? "") else { throw TestSupportError("\(family): bad le \(bucket.labels["le"] ?? "")") }
                    return (bound, bucket.value)
                }.sorted { $0.0 < $1.0 }
                guard let last = bounds.last, last.0 == .infinity else { throw TestSupportError("\(family)\(labels): no +Inf bucket") }
                for (lower, upper) in zip(bounds, bounds.dropFirst()) where upper.1 < lower.1 {
                    throw TestSupportError("\(family)\(labels): bucket le=\(upper.0) holds less than le=\(lower.0)")
                }
                guard value(family + "_count", labels) == last.1 else { throw TestSupportError("\(family)\(labels): +Inf bucket is not _count") }
                guard value(family + "_sum", labels) != nil else { throw TestSupportError("\(family)\(labels): no _sum") }
            }
        }
    }

    /// A sample value or `le`: a float, `+Inf`, `-Inf` or `NaN`.
    static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard !text.isEmpty, text.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
            return Double(text)
        }
    }

    /// Reads lines one by one, keeping what the format's rules need.
    private struct Parser {
        static let types: Set<String> = ["counter", "gauge", "histogram", "summary", "untyped"]
        var types: [String: String] = [:]
        var samples: [Sample] = []
        /// Families whose samples have been seen, and the one whose samples come now.
        var closedFamilies: Set<String> = []
        var currentFamily: String?
        var seenSeries: Set<String> = []

        mutating func consume(_ line: String) throws {
            if line.isEmpty { return }
            if line.hasPrefix("#") {
                try comment(line)
            } else {
                try sample(line)
            }
        }

        private mutating func comment(_ line: String) throws {
            let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard words.count >= 3, words[0] == "#", ["TYPE", "HELP"].contains(words[1]) else { return }
            let name = words[2]
            guard Self.isMetricName(name) else { throw TestSupportError("bad metric name \(name)") }
            guard words[1] == "TYPE" else { return }
            guard words.count == 4, Self.types.contains(words[3]) else { throw TestSupportError("bad type") }
            guard types[name] == nil else { throw TestSupportError("second TYPE for \(name)") }
            guard !closedFamilies.contains(name), currentFamily != name else { throw TestSupportError("TYPE of \(name) after its samples") }
            types[name] = words[3]
            if let currentFamily { closedFamilies.insert(currentFamily) }
            currentFamily = name
        }

        private mutating func sample(_ line: String) throws {
            var scanner = Substring(line)
            let name = String(scanner.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
            guard Self.isMetricName(name) else { throw TestSupportError("bad metric name") }
            scanner = scanner.dropFirst(name.count)
            var labels: [String: String] = [:]
            if scanner.first == "{" {
                scanner = scanner.dropFirst()
                labels = try Self.labels(&scanner)
            }
            guard scanner.first == " " else { throw TestSupportError("no space before the value") }
            let fields = scanner.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
            guard (1...2).contains(fields.count), let value = PrometheusExposition.number(String(fields[0])) else {
                throw TestSupportError("bad value")
            }
            if fields.count == 2, Int64(fields[1]) == nil { throw TestSupportError("bad timestamp") }
            let family = family(of: name)
            if currentFamily != family {
                guard !closedFamilies.contains(family) else { throw TestSupportError("samples of \(family) split by another family") }
                if let currentFamily { closedFamilies.insert(currentFamily) }
                currentFamily = family
            }
            if types[family] == "counter", !(value >= 0) { throw TestSupportError("counter below zero") }
            let key = name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
            guard seenSeries.insert(key).inserted else { throw TestSupportError("series \(key) twice") }
            samples.append(Sample(name: name, labels: labels, value: value))
        }

        /// The family a sample belongs to: a histogram's or summary's `_bucket`, `_sum` and `_count` are its own.
        private func family(of name: String) -> String {
            for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                if ["histogram", "summary"].contains(types[base]) { return base }
            }
            return name
        }

        /// `name="value",…}` after the opening brace; escapes `\\`, `\"` and `\n` only.
        private static func labels(_ scanner: inout Substring) throws -> [String: String] {
            var labels: [String: String] = [:]
            while scanner.first != "}" {
                let name = String(scanner.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                guard isLabelName(name) else { throw TestSupportError("bad label name") }
                scanner = scanner.dropFirst(name.count)
                guard scanner.hasPrefix("=\"") else { throw TestSupportError("label \(name) without =\"") }
                scanner = scanner.dropFirst(2)
                var value = ""
                while true {
                    guard let character = scanner.popFirst() else { throw TestSupportError("unterminated label value") }
                    if character == "\"" { break }
                    if character == "\\" {
                        switch scanner.popFirst() {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw TestSupportError("bad escape in label \(name)")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: name) == nil else { throw TestSupportError("label \(name) twice") }
                if scanner.first == "," { scanner = scanner.dropFirst() } else if scanner.first != "}" { throw TestSupportError("expected , or }") }
            }
            scanner = scanner.dropFirst()
            return labels
        }

        static func isMetricName(_ name: String) -> Bool {
            guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" || first == ":" else { return false }
            return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ":") }
        }

        static func isLabelName(_ name: String) -> Bool {
            guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" else { return false }
            return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
        }
    }
}
