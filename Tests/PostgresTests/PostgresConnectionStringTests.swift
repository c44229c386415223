import Postgres
import Testing

@Suite("PostgresConnectionString: the password, as libpq reads it")
struct PostgresConnectionStringTests {
    @Test("every form libpq accepts", arguments: [
        ("postgresql://app:hunter2@db.internal:5432/app", "hunter2"),
        ("postgres://app:p%40ss%20word@db/app", "p@ss word"),
        ("postgresql://app@db/app?password=in-the-query", "in-the-query"),
        ("host=db user=app password=plain dbname=app", "plain"),
        (#"host=db password='quoted \' and spaced' dbname=app"#, "quoted ' and spaced"),
    ])
    func password(conninfo: String, expected: String) {
        #expect(PostgresConnectionString.password(in: conninfo) == expected)
    }

    @Test("none, empty or unparseable is nil", arguments: [
        "postgresql://app@db/app", "postgresql://app:@db/app", "host=db dbname=app", "host=db password='unterminated", "not a conninfo",
    ])
    func noPassword(conninfo: String) {
        #expect(PostgresConnectionString.password(in: conninfo) == nil)
    }
}
