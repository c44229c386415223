/// The `filter[date_query]` of a collection request, which the plugin hands to `WP_Query` as is.
///
/// Clauses are `filter[date_query][N][column|after|before|inclusive]` (or one clause without `[N]`),
/// all of which must hold. `column` is `post_date` (the default), `post_date_gmt`, `post_modified`
/// or `post_modified_gmt`. As in `WP_Date_Query::build_mysql_datetime`, a value without a zone is
/// taken as it is, and a value with `Z` or an offset is first converted to the site's time zone, then
/// compared with the column: so a UTC time with `Z` against a `_gmt` column is off by the site's
/// offset, and a client that means UTC sends it without a zone. `after` and `before` are exclusive
/// unless `inclusive` is `1` or `true`. Clauses that name no bound are ignored, as WordPress does.
struct WordPressDateQuery: Sendable {
    enum Column: String, Sendable {
        case postDate = "post_date"
        case postDateGMT = "post_date_gmt"
        case postModified = "post_modified"
        case postModifiedGMT = "post_modified_gmt"
    }

    struct Clause: Sendable {
        var column: Column
        /// Bounds as naive seconds in the column's own clock.
        var after: Int64?
        var before: Int64?
        var inclusive: Bool
    }

    var clauses: [Clause]
    /// The site's offset from UTC, to read the local-time columns.
    var siteOffsetSeconds: Int64

    /// The date query in `parameters`, or `nil` when there is none with a usable bound.
    init?(parameters: [Substring: Substring], siteOffsetSeconds: Int64) {
        self.siteOffsetSeconds = siteOffsetSeconds
        let prefix = "filter[date_query]"
        let topColumn = parameters[Substring(prefix + "[column]")].flatMap { Column(rawValue: String($0)) }
        var clauses: [Clause] = []
        for key in [prefix] + (0..<10).map({ "\(prefix)[\($0)]" }) {
            func value(_ name: String) -> Substring? { parameters[Substring(key + "[\(name)]")] }
            let after = value("after").flatMap { Self.naiveSeconds($0, siteOffsetSeconds: siteOffsetSeconds) }
            let before = value("before").flatMap { Self.naiveSeconds($0, siteOffsetSeconds: siteOffsetSeconds) }
            guard after != nil || before != nil else { continue }
            let column = value("column").flatMap { Column(rawValue: String($0)) } ?? topColumn ?? .postDate
            let inclusive = value("inclusive").map { $0 == "1" || $0 == "true" } ?? false
            clauses.append(Clause(column: column, after: after, before: before, inclusive: inclusive))
        }
        guard !clauses.isEmpty else { return nil }
        self.clauses = clauses
    }

    /// Whether a record created and last modified at these UTC times satisfies every clause.
    func admits(created: Int64, modified: Int64) -> Bool {
        self.clauses.allSatisfy { clause in
            let value: Int64 =
                switch clause.column {
                case .postDate: created + self.siteOffsetSeconds
                case .postDateGMT: created
                case .postModified: modified + self.siteOffsetSeconds
                case .postModifiedGMT: modified
                }
            if let after = clause.after, clause.inclusive ? value < after : value <= after { return false }
            if let before = clause.before, clause.inclusive ? value > before : value >= before { return false }
            return true
        }
    }

    /// `YYYY-MM-DD[ HH:MM:SS]` as naive seconds; a value with a zone is moved to the site's time first.
    static func naiveSeconds(_ text: Substring, siteOffsetSeconds: Int64) -> Int64? {
        if let day = CivilTime.parseDate(text) { return day * 86_400 }
        let body = text.utf8.count > 19 ? text.utf8.dropFirst(19) : Substring("").utf8[...]
        let hasZone = body.contains(UInt8(ascii: "Z")) || body.contains(UInt8(ascii: "z"))
            || body.contains(UInt8(ascii: "+")) || body.contains(UInt8(ascii: "-"))
        // Read without a zone as if the site were at UTC: the naive wall-clock value.
        guard let seconds = CivilTime.parseDateTime(text, siteOffsetSeconds: 0) else { return nil }
        return hasZone ? seconds + siteOffsetSeconds : seconds
    }
}
