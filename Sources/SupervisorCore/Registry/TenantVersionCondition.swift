import Foundation

/// What a change asks of the tenant's stored version: the `If-Match` header of its request.
enum TenantVersionCondition: Sendable, Equatable {
    /// No `If-Match`: the change applies whatever the version.
    case unconditional
    /// `If-Match: *`: the tenant must exist.
    case exists
    /// `If-None-Match: *`: the tenant must not exist yet (an add that never overwrites).
    case absent
    /// `If-Match: "7"` (or a list): the tenant's version must be one of these.
    case versions(Set<Int64>)

    /// The condition of a request's `If-Match` and `If-None-Match` values (`nil`: no such header): `If-None-Match: *`
    /// is ``absent``; otherwise as `If-Match` says.
    init(ifMatch: String?, ifNoneMatch: String?) {
        if let ifNoneMatch, ifNoneMatch.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            self = .absent
        } else {
            self.init(ifMatch: ifMatch)
        }
    }

    /// The condition an `If-Match` header value states; `nil` (no header) is ``unconditional``.
    ///
    /// Tags may be quoted or not, weak (`W/"7"`) or strong; a tag that is not a version never matches.
    init(ifMatch header: String?) {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            self = .unconditional
            return
        }
        let tags = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if tags.contains("*") {
            self = .exists
            return
        }
        self = .versions(Set(tags.compactMap { tag in
            var text = Substring(tag)
            if text.hasPrefix("W/") { text = text.dropFirst(2) }
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
            return Int64(text)
        }))
    }

    /// Whether a tenant stored as `current` (`nil`: none) meets the condition.
    func isMet(by current: TenantRecord?) -> Bool {
        switch self {
        case .unconditional: true
        case .exists: current != nil
        case .absent: current == nil
        case .versions(let versions): current.map { versions.contains($0.version) } ?? false
        }
    }
}
