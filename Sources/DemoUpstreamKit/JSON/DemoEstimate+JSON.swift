extension DemoEstimate {
    /// Writes the estimate with the estimates API's snake_case field names.
    func writeJSON(to json: inout JSONWriter) {
        json.openObject()
        json.field("id", self.id)
        json.field("name", self.name)
        json.field("customer_name", self.customerName)
        json.field("status", self.status)
        json.moneyField("total", self.totalCents)
        json.field("created_at", self.createdAt)
        json.field("updated_at", self.updatedAt)
        json.closeObject()
    }
}
