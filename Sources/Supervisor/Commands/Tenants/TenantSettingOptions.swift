import ArgumentParser
import Foundation

/// Settings given on the command line: `NAME=VALUE`, or `NAME=ENV_VAR` read from the environment, so that
/// secrets need not appear in the command line (which other users of the machine can see).
struct TenantSettingOptions: ParsableArguments {
    @Option(name: .customLong("setting"), help: "A setting, NAME=VALUE (repeatable). Prefer --setting-from-env for secrets.")
    var settings: [String] = []

    @Option(name: .customLong("setting-from-env"), help: "A setting whose value is in an environment variable, NAME=VARIABLE (repeatable).")
    var settingsFromEnvironment: [String] = []

    /// The settings by name.
    func values(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String: String] {
        var values: [String: String] = [:]
        for pair in settings {
            let (name, value) = try Self.split(pair, option: "--setting")
            values[name] = value
        }
        for pair in settingsFromEnvironment {
            let (name, variable) = try Self.split(pair, option: "--setting-from-env")
            guard let value = environment[variable], !value.isEmpty else {
                throw ValidationError("--setting-from-env \(name): the environment variable \(variable) is not set")
            }
            values[name] = value
        }
        return values
    }

    static func split(_ pair: String, option: String) throws -> (String, String) {
        guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
            throw ValidationError("\(option) takes NAME=VALUE, got \"\(pair.prefix(40))\"")
        }
        return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
    }
}
