import Foundation

/// Level names, their order, and guessing a level from a raw stderr line.
public enum LogLevels {
    static let ordered = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// The canonical name of `name` (`warn` → `warning`, `fatal` → `critical`), or `nil` if unknown.
    public static func normalize(_ name: String) -> String? {
        let lowered = name.lowercased()
        switch lowered {
        case "warn": return "warning"
        case "err": return "error"
        case "fatal", "crit": return "critical"
        default: return ordered.contains(lowered) ? lowered : nil
        }
    }

    /// The index of `warning` in ``ordered``.
    static let warningIndex = 4

    /// ``ordered`` as bytes.
    private static let orderedNames: [[UInt8]] = ordered.map { Array($0.utf8) }

    /// The five-letter labels of ``ordered``, as bytes.
    static let orderedLabels: [[UInt8]] = ordered.map { Array(label($0).utf8) }

    /// The index in ``ordered`` of the canonical level name `name` (exactly, lower case), or `nil`.
    static func index(ofCanonicalName name: UnsafeRawBufferPointer) -> Int? {
        // Decided by length and the first letter: no string is made for a line's level.
        guard let first = name.first else { return nil }
        let candidate: Int
        switch (name.count, first) {
        case (5, UInt8(ascii: "t")): candidate = 0
        case (5, UInt8(ascii: "d")): candidate = 1
        case (4, UInt8(ascii: "i")): candidate = 2
        case (6, UInt8(ascii: "n")): candidate = 3
        case (7, UInt8(ascii: "w")): candidate = 4
        case (5, UInt8(ascii: "e")): candidate = 5
        case (8, UInt8(ascii: "c")): candidate = 6
        default: return nil
        }
        let wanted = orderedNames[candidate]
        return wanted.withUnsafeBytes { memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 } ? candidate : nil
    }

    /// The position of a level in severity order; unknown levels count as `info`.
    public static func rank(_ name: String) -> Int {
        ordered.firstIndex(of: normalize(name) ?? "info") ?? 2
    }

    /// Five-letter upper-case label for text lines.
    static func label(_ level: String) -> String {
        switch level {
        case "trace": return "TRACE"
        case "debug": return "DEBUG"
        case "info": return "INFO "
        case "notice": return "NOTE "
        case "warning": return "WARN "
        case "error": return "ERROR"
        case "critical": return "CRIT "
        default:
            let upper = (normalize(level) ?? level).uppercased()
            let short = upper == "WARNING" ? "WARN" : upper == "CRITICAL" ? "CRIT" : upper == "NOTICE" ? "NOTE" : upper
            return short.count >= 5 ? short : short + String(repeating: " ", count: 5 - short.count)
        }
    }

    /// The level a stderr line announces among its first words (as swift-log's stream handler
    /// writes it), or `info`.
    static func guess(from line: String) -> String {
        for word in line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true).prefix(4) {
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: "[]():"))
            if let level = normalize(trimmed), trimmed.count >= 4 { return level }
        }
        return "info"
    }
}
