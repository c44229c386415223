/// A row of the runs tables that this version cannot read.
struct RunStoreError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
