/// A connector setting as the configuration may write it: a JSON string, number or boolean.
///
/// Connectors read every setting as text, so `"per_page": 50`, `"per_page": "50"` and
/// `"exclude_cancelled": true` all reach the worker as `"50"` and `"true"`. Whole numbers keep no
/// decimal point; `null`, arrays and objects are rejected with a message naming the setting.
struct SettingText: Decodable, Sendable, Equatable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let flag = try? container.decode(Bool.self) {
            text = flag ? "true" : "false"
        } else if let whole = try? container.decode(Int.self) {
            text = String(whole)
        } else if let number = try? container.decode(Double.self), number.isFinite {
            text = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        } else {
            throw DecodingError.typeMismatch(String.self, DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "a setting must be a string, a number or true/false"
            ))
        }
    }
}
