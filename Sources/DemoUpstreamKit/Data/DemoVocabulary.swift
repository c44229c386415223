/// Word lists the generators draw names, places and notes from.
enum DemoVocabulary {
    static let roomTypes = [
        "Standard Double", "Deluxe King", "Family Suite", "Twin Room", "Junior Suite", "Sea View Studio",
        "Garden Cottage", "Penthouse", "Economy Single", "Superior Queen", "Loft Apartment", "Bungalow",
    ]
    static let bedTypes = ["Queen", "King", "Twin", "Double", "Single", "Bunk"]
    static let views = ["Sea view", "City view", "Garden view", "Pool view", "Mountain view", ""]
    static let categories = ["Rooms", "Suites", "Apartments", "Cottages"]
    static let tags = ["family", "romantic", "pet friendly", "accessible", "quiet"]
    static let amenities = ["Wi-Fi", "Air conditioning", "Minibar", "Balcony", "Kitchenette", "Bathtub", "Safe"]
    static let services = [("Breakfast", 1_500), ("Airport transfer", 4_000), ("Late checkout", 2_500)]
    static let firstNames = [
        "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Sophia", "Elijah", "Mia", "Lucas", "Hannah",
        "Mateo", "Chloe", "Leon", "Julia", "Hugo", "Sofia", "Luca", "Ines", "Finn", "Aoife", "Jakub", "Zoe",
    ]
    static let lastNames = [
        "Smith", "Johnson", "Garcia", "Muller", "Rossi", "Dubois", "Jansen", "Kowalski", "Brown", "Novak",
        "Silva", "Murphy", "Schmidt", "Lopez", "Bianchi", "Martin", "de Vries", "Nielsen", "O'Brien", "Tanaka",
    ]
    /// (country, state, city, zip)
    static let places = [
        ("US", "CA", "San Diego", "92101"), ("US", "NY", "New York", "10001"), ("GB", "", "London", "SW1A 1AA"),
        ("DE", "", "Berlin", "10115"), ("FR", "", "Paris", "75001"), ("ES", "", "Madrid", "28001"),
        ("IT", "", "Rome", "00184"), ("NL", "", "Amsterdam", "1012 AB"), ("CA", "ON", "Toronto", "M5H 2N2"),
        ("AU", "NSW", "Sydney", "2000"), ("PL", "", "Warsaw", "00-001"), ("IE", "", "Dublin", "D02 X285"),
    ]
    static let streets = ["Main Street", "Harbour Road", "Elm Avenue", "Station Square", "Park Lane", "Mill Road"]
    static let notes = [
        "Late arrival, around 22:00.", "Celebrating an anniversary.", "Please prepare a baby cot.",
        "Travelling with a small dog.", "Ground floor if possible.", "Early check-in requested \"if available\".",
    ]
    static let internalNotes = [
        "Guest called to confirm arrival time.", "Deposit received by bank transfer.",
        "Upgrade offered at check-in.", "Invoice sent to company address.",
    ]
    /// (ical_summary, ical_prodid)
    static let icalSources = [
        ("Airbnb (Not available)", "-//Airbnb Inc//Hosting Calendar 0.8.8//EN"),
        ("CLOSED - Not available", "-//Booking.com//NONSGML Booking Calendar//EN"),
        ("Reserved", "-//HomeAway.com, Inc.//NONSGML Calendar//EN"),
    ]
    static let estimateProjects = [
        "Kitchen remodel", "Bathroom refresh", "Roof repair", "Deck build", "Window replacement",
        "Basement finish", "Exterior paint", "HVAC upgrade", "Garage conversion", "Fence install",
    ]
    static let currencies = ["EUR", "USD", "GBP", "EUR", "USD"]
    static let utcOffsetsHours = [0, 1, 2, -5, -8, 10]
}
