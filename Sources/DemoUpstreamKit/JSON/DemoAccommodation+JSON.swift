extension DemoAccommodation {
    /// Writes the unit with the MotoPress REST field names.
    func writeJSON(to json: inout JSONWriter) {
        json.openObject()
        json.field("id", self.id)
        json.field("status", self.status)
        json.field("accommodation_type_id", self.accommodationTypeID)
        json.field("title", self.title)
        json.field("excerpt", self.excerpt)
        json.closeObject()
    }
}
