extension DemoSiteDataset {
    /// Generates bookings in creation order, spread over the 400 days before the reference time,
    /// with check-ins from about a year ago to about a year ahead.
    ///
    /// About 10% have two or three rooms and about 5% are imported iCal blocks. When there are at
    /// least six bookings, six evenly spaced ones take each status once, so every status appears; each
    /// trashed unit is likewise forced into one booking so that some booking references it.
    static func generateBookings(site: DemoSite, catalog: inout Catalog) -> [DemoBooking] {
        let count = site.bookingCount
        var random = SplitMix64.stream(site: site.name, seed: site.seed, stream: "bookings")
        let units = catalog.accommodations
        let typeIndexByID = Dictionary(uniqueKeysWithValues: catalog.types.enumerated().map { ($1.id, $0) })
        let offset = Int64(catalog.utcOffsetHours) * 3600

        var forcedStatus: [Int: String] = [:]
        if count >= DemoBooking.statuses.count {
            for (slot, status) in DemoBooking.statuses.enumerated() {
                forcedStatus[slot * count / DemoBooking.statuses.count] = status
            }
        }
        var forcedUnit: [Int: Int] = [:]
        let trashed = units.indices.filter { units[$0].isTrashed }
        if count > 0 {
            for (slot, unitIndex) in trashed.enumerated() {
                forcedUnit[(slot * count / trashed.count + count / (2 * trashed.count)) % count] = unitIndex
            }
        }

        let windowStart = CivilTime.referenceSeconds - 400 * 86_400
        let window: Int64 = 400 * 86_400 - 3600
        var bookings: [DemoBooking] = []
        bookings.reserveCapacity(count)
        for index in 0..<count {
            let step = window / Int64(max(count, 1))
            let created = windowStart + step * Int64(index) + Int64(random.int(in: 0...Int(max(step - 1, 0))))
            let status = forcedStatus[index]
            let imported = status == nil && random.chance(0.05)
            let id = catalog.takeID()

            let lead = imported || random.chance(0.5) ? random.int(in: 0...330) : random.int(in: 0...30)
            let checkIn = created / 86_400 + Int64(lead)
            let nights = random.chance(0.7) ? random.int(in: 1...4) : random.int(in: 5...14)
            let checkOut = checkIn + Int64(nights)

            var roomCount = imported ? 1 : (random.chance(0.1) ? random.int(in: 2...3) : 1)
            roomCount = min(roomCount, units.count)
            var unitIndices: [Int] = []
            if let forced = forcedUnit[index] { unitIndices.append(forced) }
            while unitIndices.count < roomCount {
                let candidate = random.int(in: 0...(units.count - 1))
                if !unitIndices.contains(candidate) { unitIndices.append(candidate) }
            }

            let bookingStatus = status ?? (imported ? "confirmed" : Self.weightedStatus(&random))
            let firstName = random.pick(DemoVocabulary.firstNames)
            let lastName = random.pick(DemoVocabulary.lastNames)
            let customer: DemoBooking.Customer
            if imported {
                customer = .empty
            } else {
                let place = random.pick(DemoVocabulary.places)
                let mailbox = "\(firstName).\(lastName)".lowercased().filter { $0.isLetter || $0 == "." }
                customer = DemoBooking.Customer(
                    firstName: firstName,
                    lastName: lastName,
                    email: "\(mailbox)\(id % 997)@example.com",
                    phone: "+1 555 01\(random.int(in: 10...99))",
                    country: place.0,
                    state: place.1,
                    city: place.2,
                    zip: place.3,
                    address1: "\(random.int(in: 1...240)) \(random.pick(DemoVocabulary.streets))"
                )
            }
            let coupon = !imported && random.chance(0.06)

            var rooms: [DemoReservedAccommodation] = []
            for (roomIndex, unitIndex) in unitIndices.enumerated() {
                let unit = units[unitIndex]
                let typeIndex = typeIndexByID[unit.accommodationTypeID]!
                let type = catalog.types[typeIndex]
                _ = catalog.takeID()  // the reserved-room post
                if imported {
                    rooms.append(
                        DemoReservedAccommodation(
                            accommodation: unit.id, accommodationType: type.id, rate: 0, adults: 1, children: 0,
                            guestName: "", services: [], accommodationPricePerDays: [], fees: [],
                            accommodationTaxes: [], serviceTaxes: [], feeTaxes: [], discountCents: 0
                        )
                    )
                    continue
                }
                let adults = random.int(in: 1...type.adults)
                let children = type.children > 0 && random.chance(0.3) ? random.int(in: 1...type.children) : 0
                var perDay: [DemoReservedAccommodation.NightPrice] = []
                perDay.reserveCapacity(nights)
                for night in 0..<Int64(nights) {
                    let day = checkIn + night
                    var cents = catalog.nightlyCents[typeIndex]
                    let weekday = (day + 4) % 7  // 0 is Sunday; 1970-01-01 was a Thursday
                    if weekday == 5 || weekday == 6 { cents = cents * 6 / 5 }
                    let month = CivilTime.civil(days: day).month
                    if (6...8).contains(month) { cents = cents * 5 / 4 }
                    perDay.append(.init(date: CivilTime.date(days: day), priceCents: cents))
                }
                var services: [DemoReservedAccommodation.Service] = []
                if random.chance(0.25), let breakfast = catalog.services.first {
                    services.append(
                        .init(id: breakfast.id, adults: adults, quantity: nights, priceCents: breakfast.cents * adults * nights)
                    )
                }
                let fees: [DemoReservedAccommodation.Charge] =
                    random.chance(0.15) ? [.init(label: "Cleaning fee", valueCents: 3_000)] : []
                let taxes: [DemoReservedAccommodation.Charge] =
                    catalog.chargesCityTax ? [.init(label: "City tax", valueCents: 250 * adults * nights)] : []
                let nightsTotal = perDay.reduce(0) { $0 + $1.priceCents }
                rooms.append(
                    DemoReservedAccommodation(
                        accommodation: unit.id,
                        accommodationType: type.id,
                        rate: catalog.rates[typeIndex].id,
                        adults: adults,
                        children: children,
                        guestName: roomIndex == 0 || random.chance(0.5)
                            ? "\(random.pick(DemoVocabulary.firstNames)) \(lastName)" : "",
                        services: services,
                        accommodationPricePerDays: perDay,
                        fees: fees,
                        accommodationTaxes: taxes,
                        serviceTaxes: [],
                        feeTaxes: [],
                        discountCents: coupon ? nightsTotal / 10 : 0
                    )
                )
            }
            let total = rooms.reduce(0) { $0 + $1.totalCents }

            var payments: [DemoBooking.Payment] = []
            let paymentStatus: String? =
                switch bookingStatus {
                case "confirmed": "mphb-p-completed"
                case "pending-payment": "mphb-p-pending"
                case "cancelled": random.chance(0.5) ? "mphb-p-refunded" : nil
                case "abandoned": random.chance(0.5) ? "mphb-p-abandoned" : nil
                default: nil
                }
            if let paymentStatus, !imported {
                payments.append(.init(id: catalog.takeID(), status: paymentStatus, amountCents: total, currency: catalog.currency))
            }
            let source = random.pick(DemoVocabulary.icalSources)
            let note = !imported && random.chance(0.15) ? random.pick(DemoVocabulary.notes) : ""
            let internalNotes: [DemoBooking.InternalNote] =
                !imported && random.chance(0.08)
                ? [.init(note: random.pick(DemoVocabulary.internalNotes), user: 1, dateUTC: CivilTime.dateTime(seconds: created - offset + 3600))]
                : []

            bookings.append(
                DemoBooking(
                    id: id,
                    status: bookingStatus,
                    dateCreated: CivilTime.dateTime(seconds: created),
                    dateCreatedUTC: CivilTime.dateTime(seconds: created - offset),
                    key: "booking_\(id)_\(random.hex(13))",
                    checkInDate: CivilTime.date(days: checkIn),
                    checkOutDate: CivilTime.date(days: checkOut),
                    checkInTime: catalog.checkInTime,
                    checkOutTime: catalog.checkOutTime,
                    customer: customer,
                    reservedAccommodations: rooms,
                    couponCode: coupon ? "WELCOME10" : "",
                    currency: catalog.currency,
                    totalPriceCents: total,
                    payments: payments,
                    imported: imported,
                    icalDescription: "",
                    icalProdid: imported ? source.1 : "",
                    icalSummary: imported ? source.0 : "",
                    note: note,
                    internalNotes: internalNotes,
                    createdAtUTC: created - offset
                )
            )
        }
        return bookings
    }

    /// Confirmed most of the time, the rest spread over the other five statuses.
    private static func weightedStatus(_ random: inout SplitMix64) -> String {
        let roll = random.int(in: 0...99)
        switch roll {
        case 0..<58: return "confirmed"
        case 58..<70: return "cancelled"
        case 70..<79: return "pending"
        case 79..<86: return "pending-payment"
        case 86..<92: return "pending-user"
        default: return "abandoned"
        }
    }
}
