@testable import SupervisorCore
import Testing

@Suite("If-Match and If-None-Match on a tenant's version")
struct TenantVersionConditionTests {
    static func record(version: Int64) -> TenantRecord {
        TenantRecord(
            tenant: TenantConfiguration(id: "t", connector: "motopress", settings: [:]), version: version, source: .api,
            createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z"
        )
    }

    @Test("headers read as conditions", arguments: [
        (nil, nil, TenantVersionCondition.unconditional),
        ("\"7\"", nil, .versions([7])),
        ("W/\"7\", \"9\"", nil, .versions([7, 9])),
        ("7", nil, .versions([7])),
        ("*", nil, .exists),
        ("\"x\"", nil, .versions([])),
        (nil, "*", .absent),
        ("\"7\"", "*", .absent),
    ] as [(String?, String?, TenantVersionCondition)])
    func parsing(ifMatch: String?, ifNoneMatch: String?, expected: TenantVersionCondition) {
        #expect(TenantVersionCondition(ifMatch: ifMatch, ifNoneMatch: ifNoneMatch) == expected)
    }

    @Test("which stored tenants meet each condition")
    func meeting() {
        let seven = Self.record(version: 7)
        #expect(TenantVersionCondition.unconditional.isMet(by: nil) && TenantVersionCondition.unconditional.isMet(by: seven))
        #expect(TenantVersionCondition.versions([7]).isMet(by: seven))
        #expect(!TenantVersionCondition.versions([6]).isMet(by: seven))
        #expect(!TenantVersionCondition.versions([7]).isMet(by: nil))
        #expect(TenantVersionCondition.exists.isMet(by: seven) && !TenantVersionCondition.exists.isMet(by: nil))
        #expect(TenantVersionCondition.absent.isMet(by: nil) && !TenantVersionCondition.absent.isMet(by: seven))
    }
}
