import Hummingbird

/// The query parameters of a WordPress REST collection request, validated as WordPress does.
///
/// Supported: `page` (default 1), `per_page` (default 10, 1…100), `order` (`desc` by default or
/// `asc`), `orderby` (`date` by default, `id`, or `modified`, which is the same as `date` here since
/// the demo never modifies a record), and for bookings `after`, `before`, `modified_after`,
/// `modified_before` (RFC 3339, site time when no zone is given) and `status` (a comma-separated list;
/// a demo extension, MotoPress itself has no such parameter). All invalid parameters are reported
/// together in one `rest_invalid_param` error, as WordPress does.
struct WordPressListQuery: Sendable {
    enum OrderBy: Sendable {
        case date
        case id
    }

    var page = 1
    var perPage = 10
    var ascending = false
    var orderBy = OrderBy.date
    var statuses: Set<String>?
    /// Exclusive lower bound on creation time, UTC seconds.
    var after: Int64?
    /// Exclusive upper bound on creation time, UTC seconds.
    var before: Int64?

    var hasFilters: Bool { self.statuses != nil || self.after != nil || self.before != nil }

    init(
        parameters: [Substring: Substring],
        filtersBookings: Bool,
        siteOffsetSeconds: Int64
    ) throws(DemoHTTPError) {
        var invalid: [DemoHTTPError.InvalidParameter] = []
        func integer(_ name: String, minimum: Int, maximum: Int?) -> Int? {
            guard let text = parameters[Substring(name)] else { return nil }
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

        if let page = integer("page", minimum: 1, maximum: nil) { self.page = page }
        if let perPage = integer("per_page", minimum: 1, maximum: 100) { self.perPage = perPage }
        if let order = parameters["order"] {
            switch order {
            case "asc": self.ascending = true
            case "desc": self.ascending = false
            default:
                invalid.append(.init(name: "order", code: "rest_not_in_enum", message: "order is not one of asc and desc."))
            }
        }
        if let orderBy = parameters["orderby"] {
            switch orderBy {
            case "date", "modified": self.orderBy = .date
            case "id": self.orderBy = .id
            default:
                invalid.append(
                    .init(name: "orderby", code: "rest_not_in_enum", message: "orderby is not one of date, id, and modified.")
                )
            }
        }
        if filtersBookings {
            for name in ["after", "modified_after", "before", "modified_before"] {
                guard let text = parameters[Substring(name)] else { continue }
                guard let seconds = CivilTime.parseDateTime(text, siteOffsetSeconds: siteOffsetSeconds) else {
                    invalid.append(.init(name: name, code: "rest_invalid_date", message: "Invalid date."))
                    continue
                }
                if name.hasSuffix("after") {
                    self.after = max(self.after ?? .min, seconds)
                } else {
                    self.before = min(self.before ?? .max, seconds)
                }
            }
            if let text = parameters["status"] {
                let statuses = Set(text.split(separator: ",").map { String($0.filter { $0 != " " }) })
                if let unknown = statuses.first(where: { !DemoBooking.statuses.contains($0) }) {
                    invalid.append(
                        .init(
                            name: "status", code: "rest_not_in_enum",
                            message: "status[\(unknown)] is not one of " + DemoBooking.statuses.joined(separator: ", ") + "."
                        )
                    )
                } else {
                    self.statuses = statuses
                }
            }
        }
        if !invalid.isEmpty { throw .invalidParameters(invalid) }
    }

    /// The record indices this query selects from `collection`, in ascending order of its sort key.
    ///
    /// Without filters this is a precomputed order; with filters it is one pass over the collection.
    func selection(in collection: EncodedCollection) -> [Int] {
        let order = self.orderBy == .id ? collection.idOrder : collection.dateOrder
        guard self.hasFilters else { return order }
        return order.filter { index in
            if let statuses = self.statuses, !statuses.contains(collection.statuses[index]) { return false }
            if let after = self.after, collection.createdAt[index] <= after { return false }
            if let before = self.before, collection.createdAt[index] >= before { return false }
            return true
        }
    }
}
