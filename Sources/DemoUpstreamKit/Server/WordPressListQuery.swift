/// The query parameters of a MotoPress REST collection request, validated as WordPress does.
///
/// Supported as the plugin's controllers take them: `page` (default 1), `per_page` (default 10,
/// 1…100), `offset` (overrides `page`), `order` (`desc` by default, or `asc`), `orderby` (`date` by
/// default, `id`, `include`, `title`, `slug` or `modified`; titles and slugs follow ids here),
/// `include` and `exclude` (id lists, comma-separated or repeated as `include[]`), `filter[date_query]`
/// (see ``WordPressDateQuery``), WordPress's own `_fields` (the demo trims to `id` only; other lists
/// answer whole objects) and, for bookings, `after` and `before` on the creation date.
/// Parameters WordPress does not know, such as `modified_after`, are ignored, as WordPress ignores
/// them. All invalid parameters are reported together in one `rest_invalid_param` error.
struct WordPressListQuery: Sendable {
    enum OrderBy: Sendable {
        case date
        case id
        case include
        case modified
    }

    var page = 1
    var perPage = 10
    var offset: Int?
    var ascending = false
    var orderBy = OrderBy.date
    var include: [Int]?
    var exclude: Set<Int> = []
    /// Exclusive lower bound on creation time, UTC seconds.
    var after: Int64?
    /// Exclusive upper bound on creation time, UTC seconds.
    var before: Int64?
    var dateQuery: WordPressDateQuery?
    /// WordPress's `_fields`: the top-level fields to keep in every object, `nil` for all.
    var fields: Set<String>?

    /// The first record of the requested page, in the selection.
    var start: Int { self.offset ?? (self.page - 1) * self.perPage }

    init(parameters: [(key: Substring, value: Substring)], filtersBookings: Bool, siteOffsetSeconds: Int64) throws(DemoHTTPError) {
        // PHP keeps the last of repeated keys, and collects `name[]` into a list.
        var last: [Substring: Substring] = [:]
        var lists: [Substring: [Substring]] = [:]
        for (key, value) in parameters {
            if key.hasSuffix("[]") {
                lists[key.dropLast(2), default: []].append(value)
            } else {
                last[key] = value
            }
        }
        var invalid: [DemoHTTPError.InvalidParameter] = []
        func integer(_ name: String, minimum: Int, maximum: Int?) -> Int? {
            guard let text = last[Substring(name)] else { return nil }
            guard let value = Int(text) else {
                invalid.append(.init(name: name, code: "rest_invalid_type", message: "\(name) is not of type integer."))
                return nil
            }
            if let maximum, !(minimum...maximum).contains(value) {
                invalid.append(
                    .init(
                        name: name, code: "rest_out_of_bounds",
                        message: "\(name) must be between \(minimum) (inclusive) and \(maximum) (inclusive)"
                    )
                )
                return nil
            }
            if maximum == nil, value < minimum {
                invalid.append(
                    .init(name: name, code: "rest_out_of_bounds", message: "\(name) must be greater than or equal to \(minimum)")
                )
                return nil
            }
            return value
        }
        func idList(_ name: String) -> [Int]? {
            var items = lists[Substring(name)] ?? []
            if let text = last[Substring(name)] { items.append(contentsOf: text.split(separator: ",")) }
            guard lists[Substring(name)] != nil || last[Substring(name)] != nil else { return nil }
            var ids: [Int] = []
            for item in items {
                let trimmed = item.filter { $0 != " " }
                guard !trimmed.isEmpty else { continue }
                guard let id = Int(trimmed) else {
                    invalid.append(.init(name: name, code: "rest_invalid_type", message: "\(name)[\(ids.count)] is not of type integer."))
                    return nil
                }
                ids.append(id)
            }
            return ids
        }

        if let page = integer("page", minimum: 1, maximum: nil) { self.page = page }
        if let perPage = integer("per_page", minimum: 1, maximum: 100) { self.perPage = perPage }
        self.offset = integer("offset", minimum: 0, maximum: nil)
        if let order = last["order"] {
            switch order {
            case "asc": self.ascending = true
            case "desc": self.ascending = false
            default:
                invalid.append(.init(name: "order", code: "rest_not_in_enum", message: "order is not one of asc and desc."))
            }
        }
        if let orderBy = last["orderby"] {
            switch orderBy {
            case "date": self.orderBy = .date
            case "id", "title", "slug": self.orderBy = .id
            case "include": self.orderBy = .include
            case "modified": self.orderBy = .modified
            default:
                invalid.append(
                    .init(
                        name: "orderby", code: "rest_not_in_enum",
                        message: "orderby is not one of date, id, include, title, slug, and modified."
                    )
                )
            }
        }
        self.include = idList("include")
        self.exclude = Set(idList("exclude") ?? [])
        if filtersBookings {
            for name in ["after", "before"] {
                guard let text = last[Substring(name)] else { continue }
                guard let seconds = CivilTime.parseDateTime(text, siteOffsetSeconds: siteOffsetSeconds) else {
                    invalid.append(.init(name: name, code: "rest_invalid_date", message: "Invalid date."))
                    continue
                }
                if name == "after" { self.after = seconds } else { self.before = seconds }
            }
        }
        self.dateQuery = WordPressDateQuery(parameters: last, siteOffsetSeconds: siteOffsetSeconds)
        if let fields = last["_fields"] {
            self.fields = Set(fields.split(separator: ",").map { String($0.filter { $0 != " " }) })
        }
        if !invalid.isEmpty { throw .invalidParameters(invalid) }
    }

    /// The listed record indices this query selects from `collection`, in ascending sort order.
    func selection(in collection: EncodedCollection) -> [Int] {
        let order: [Int]
        switch self.orderBy {
        case .id: order = collection.idOrder
        case .date: order = collection.dateOrder
        case .modified: order = collection.modifiedOrder
        case .include:
            // WordPress keeps the order of `include` (ascending means as given).
            order = (self.include ?? []).compactMap { collection.index(ofID: $0) }
        }
        let listed = collection.listed(order)
        let included = self.include.map(Set.init)
        guard included != nil || !self.exclude.isEmpty || self.after != nil || self.before != nil || self.dateQuery != nil else {
            return listed
        }
        return listed.filter { index in
            let id = collection.ids[index]
            if let included, !included.contains(id) { return false }
            if self.exclude.contains(id) { return false }
            if let after = self.after, collection.createdAt[index] <= after { return false }
            if let before = self.before, collection.createdAt[index] >= before { return false }
            if let dateQuery = self.dateQuery, !dateQuery.admits(created: collection.createdAt[index], modified: collection.modifiedAt[index]) {
                return false
            }
            return true
        }
    }
}
