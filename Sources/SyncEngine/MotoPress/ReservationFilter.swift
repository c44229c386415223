import Foundation

/// Which reservation lines a tenant does not want stored, from its settings, and a tally of what was left out.
///
/// By default nothing is excluded: all six booking statuses are kept and imported iCal blocks are
/// stored with `is_block = true`. Settings: `exclude_past` (check-out before today), `future_days`
/// (check-in more than N days ahead), `exclude_cancelled`, `exclude_blocks`. A sync command's
/// `start_date`/`end_date` keep only lines whose check-in date is in that range (inclusive).
struct ReservationFilter: Sendable {
    var excludePast = false
    var futureDays: Int?
    /// First and last check-in date kept, `YYYY-MM-DD`, from the sync command.
    var checkInFrom: String?
    var checkInTo: String?
    var excludeCancelled = false
    var excludeBlocks = false

    /// What one run left out, for the log line "excluded N past/future, N cancelled, N blocks".
    struct Tally: Sendable {
        var mapped = 0
        var outOfWindow = 0
        var cancelled = 0
        var blocks = 0

        var summary: String {
            "mapped \(mapped) reservations, excluded \(outOfWindow) past/future, \(cancelled) cancelled, \(blocks) blocks"
        }
    }

    init() {}

    init(settings: ConnectorSettings) throws(SyncError) {
        excludePast = try settings.boolean("exclude_past")
        excludeCancelled = try settings.boolean("exclude_cancelled")
        excludeBlocks = try settings.boolean("exclude_blocks")
        if settings.optional("future_days") != nil {
            let days = try settings.integer("future_days", default: 0)
            guard days >= 0 else {
                throw SyncError(code: .configuration, message: "tenant \(settings.tenantID): future_days must not be negative", setting: "future_days")
            }
            futureDays = days
        }
    }

    /// Keeps the lines the tenant wants, counting the others by reason. `today` is `YYYY-MM-DD`.
    func apply(_ lines: [ReservationLine], today: Date, tally: inout Tally) -> [ReservationLine] {
        let todayText = Self.day(today)
        let lastCheckIn = futureDays.map { Self.day(today.addingTimeInterval(Double($0) * 86_400)) }
        return lines.filter { line in
            if excludeCancelled, line.status == "cancelled" {
                tally.cancelled += 1
                return false
            }
            if excludeBlocks, line.isBlock {
                tally.blocks += 1
                return false
            }
            if excludePast, let checkOut = line.checkOut, checkOut < todayText {
                tally.outOfWindow += 1
                return false
            }
            if let lastCheckIn, let checkIn = line.checkIn, checkIn > lastCheckIn {
                tally.outOfWindow += 1
                return false
            }
            if checkInFrom != nil || checkInTo != nil {
                // ISO dates compare as text; a line without a check-in date is outside any range.
                guard let checkIn = line.checkIn.map({ String($0.prefix(10)) }),
                    checkInFrom.map({ checkIn >= $0 }) ?? true, checkInTo.map({ checkIn <= $0 }) ?? true
                else {
                    tally.outOfWindow += 1
                    return false
                }
            }
            tally.mapped += 1
            return true
        }
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
