extension DemoBooking {
    /// Writes the booking with the MotoPress REST field names, in the order MotoPress emits them.
    func writeJSON(to json: inout JSONWriter) {
        json.openObject()
        json.field("id", self.id)
        json.field("status", self.status)
        json.field("date_created", self.dateCreated)
        json.field("date_created_utc", self.dateCreatedUTC)
        json.field("key", self.key)
        json.field("check_in_date", self.checkInDate)
        json.field("check_out_date", self.checkOutDate)
        json.field("check_in_time", self.checkInTime)
        json.field("check_out_time", self.checkOutTime)
        json.key("customer")
        json.openObject()
        json.field("first_name", self.customer.firstName)
        json.field("last_name", self.customer.lastName)
        json.field("email", self.customer.email)
        json.field("phone", self.customer.phone)
        json.field("country", self.customer.country)
        json.field("state", self.customer.state)
        json.field("city", self.customer.city)
        json.field("zip", self.customer.zip)
        json.field("address1", self.customer.address1)
        json.closeObject()
        json.key("reserved_accommodations")
        json.openArray()
        for room in self.reservedAccommodations {
            room.writeJSON(to: &json)
        }
        json.closeArray()
        json.field("coupon_code", self.couponCode)
        json.field("currency", self.currency)
        json.moneyField("total_price", self.totalPriceCents)
        json.key("payments")
        json.openArray()
        for payment in self.payments {
            json.openObject()
            json.field("id", payment.id)
            json.field("status", payment.status)
            json.moneyField("amount", payment.amountCents)
            json.field("currency", payment.currency)
            json.closeObject()
        }
        json.closeArray()
        json.field("imported", self.imported)
        json.field("ical_description", self.icalDescription)
        json.field("ical_prodid", self.icalProdid)
        json.field("ical_summary", self.icalSummary)
        json.field("note", self.note)
        json.key("internal_notes")
        json.openArray()
        for note in self.internalNotes {
            json.openObject()
            json.field("note", note.note)
            json.field("user", note.user)
            json.field("date_utc", note.dateUTC)
            json.closeObject()
        }
        json.closeArray()
        json.closeObject()
    }
}

extension DemoReservedAccommodation {
    func writeJSON(to json: inout JSONWriter) {
        json.openObject()
        json.field("accommodation", self.accommodation)
        json.field("accommodation_type", self.accommodationType)
        json.field("rate", self.rate)
        json.field("adults", self.adults)
        json.field("children", self.children)
        json.field("guest_name", self.guestName)
        json.key("services")
        json.openArray()
        for service in self.services {
            json.openObject()
            json.field("id", service.id)
            json.field("adults", service.adults)
            json.field("quantity", service.quantity)
            json.moneyField("price", service.priceCents)
            json.closeObject()
        }
        json.closeArray()
        json.key("accommodation_price_per_days")
        json.openArray()
        for night in self.accommodationPricePerDays {
            json.openObject()
            json.field("date", night.date)
            json.moneyField("price", night.priceCents)
            json.closeObject()
        }
        json.closeArray()
        json.key("fees")
        Self.write(self.fees, to: &json)
        json.key("taxes")
        json.openObject()
        json.key("accommodation")
        Self.write(self.accommodationTaxes, to: &json)
        json.key("services")
        Self.write(self.serviceTaxes, to: &json)
        json.key("fees")
        Self.write(self.feeTaxes, to: &json)
        json.closeObject()
        json.moneyField("discount", self.discountCents)
        json.closeObject()
    }

    private static func write(_ charges: [Charge], to json: inout JSONWriter) {
        json.openArray()
        for charge in charges {
            json.openObject()
            json.field("label", charge.label)
            json.moneyField("value", charge.valueCents)
            json.closeObject()
        }
        json.closeArray()
    }
}
