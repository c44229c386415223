extension DemoSiteDataset {
    /// Generates estimates in creation order over the three years before the reference time.
    static func generateEstimates(site: DemoSite) -> [DemoEstimate] {
        let count = site.estimateCount
        var random = SplitMix64.stream(site: site.name, seed: site.seed, stream: "estimates")
        let windowStart = CivilTime.referenceSeconds - 3 * 365 * 86_400
        let step = 3 * 365 * 86_400 / Int64(max(count, 1))
        var estimates: [DemoEstimate] = []
        estimates.reserveCapacity(count)
        for index in 0..<count {
            let created = windowStart + step * Int64(index) + Int64(random.int(in: 0...Int(max(step - 1, 0))))
            let updated = min(created + Int64(random.int(in: 0...(30 * 86_400))), CivilTime.referenceSeconds)
            let hex = Array(random.hex(32))
            let id = String(hex[0..<8]) + "-" + String(hex[8..<12]) + "-4" + String(hex[13..<16]) + "-"
                + String(Array("89ab")[Int(random.next() % 4)]) + String(hex[17..<20]) + "-" + String(hex[20..<32])
            let customer = "\(random.pick(DemoVocabulary.firstNames)) \(random.pick(DemoVocabulary.lastNames))"
            let roll = random.int(in: 0...99)
            let status = roll < 20 ? "draft" : roll < 50 ? "sent" : roll < 85 ? "approved" : "rejected"
            estimates.append(
                DemoEstimate(
                    id: id,
                    name: "\(random.pick(DemoVocabulary.estimateProjects)) #\(index + 1)",
                    customerName: customer,
                    status: status,
                    totalCents: random.int(in: 500...50_000) * 100 + random.int(in: 0...99),
                    createdAt: CivilTime.dateTime(seconds: created) + "Z",
                    updatedAt: CivilTime.dateTime(seconds: updated) + "Z",
                    createdDay: created / 86_400
                )
            )
        }
        return estimates
    }
}
