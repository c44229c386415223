/// One reserved accommodation of a booking: the unit of the `reservations` table.
package struct ReservationLine {
    var bookingID: Int64
    /// Position of the reserved accommodation within the booking, from 1.
    var lineNumber: Int
    /// The upstream accommodation (unit) id; `nil` when the booking does not name one.
    var accommodationID: Int64?
    /// The upstream rate id, if the line names one (imported blocks say `0`: none).
    var rateID: Int64?
    var status: String?
    var checkIn: String?
    var checkOut: String?
    /// An imported iCal booking (an Airbnb block, for example): no customer, no price.
    var isBlock: Bool
    /// The booking's JSON with this line under `reserved_accommodation` instead of the whole list
    /// under `reserved_accommodations`, built from the upstream's own text.
    var json: String
    /// ``TextFingerprint`` of `json`: the same text from the upstream gives the same number.
    var fingerprint: Int64

    /// Splits a booking into one line per reserved accommodation; none when it lists none.
    package static func lines(of booking: JSONRecord) -> [ReservationLine] {
        let object = booking.object
        guard let reserved = object.elements("reserved_accommodations"), !reserved.isEmpty else { return [] }
        let status = object.string("status")
        let checkIn = object.string("check_in_date")
        let checkOut = object.string("check_out_date")
        let imported = object.bool("imported") ?? false
        return reserved.enumerated().map { index, element in
            let line = JSONObjectSlice(bytes: object.bytes, objectAt: element)
            let json = object.text(removing: "reserved_accommodations", appending: "reserved_accommodation", value: element.range)
            return ReservationLine(
                bookingID: booking.externalID,
                lineNumber: index + 1,
                accommodationID: line?.integer("accommodation"),
                rateID: line?.integer("rate").flatMap { $0 == 0 ? nil : $0 },
                status: status,
                checkIn: checkIn,
                checkOut: checkOut,
                isBlock: imported,
                json: json,
                fingerprint: TextFingerprint.of(json)
            )
        }
    }
}
