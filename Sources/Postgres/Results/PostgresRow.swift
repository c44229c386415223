/// One result row: each field as the server's text output, `nil` for SQL NULL.
public struct PostgresRow: Sendable {
    /// Column names and a name lookup, shared by every row of a result.
    struct Layout: Sendable {
        let columns: [String]
        let indexByName: [String: Int]

        init(columns: [String]) {
            self.columns = columns
            self.indexByName = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private let layout: Layout
    /// The fields in column order, `nil` for SQL NULL.
    public let values: [String?]

    init(layout: Layout, values: [String?]) {
        self.layout = layout
        self.values = values
    }

    /// Column names in order.
    public var columns: [String] { layout.columns }

    /// The text of the first column with this name; `nil` for NULL or when there is no such column.
    public subscript(_ column: String) -> String? {
        layout.indexByName[column].flatMap { values[$0] }
    }

    /// The text of the column at this position; `nil` for NULL or when the index is out of range.
    public subscript(_ index: Int) -> String? {
        values.indices.contains(index) ? values[index] : nil
    }

    /// Decodes the named column; pass an optional type (`Int?.self`) to accept NULL.
    ///
    /// Throws ``PostgresError/Code/decodingFailed`` when the column is missing, NULL for a
    /// non-optional type, or not valid text for the type. The message names the column, not the value.
    public func decode<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws(PostgresError) -> T {
        guard let index = layout.indexByName[column] else {
            throw PostgresError(code: .decodingFailed, message: "no column named \"\(column)\"")
        }
        return try decode(type, at: index, name: column)
    }

    /// Decodes the column at a position; pass an optional type (`Int?.self`) to accept NULL.
    public func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int) throws(PostgresError) -> T {
        guard values.indices.contains(index) else {
            throw PostgresError(code: .decodingFailed, message: "no column at index \(index) of \(values.count)")
        }
        return try decode(type, at: index, name: layout.columns[index])
    }

    /// Decodes the named column, returning `nil` for SQL NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws(PostgresError) -> T? {
        try decode(T?.self, column)
    }

    private func decode<T: PostgresDecodable>(_ type: T.Type, at index: Int, name: String) throws(PostgresError) -> T {
        do throws(PostgresError) {
            guard let text = values[index] else {
                return try T.postgresNull()
            }
            return try T(postgresText: text)
        } catch {
            var error = error
            error.message = "column \"\(name)\": \(error.message)"
            throw error
        }
    }
}
