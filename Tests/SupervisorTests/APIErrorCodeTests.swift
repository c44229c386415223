import Foundation
@testable import SupervisorCore
import Testing

/// The error codes are a closed set in the code; docs/api.md's table must list exactly them.
@Suite("API error codes: the code and docs/api.md agree")
struct APIErrorCodeTests {
    @Test("every code appears in docs/api.md's error table with its status, and the table has no other")
    func documentedCodes() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/api.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Errors").dropFirst().first?.components(separatedBy: "\n## ").first)
        var documented: [String: Int] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, let status = Int(cells[0]), cells[1].hasPrefix("`") else { continue }
            documented[cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))] = status
        }
        let coded = Dictionary(uniqueKeysWithValues: APIError.Code.all.map { ($0.description, Int($0.status.code)) })
        #expect(documented == coded)
    }
}
