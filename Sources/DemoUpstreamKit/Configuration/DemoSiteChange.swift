/// An edit made on a running demo site, as staff would make it in WordPress.
///
/// Changes follow the plugin's semantics: an edit of the post (a status change, a new booking)
/// moves its `post_modified` time to now, so `filter[date_query]` on `post_modified_gmt` finds it;
/// an edit of post meta only (a staff note, a payment) changes the record but not its modification
/// time, so no incremental query can see it. A trashed record leaves every list but is still served
/// by id with `status: "trash"`; a deleted one answers `404 mphb_rest_invalid_id`.
public enum DemoSiteChange: Sendable, Hashable {
    /// Sets a booking's status (a post edit).
    case setBookingStatus(id: Int, status: String)
    /// Sets a booking's customer note (post meta only: `post_modified` stays).
    case setBookingNote(id: Int, note: String)
    /// Adds a booking, a copy of booking `copying` with a new id, created now.
    case addBooking(copying: Int)
    /// Puts line `line` of a booking in another unit (staff picking another room in the booking
    /// editor: a post edit).
    case moveBookingLine(id: Int, line: Int, toAccommodation: Int)
    /// Moves a booking to the trash.
    case trashBooking(id: Int)
    /// Restores a trashed booking to the status it had.
    case restoreBooking(id: Int)
    /// Deletes a booking for good (`force=true`).
    case deleteBooking(id: Int)
    /// Moves an accommodation (a unit) to the trash; bookings keep referencing it.
    case trashAccommodation(id: Int)
    /// Restores a trashed accommodation.
    case restoreAccommodation(id: Int)
    /// Deletes an accommodation for good.
    case deleteAccommodation(id: Int)
    /// Disables a rate: it is no longer listed, bookings keep referencing it.
    case disableRate(id: Int)
}
