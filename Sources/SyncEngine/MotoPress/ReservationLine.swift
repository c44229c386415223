import Foundation

/// One reserved accommodation of a booking: the unit of the `reservations` table.
struct ReservationLine {
    var bookingID: Int64
    /// Position of the reserved accommodation within the booking, from 1.
    var lineNumber: Int
    /// The upstream accommodation (unit) id; `nil` when the booking does not name one.
    var accommodationID: Int64?
    /// The upstream rate id, if the line names one.
    var rateID: Int64?
    var status: String?
    var checkIn: String?
    var checkOut: String?
    /// An imported iCal booking (an Airbnb block, for example): no customer, no price.
    var isBlock: Bool
    /// The booking's JSON with this line under `reserved_accommodation`.
    var json: String

    /// Splits a booking into one line per reserved accommodation.
    static func lines(of booking: JSONRecord) -> [ReservationLine] {
        let reserved = booking.fields["reserved_accommodations"] as? [Any] ?? []
        var base = booking.fields
        base.removeValue(forKey: "reserved_accommodations")
        let imported = (booking.fields["imported"] as? Bool) ?? ((booking.fields["imported"] as? NSNumber)?.boolValue ?? false)
        return reserved.enumerated().map { index, element in
            let line = element as? [String: Any] ?? [:]
            var fields = base
            fields["reserved_accommodation"] = line
            return ReservationLine(
                bookingID: booking.externalID,
                lineNumber: index + 1,
                accommodationID: JSONRecord.integer(line["accommodation"]),
                rateID: JSONRecord.integer(line["rate"]),
                status: booking.fields["status"] as? String,
                checkIn: booking.fields["check_in_date"] as? String,
                checkOut: booking.fields["check_out_date"] as? String,
                isBlock: imported,
                json: JSONRecord.canonicalJSON(fields) ?? booking.json
            )
        }
    }
}
