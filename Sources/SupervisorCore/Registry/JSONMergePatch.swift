/// JSON Merge Patch (RFC 7396): how `PATCH /api/tenants/{id}` changes a stored tenant.
///
/// An object in the patch merges into the target key by key; `null` removes a key; any other value
/// (arrays included) replaces the target's value whole.
enum JSONMergePatch {
    static func apply(_ patch: JSONTree, to target: JSONTree) -> JSONTree {
        guard case .object(let changes) = patch else { return patch }
        var merged: [String: JSONTree]
        if case .object(let object) = target { merged = object } else { merged = [:] }
        for (key, value) in changes {
            if value == .null {
                merged.removeValue(forKey: key)
            } else {
                merged[key] = apply(value, to: merged[key] ?? .null)
            }
        }
        return .object(merged)
    }
}
