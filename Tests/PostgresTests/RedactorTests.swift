@testable import Postgres
import Testing

@Suite("Redactor")
struct RedactorTests {
    @Test func scrubsThePasswordInEveryForm() {
        let redactor = Redactor(conninfo: "postgresql://app:hunter2secret@db.internal:5432/app")
        let messages = [
            "could not connect with password=hunter2secret",
            "postgresql://app:hunter2secret@db.internal:5432/app is unreachable",
            "literal hunter2secret somewhere",
            "PASSWORD = 'quoted secret' trailing",
            "uri postgres://other:topsecret@host/db",
        ]
        for message in messages {
            let scrubbed = redactor.scrub(message)
            #expect(!scrubbed.contains("hunter2secret"), "\(scrubbed)")
            #expect(!scrubbed.contains("secret'"), "\(scrubbed)")
            #expect(!scrubbed.contains("topsecret"), "\(scrubbed)")
        }
        #expect(redactor.scrub("relation \"x\" does not exist") == "relation \"x\" does not exist")
    }
}
