/// A resource the supervisor was installed without.
struct ResourceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
