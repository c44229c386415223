import ArgumentParser
import Foundation
import SupervisorCore

/// `tenantsync keys generate`: a new random master key, in base64, and its id.
struct KeysGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Make a new master key (256 random bits, base64).",
        discussion: "With --output the key is written to a new file readable by its owner only; otherwise it is printed. Its id goes to standard error."
    )

    @Option(help: "Write the key to this file (created with mode 0600; an existing file is never overwritten).")
    var output: String?

    func run() throws {
        let (key, text) = MasterKey.generate()
        if let output {
            guard !FileManager.default.fileExists(atPath: output) else { throw ValidationError("\(output) exists; a master key file is never overwritten") }
            guard FileManager.default.createFile(atPath: output, contents: Data((text + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot create \(output)")
            }
        } else {
            print(text)
        }
        FileHandle.standardError.write(Data("master key \(key.id)\n".utf8))
    }
}
