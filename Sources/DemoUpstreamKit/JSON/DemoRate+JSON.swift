extension DemoRate {
    /// Writes the rate with the MotoPress REST field names.
    func writeJSON(to json: inout JSONWriter) {
        json.openObject()
        json.field("id", self.id)
        json.field("status", self.status)
        json.field("title", self.title)
        json.field("description", self.description)
        json.field("accommodation_type_id", self.accommodationTypeID)
        json.key("season_prices")
        json.openArray()
        for price in self.seasonPrices {
            json.openObject()
            json.field("priority", price.priority)
            json.moneyField("base_price", price.basePriceCents)
            json.field("season_id", price.seasonID)
            json.emptyArrayField("variations")
            json.closeObject()
        }
        json.closeArray()
        json.closeObject()
    }
}
