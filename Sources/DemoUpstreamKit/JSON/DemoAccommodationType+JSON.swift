extension DemoAccommodationType {
    /// Writes the type with the MotoPress REST field names.
    func writeJSON(to json: inout JSONWriter) {
        json.openObject()
        json.field("id", self.id)
        json.field("status", self.status)
        json.field("title", self.title)
        json.field("description", self.description)
        json.field("excerpt", self.excerpt)
        json.field("adults", self.adults)
        json.field("children", self.children)
        json.field("total_capacity", self.totalCapacity)
        json.field("bed_type", self.bedType)
        json.field("size", self.size)
        json.field("view", self.view)
        json.key("services")
        Self.write(self.services, nameKey: "title", to: &json)
        json.key("categories")
        Self.write(self.categories, nameKey: "name", to: &json)
        json.key("tags")
        Self.write(self.tags, nameKey: "name", to: &json)
        json.key("amenities")
        Self.write(self.amenities, nameKey: "name", to: &json)
        json.emptyArrayField("attributes")
        json.key("images")
        json.openArray()
        for image in self.images {
            json.openObject()
            json.field("id", image.id)
            json.field("src", image.src)
            json.field("title", image.title)
            json.field("alt", image.alt)
            json.closeObject()
        }
        json.closeArray()
        json.closeObject()
    }

    private static func write(_ terms: [Term], nameKey: StaticString, to json: inout JSONWriter) {
        json.openArray()
        for term in terms {
            json.openObject()
            json.field("id", term.id)
            json.field(nameKey, term.name)
            json.closeObject()
        }
        json.closeArray()
    }
}
