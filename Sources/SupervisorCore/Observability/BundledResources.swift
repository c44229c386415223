import Foundation

/// Files shipped with the supervisor as SwiftPM resources: the OpenAPI document and the dashboard.
///
/// SwiftPM copies them into `tenantsync_SupervisorCore.resources` beside the built executables, so an
/// installation must copy that directory along with `tenantsync` and `tenantsync-worker`
/// (docs/operations.md). SwiftPM's own `Bundle.module` stops the process when the directory is missing;
/// this lookup throws instead, so only the routes that need a file fail, with a message that says why.
enum BundledResources {
    /// The resource directory's name, as SwiftPM names it: `<package>_<target>.resources`.
    static let directoryName = "tenantsync_SupervisorCore.resources"

    /// The contents of `path`, relative to the resource directory (`openapi.json`, `Assets/app.js`).
    static func data(_ path: String) throws(ResourceError) -> Data {
        for directory in candidateDirectories() {
            let url = directory.appendingPathComponent(path)
            if let data = try? Data(contentsOf: url) { return data }
        }
        throw ResourceError(
            "resource \(path) not found: copy the \(directoryName) directory of the build beside the tenantsync executable"
        )
    }

    /// Beside the running executable first (an installation, or a test bundle beside the products), then
    /// wherever Foundation thinks the main bundle is.
    private static func candidateDirectories() -> [URL] {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return [
            executable.appendingPathComponent(directoryName),
            Bundle.main.bundleURL.appendingPathComponent(directoryName),
        ]
    }
}
