import Foundation

/// The one JSON encoder setting of everything the supervisor writes as JSON: API answers, events,
/// callbacks, stored options and log records. Sorted keys keep answers stable for callers that
/// compare them; slashes stay unescaped so URLs read as URLs.
public enum APIJSON {
    /// A new encoder with the shared settings (encoders are cheap; one per use keeps them unshared).
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
