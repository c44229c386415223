import CPostgres

/// The rows and command status of one statement, copied out of libpq's result.
public struct PostgresResult: Sendable {
    /// The rows, in the order the server sent them; empty for statements that return none.
    public var rows: [PostgresRow]
    /// Rows inserted, updated, deleted, copied or selected, from the command tag; 0 when it has no count.
    public var affectedRows: Int
    /// Column names in order; names may repeat (`SELECT 1 AS a, 2 AS a`).
    public var columns: [String]

    public init(rows: [PostgresRow], affectedRows: Int, columns: [String]) {
        self.rows = rows
        self.affectedRows = affectedRows
        self.columns = columns
    }

    /// Copies every field at once so that no Swift value refers to libpq memory after `PQclear`.
    init(_ result: ResultHandle) {
        let pointer = result.pointer
        let fieldCount = PQnfields(pointer)
        let columns = (0..<fieldCount).map { String(cString: PQfname(pointer, $0)) }
        let layout = PostgresRow.Layout(columns: columns)
        let rows = (0..<PQntuples(pointer)).map { row in
            let values = (0..<fieldCount).map { column -> String? in
                if PQgetisnull(pointer, row, column) == 1 {
                    return nil
                }
                let length = Int(PQgetlength(pointer, row, column))
                let bytes = UnsafeRawPointer(PQgetvalue(pointer, row, column)!).assumingMemoryBound(to: UInt8.self)
                return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
            }
            return PostgresRow(layout: layout, values: values)
        }
        self.init(rows: rows, affectedRows: Int(String(cString: PQcmdTuples(pointer))) ?? 0, columns: columns)
    }
}
