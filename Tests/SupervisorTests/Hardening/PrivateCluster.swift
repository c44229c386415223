import Foundation
import Support
import TestSupport

/// A PostgreSQL cluster of one test's own, started like the test command's (scripts/lib.sh): trust
/// authentication on a free loopback port, run as the `postgres` user when the tests run as root.
/// The test may stop, start and restart it without touching the shared test server.
final class PrivateCluster: Sendable {
    let directory: URL
    let port: Int
    private let bin: URL

    /// The admin URL (database `postgres`).
    var url: String { "postgresql://postgres@127.0.0.1:\(port)/postgres" }

    private init(directory: URL, port: Int, bin: URL) {
        self.directory = directory
        self.port = port
        self.bin = bin
    }

    /// Creates and starts a cluster, runs `body`, then stops and removes it.
    static func with<T>(_ body: (PrivateCluster) async throws -> T) async throws -> T {
        let cluster = try await offPool { try PrivateCluster.create() }
        do {
            try await offPool { try cluster.start() }
            let result = try await body(cluster)
            try? await offPool { try cluster.stop() }
            try? FileManager.default.removeItem(at: cluster.directory.deletingLastPathComponent())
            return result
        } catch {
            try? await offPool { try cluster.stop() }
            try? FileManager.default.removeItem(at: cluster.directory.deletingLastPathComponent())
            throw error
        }
    }

    private static func create() throws -> PrivateCluster {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let newest = versions.compactMap(Int.init).max() else {
            throw TestSupportError("PostgreSQL server binaries not found under /usr/lib/postgresql: install postgresql (make test does)")
        }
        let bin = URL(fileURLWithPath: "/usr/lib/postgresql/\(newest)/bin")
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("tenantsync-cluster-\(UUID().uuidString.prefix(8))")
        let directory = parent.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        if getuid() == 0 {
            try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory.path)
        }
        let cluster = PrivateCluster(directory: directory, port: try freePort(), bin: bin)
        try cluster.run("initdb", ["-D", directory.path, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"])
        return cluster
    }

    func start() throws {
        let options = "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        try run("pg_ctl", ["-D", directory.path, "-w", "-t", "60", "-l", directory.appendingPathComponent("server.log").path, "-o", options, "start"])
    }

    /// Stops the server at once (`-m fast`: sessions are terminated, as an operator's restart would).
    func stop() throws {
        try run("pg_ctl", ["-D", directory.path, "-w", "-t", "60", "-m", "fast", "stop"])
    }

    /// `pg_ctl restart -m fast`.
    func restart() throws {
        try run("pg_ctl", ["-D", directory.path, "-w", "-t", "60", "-m", "fast", "-l", directory.appendingPathComponent("server.log").path, "restart"])
    }

    /// Runs one of the server's programs (as `postgres` when we are root) and fails on a non-zero exit.
    ///
    /// Spawned and reaped here rather than with Foundation's `Process`, which learns that a child
    /// ended when a descriptor it passed down closes: the server `pg_ctl start` leaves running keeps
    /// that descriptor open, so `Process` would wait for the server to stop.
    private func run(_ program: String, _ arguments: [String]) throws {
        let path = bin.appendingPathComponent(program).path
        let command = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        let outputPath = directory.deletingLastPathComponent().appendingPathComponent("\(program).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process (other tests' pipes) may live on in the server: glibc's
        // closefrom action, looked up at run time since Swift's Glibc module does not export it.
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw TestSupportError("posix_spawn_file_actions_addclosefrom_np is missing (glibc 2.34 or newer needed)")
        }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw TestSupportError("cannot start \(program): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw TestSupportError("waitpid for \(program) failed: errno \(errno)") }
        }
        // Exited normally with status 0: the low 7 bits (the signal) and the exit code are 0.
        guard status == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw TestSupportError("\(program) \(arguments.last ?? "") failed with wait status \(status): \(text)")
        }
    }

    /// A loopback port nobody listens on now.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw TestSupportError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
