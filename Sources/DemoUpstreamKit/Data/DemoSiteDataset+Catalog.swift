extension DemoSiteDataset {
    /// The site's fixed set-up: types, units, rates, services, and the next free post id.
    ///
    /// WordPress gives every post one id sequence, so types, services, seasons, units, rates,
    /// bookings, reserved rooms and payments all draw from `nextID` in creation order.
    struct Catalog {
        var currency: String
        var utcOffsetHours: Int
        var checkInTime: String
        var checkOutTime: String
        var chargesCityTax: Bool
        var types: [DemoAccommodationType] = []
        var accommodations: [DemoAccommodation] = []
        var rates: [DemoRate] = []
        /// Nightly base price in cents, by index in `types`.
        var nightlyCents: [Int] = []
        /// (id, price in cents per adult and night)
        var services: [(id: Int, cents: Int)] = []
        var nextID = 10

        mutating func takeID() -> Int {
            defer { self.nextID += 1 }
            return self.nextID
        }

        static func generate(site: DemoSite) -> Catalog {
            var random = SplitMix64.stream(site: site.name, seed: site.seed, stream: "catalog")
            var catalog = Catalog(
                currency: random.pick(DemoVocabulary.currencies),
                utcOffsetHours: random.pick(DemoVocabulary.utcOffsetsHours),
                checkInTime: random.pick(["14:00:00", "15:00:00", "16:00:00"]),
                checkOutTime: random.pick(["10:00:00", "11:00:00", "12:00:00"]),
                chargesCityTax: random.chance(0.5)
            )
            // Set-up happened two years before the reference time, one post a minute.
            var clock = CivilTime.referenceSeconds - 730 * 86_400 - 5 * 3600
            func tick() -> Int64 {
                clock += 60
                return clock
            }

            var serviceTerms: [DemoAccommodationType.Term] = []
            for (title, cents) in DemoVocabulary.services {
                let id = catalog.takeID()
                _ = tick()
                catalog.services.append((id, cents))
                serviceTerms.append(.init(id: id, name: title))
            }
            let allYearSeason = catalog.takeID()
            let summerSeason = catalog.takeID()

            let typeCount = max(1, (site.accommodationCount + 4) / 5)
            for index in 0..<typeCount {
                let base = DemoVocabulary.roomTypes[index % DemoVocabulary.roomTypes.count]
                let round = index / DemoVocabulary.roomTypes.count
                let title = round == 0 ? base : "\(base) \(round + 1)"
                let adults = random.int(in: 1...4)
                let children = random.int(in: 0...2)
                let id = catalog.takeID()
                let slug = title.lowercased().split(separator: " ").joined(separator: "-")
                let categoryIndex = random.int(in: 0...(DemoVocabulary.categories.count - 1))
                let amenityIndices = (0..<DemoVocabulary.amenities.count).filter { _ in random.chance(0.5) }
                catalog.types.append(
                    DemoAccommodationType(
                        id: id,
                        status: "publish",
                        title: title,
                        description: "<p>A \(title.lowercased()) for up to \(adults + children) guests.</p>",
                        excerpt: "Comfortable \(title.lowercased()).",
                        adults: adults,
                        children: children,
                        totalCapacity: adults + children,
                        bedType: random.pick(DemoVocabulary.bedTypes),
                        size: random.int(in: 14...80),
                        view: random.pick(DemoVocabulary.views),
                        services: serviceTerms.filter { _ in random.chance(0.6) },
                        categories: [.init(id: 2 + categoryIndex, name: DemoVocabulary.categories[categoryIndex])],
                        tags: DemoVocabulary.tags.indices.filter { _ in random.chance(0.3) }.map {
                            .init(id: 10 + $0, name: DemoVocabulary.tags[$0])
                        },
                        amenities: amenityIndices.map { .init(id: 20 + $0, name: DemoVocabulary.amenities[$0]) },
                        images: [
                            .init(
                                id: 5_000 + index,
                                src: "https://\(site.name).example/wp-content/uploads/2023/11/\(slug).jpg",
                                title: title,
                                alt: "\(title) interior"
                            )
                        ],
                        createdAt: tick()
                    )
                )
                catalog.nightlyCents.append(random.int(in: 6...32) * 1_000)
            }

            let total = site.accommodationCount + site.trashedAccommodationCount
            var perType = [Int](repeating: 0, count: typeCount)
            for index in 0..<total {
                let typeIndex = index % typeCount
                perType[typeIndex] += 1
                let type = catalog.types[typeIndex]
                catalog.accommodations.append(
                    DemoAccommodation(
                        id: catalog.takeID(),
                        status: index < site.accommodationCount ? "publish" : "trash",
                        accommodationTypeID: type.id,
                        title: "\(type.title) \(perType[typeIndex])",
                        excerpt: "",
                        createdAt: tick()
                    )
                )
            }

            for (typeIndex, type) in catalog.types.enumerated() {
                let nightly = catalog.nightlyCents[typeIndex]
                catalog.rates.append(
                    DemoRate(
                        id: catalog.takeID(),
                        status: "active",
                        title: "\(type.title) Standard Rate",
                        description: "Free cancellation up to 7 days before arrival.",
                        accommodationTypeID: type.id,
                        seasonPrices: [
                            .init(priority: 0, basePriceCents: nightly, seasonID: allYearSeason),
                            .init(priority: 1, basePriceCents: nightly * 5 / 4, seasonID: summerSeason),
                        ],
                        createdAt: tick()
                    )
                )
            }
            return catalog
        }
    }
}
