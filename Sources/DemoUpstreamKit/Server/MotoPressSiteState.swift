/// A MotoPress site's collections as they are now, with the models its edits rewrite.
struct MotoPressSiteState: Sendable {
    var accommodationTypes: EncodedCollection
    /// Every unit, trashed ones included (they are served by id, never listed).
    var accommodations: EncodedCollection
    var rates: EncodedCollection
    var bookings: EncodedCollection
    let utcOffsetSeconds: Int64
    /// The models behind the records, generated on the first edit.
    private var models: Models?

    private struct Models: Sendable {
        var accommodations: [Int: DemoAccommodation]
        var rates: [Int: DemoRate]
        var bookings: [Int: DemoBooking]
        /// What a trashed post's status was, for restoring it.
        var statusBeforeTrash: [Int: String] = [:]
        var nextID: Int
    }

    init(dataset: DemoSiteDataset, utcOffsetSeconds offset: Int64) {
        self.utcOffsetSeconds = offset
        self.accommodationTypes = EncodedCollection(
            dataset.accommodationTypes, id: \.id, createdAt: { $0.createdAt - offset }, write: { $0.writeJSON(to: &$1) }
        )
        self.accommodations = EncodedCollection(
            dataset.accommodations, id: \.id, createdAt: { $0.createdAt - offset },
            visibility: { $0.isTrashed ? .trashed : .listed }, write: { $0.writeJSON(to: &$1) }
        )
        self.rates = EncodedCollection(dataset.rates, id: \.id, createdAt: { $0.createdAt - offset }, write: { $0.writeJSON(to: &$1) })
        self.bookings = EncodedCollection(dataset.bookings, id: \.id, createdAt: \.createdAtUTC, write: { $0.writeJSON(to: &$1) })
    }

    mutating func apply(_ change: DemoSiteChange, now: Int64, site: DemoSite) throws(DemoUpstreamError) {
        var models = self.models ?? Self.generateModels(site: site)
        defer { self.models = models }
        func unknown(_ kind: String, _ id: Int) -> DemoUpstreamError {
            DemoUpstreamError(code: .unknownRecord, context: "site '\(site.name)' has no \(kind) \(id)")
        }
        switch change {
        case .setBookingStatus(let id, let status):
            guard var booking = models.bookings[id] else { throw unknown("booking", id) }
            booking.status = status
            models.bookings[id] = booking
            self.rewrite(booking, modifiedAt: now)
        case .setBookingNote(let id, let note):
            guard var booking = models.bookings[id] else { throw unknown("booking", id) }
            booking.note = note
            models.bookings[id] = booking
            self.rewrite(booking, modifiedAt: nil)
        case .moveBookingLine(let id, let line, let unitID):
            guard var booking = models.bookings[id], booking.reservedAccommodations.indices.contains(line) else { throw unknown("booking", id) }
            guard let unit = models.accommodations[unitID] else { throw unknown("accommodation", unitID) }
            booking.reservedAccommodations[line].accommodation = unit.id
            booking.reservedAccommodations[line].accommodationType = unit.accommodationTypeID
            models.bookings[id] = booking
            self.rewrite(booking, modifiedAt: now)
        case .addBooking(let template):
            guard var booking = models.bookings[template] else { throw unknown("booking", template) }
            booking.id = models.nextID
            models.nextID += 1
            booking.key = "booking_\(booking.id)_" + String(booking.key.suffix(13))
            booking.status = "confirmed"
            booking.createdAtUTC = now
            booking.dateCreatedUTC = CivilTime.dateTime(seconds: now)
            booking.dateCreated = CivilTime.dateTime(seconds: now + self.utcOffsetSeconds)
            models.bookings[booking.id] = booking
            self.bookings.append(id: booking.id, json: Self.encode(booking.writeJSON), createdAt: now)
        case .trashBooking(let id):
            guard var booking = models.bookings[id] else { throw unknown("booking", id) }
            models.statusBeforeTrash[id] = booking.status
            booking.status = "trash"
            models.bookings[id] = booking
            self.rewrite(booking, modifiedAt: now)
        case .restoreBooking(let id):
            guard var booking = models.bookings[id] else { throw unknown("booking", id) }
            booking.status = models.statusBeforeTrash.removeValue(forKey: id) ?? "pending"
            models.bookings[id] = booking
            self.rewrite(booking, modifiedAt: now)
        case .deleteBooking(let id):
            guard let booking = models.bookings.removeValue(forKey: id), let index = self.bookings.index(ofID: id) else {
                throw unknown("booking", id)
            }
            self.bookings.rewrite(index, json: Self.encode(booking.writeJSON), visibility: .deleted, modifiedAt: now)
        case .trashAccommodation(let id), .restoreAccommodation(let id), .deleteAccommodation(let id):
            guard var unit = models.accommodations[id], let index = self.accommodations.index(ofID: id) else {
                throw unknown("accommodation", id)
            }
            let visibility: EncodedCollection.Visibility
            switch change {
            case .trashAccommodation: (unit.status, visibility) = ("trash", .trashed)
            case .restoreAccommodation: (unit.status, visibility) = ("publish", .listed)
            default: visibility = .deleted
            }
            models.accommodations[id] = unit
            self.accommodations.rewrite(index, json: Self.encode(unit.writeJSON), visibility: visibility, modifiedAt: now)
        case .disableRate(let id):
            guard var rate = models.rates[id], let index = self.rates.index(ofID: id) else { throw unknown("rate", id) }
            rate.status = "disabled"
            models.rates[id] = rate
            self.rates.rewrite(index, json: Self.encode(rate.writeJSON), visibility: .trashed, modifiedAt: now)
        }
    }

    /// Re-encodes `booking`: listed unless trashed.
    private mutating func rewrite(_ booking: DemoBooking, modifiedAt: Int64?) {
        guard let index = self.bookings.index(ofID: booking.id) else { return }
        self.bookings.rewrite(
            index, json: Self.encode(booking.writeJSON), visibility: booking.status == "trash" ? .trashed : .listed,
            modifiedAt: modifiedAt
        )
    }

    private static func generateModels(site: DemoSite) -> Models {
        let dataset = DemoSiteDataset(site: site)
        let largest = ([0] + dataset.accommodationTypes.map(\.id) + dataset.accommodations.map(\.id) + dataset.rates.map(\.id)
            + dataset.bookings.flatMap { [$0.id] + $0.payments.map(\.id) }).max() ?? 0
        return Models(
            accommodations: Dictionary(uniqueKeysWithValues: dataset.accommodations.map { ($0.id, $0) }),
            rates: Dictionary(uniqueKeysWithValues: dataset.rates.map { ($0.id, $0) }),
            bookings: Dictionary(uniqueKeysWithValues: dataset.bookings.map { ($0.id, $0) }),
            nextID: largest + 1_000
        )
    }

    private static func encode(_ write: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter()
        write(&writer)
        return writer.bytes
    }
}
