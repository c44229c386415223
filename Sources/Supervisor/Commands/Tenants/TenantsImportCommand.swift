import ArgumentParser
import Foundation

/// `tenantsync tenants import FILE`: stores every tenant a file holds, once, through the API.
///
/// The file is a configuration file (its `tenants`), a JSON array of tenants, or one tenant. Imported tenants
/// are the API's: a later start or SIGHUP of a supervisor whose own file does not name them leaves them alone.
struct TenantsImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Store every tenant of a file in the registry, once.")

    @OptionGroup var api: APIOptions

    @Argument(help: "A configuration file, a JSON array of tenants or one tenant (- for standard input).")
    var file: String

    func run() throws {
        let tenants: [[String: Any]]
        switch try TenantJSON.read(file) {
        case let list as [[String: Any]]: tenants = list
        case let object as [String: Any] where object["tenants"] != nil:
            guard let list = object["tenants"] as? [[String: Any]] else { throw ValidationError("\(file): tenants must be an array of objects") }
            tenants = list
        case let object as [String: Any]: tenants = [object]
        default: throw ValidationError("\(file) holds neither tenants nor a configuration")
        }
        var failed = 0
        for tenant in tenants {
            guard let id = tenant["id"] as? String else {
                print("skipped a tenant without an id")
                failed += 1
                continue
            }
            do {
                let answer = try api.request("PUT", "/api/tenants/\(id)", body: try TenantJSON.data(tenant))
                print(TenantJSON.outcome(of: answer, tenant: id))
            } catch let error as ValidationError {
                print("\(id) refused: \(error.message)")
                failed += 1
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
