import CurlHTTP
import DemoUpstreamKit
import Foundation
import Support
@testable import SyncEngine
import Testing
import TestSupport

@Suite("Upstream pages read by the JSON scanner, without Foundation objects")
struct JSONScannerTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("records keep the upstream's own text; non-objects and records without an id are rejects with reasons")
    func splitsRecords() throws {
        let page = #"  [ {"id": 7, "title": "Sea view", "nested": {"a": [1, 2.5e3, null]}}, 5, {"title": "no id"}, {"id": "8"}, {"id": 9.0} ] "#
        let parsed = try JSONRecord.parseArray(Self.bytes(page))
        #expect(parsed.records.map(\.externalID) == [7, 8, 9])
        #expect(parsed.records[0].json == #"{"id": 7, "title": "Sea view", "nested": {"a": [1, 2.5e3, null]}}"#)
        #expect(parsed.invalid.map(\.reason) == ["record is not a JSON object", #"record has no integer "id""#])
        #expect(parsed.invalid.map(\.json) == ["5", #"{"title": "no id"}"#])
    }

    @Test("fractional ids are not ids; numbers and booleans read as Foundation would")
    func fieldValues() throws {
        let page = #"[{"id": 1.5}, {"id": 2, "imported": 1, "flag": false, "price": "12", "name": "caf\u00e9 \"ok\" \ud83d\ude00\n"}]"#
        let parsed = try JSONRecord.parseArray(Self.bytes(page))
        #expect(parsed.records.map(\.externalID) == [2])
        let object = parsed.records[0].object
        #expect(object.bool("imported") == true)
        #expect(object.bool("flag") == false)
        #expect(object.integer("price") == 12)
        #expect(object.string("name") == "café \"ok\" 😀\n")
        #expect(object.string("missing") == nil)
        #expect(object.integer("name") == nil)
    }

    @Test("pages that are not valid JSON fail with the size and the first problem", arguments: [
        #"[{"id": 1}"#, #"[{"id": 1}] x"#, "[01]", "[\"tab\tinside\"]", #"["\x"]"#, "[1,]", #"{"id" 1}"#, "[tru]", "[-]", "[1.]", "",
    ])
    func refusesInvalidJSON(page: String) {
        #expect(throws: SyncError.self) { try JSONRecord.parseArray(Self.bytes(page)) }
        do {
            _ = try JSONRecord.parseArray(Self.bytes(page))
        } catch {
            #expect(error.message.hasPrefix("response is not valid JSON (\(page.utf8.count) bytes): "))
        }
    }

    @Test("invalid UTF-8 and runaway nesting are refused, not crashed on")
    func refusesBadBytesAndDepth() {
        #expect(throws: SyncError.self) { try JSONRecord.parseArray([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D]) }
        #expect(throws: SyncError.self) { try JSONRecord.parseArray([0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]) }
        let deep = Self.bytes(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        #expect(throws: SyncError.self) { try JSONRecord.parseArray(deep) }
    }

    @Test("valid JSON of the wrong shape says so")
    func wrongShape() {
        do {
            _ = try JSONRecord.parseArray(Self.bytes(#"{"code": "rest_no_route"}"#))
            Issue.record("an object was accepted as a page")
        } catch {
            #expect(error.message == "response is not a JSON array")
        }
        do {
            _ = try EstimateRecord.parsePage(Self.bytes(#"{"items": []}"#))
            Issue.record("a page without data was accepted")
        } catch {
            #expect(error.message == #"response has no "data" array"#)
        }
    }

    @Test("estimates pages: string ids inside the data envelope")
    func estimatesPage() throws {
        let parsed = try EstimateRecord.parsePage(Self.bytes(#"{"data": [{"id": "e-1", "total": 3}, {"id": ""}, []], "meta": {"page": 1}}"#))
        #expect(parsed.records.map(\.id) == ["e-1"])
        #expect(parsed.records.first?.json == #"{"id": "e-1", "total": 3}"#)
        #expect(parsed.invalid.map(\.reason) == [#"record has no string "id""#, "record is not a JSON object"])
    }

    @Test("reservation lines of demo bookings hold the same JSON Foundation would build, one per reserved unit")
    func reservationLinesMatchFoundation() async throws {
        let site = DemoSite(name: "scan", accommodations: 12, bookings: 300)
        let page = try await DemoUpstreamServer.withRunningServer(configuration: DemoUpstreamConfiguration(sites: [site])) { endpoint in
            let request = HTTPRequest(
                url: endpoint.motoPressBaseURL(site: site.name) + "/bookings?per_page=100",
                basicAuth: BasicAuth(user: site.consumerKey, password: site.consumerSecret)
            )
            return try await offPool { try CurlHTTPClient().perform(request).body }
        }
        let records = try JSONRecord.parseArray(page).records
        #expect(records.count == 100)
        let foundation = try #require(try JSONSerialization.jsonObject(with: Data(page)) as? [[String: Any]])
        var lines = 0
        for (record, expected) in zip(records, foundation) {
            let reserved = try #require(expected["reserved_accommodations"] as? [[String: Any]])
            let built = ReservationLine.lines(of: record)
            #expect(built.count == reserved.count)
            for (line, unit) in zip(built, reserved) {
                var fields = expected
                fields.removeValue(forKey: "reserved_accommodations")
                fields["reserved_accommodation"] = unit
                let decoded = try JSONSerialization.jsonObject(with: Data(line.json.utf8)) as? NSDictionary
                #expect(decoded == fields as NSDictionary)
                #expect(line.accommodationID == (unit["accommodation"] as? NSNumber)?.int64Value)
                #expect(line.status == expected["status"] as? String)
                #expect(line.checkIn == expected["check_in_date"] as? String)
                #expect(line.isBlock == (expected["imported"] as? Bool ?? false))
                lines += 1
            }
        }
        #expect(lines >= 100)
    }
}
