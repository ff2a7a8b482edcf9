import Foundation
import NIOCore
import NIOPosix
import PorterTestHarness
import Testing

@testable import Legacy

/// The MySQL/MariaDB session store against a real MariaDB: Symfony's table layout and a Unix
/// expiry column, values byte for byte, expiry, ids that look like SQL staying data, and a dead
/// server giving an error rather than a hang.
@Suite("MariaDB sessions")
struct SQLSessionsTests {
    @Test func sessionsAreStoredReadTouchedAndDeletedWithBoundParameters() async throws {
        try await withMariaDB { socket, pool, loop in
            let made = try Harness.mariadb(
                socket: socket,
                "CREATE TABLE app.plain (id VARBINARY(128) PRIMARY KEY, data MEDIUMBLOB NOT NULL, expires BIGINT NOT NULL)"
            )
            #expect(made.status == 0, "\(made.stderr)")
            var symfony = SQLSessionsConfiguration(database: "app", table: "sessions")
            symfony.socket = socket
            let store = try SQLSessions(configuration: symfony, pool: pool)
            let id = Array("abc123".utf8)
            let value: [UInt8] = Array("_sf2_attributes|a:1:{s:4:\"user\";s:3:\"bob\";}".utf8) + [0, 13, 10, 255]
            try await store.write(id, value, ttl: 1440, on: loop).get()
            let read = try await store.read(id, on: loop).get()
            #expect(read?.data == value && (read?.ttl ?? 0) > 1430)
            // The row is what Symfony's PdoSessionHandler would find.
            let row = try Harness.mariadb(socket: socket, "SELECT sess_lifetime, HEX(sess_data) FROM app.sessions")
            #expect(row.stdout.hasPrefix("1440\t"), "\(row.stdout)")
            try await store.write(id, [], ttl: 1440, on: loop).get()
            #expect(try await store.read(id, on: loop).get()?.data == [])
            #expect(try await store.touch(id, ttl: 60, on: loop).get() == true)
            #expect((try await store.read(id, on: loop).get()?.ttl ?? 0) <= 60)
            // Expired: written 2,000 s ago with a 1,440 s lifetime.
            try Harness.mariadb(socket: socket, "UPDATE app.sessions SET sess_time = UNIX_TIMESTAMP() - 2000")
            #expect(try await store.read(id, on: loop).get() == nil)
            #expect(try await store.delete(id, on: loop).get() == true)
            #expect(try await store.delete(id, on: loop).get() == false)
            #expect(try await store.read(Array("missing".utf8), on: loop).get() == nil)

            // An id that looks like SQL is data: it matches nothing, and is stored as it is.
            let hostile = Array("x' OR '1'='1".utf8)
            try await store.write(Array("someone".utf8), Array("secret".utf8), ttl: 600, on: loop).get()
            #expect(try await store.read(hostile, on: loop).get() == nil)
            try await store.write(hostile, Array("mine".utf8), ttl: 600, on: loop).get()
            #expect(try await store.read(hostile, on: loop).get()?.data == Array("mine".utf8))
            #expect(try await store.read(Array("someone".utf8), on: loop).get()?.data == Array("secret".utf8))

            // The Unix-time layout, and a 1 MiB session, with 50 queries at once.
            var plain = SQLSessionsConfiguration(database: "app", table: "plain")
            plain.socket = socket
            plain.idColumn = "id"
            plain.dataColumn = "data"
            plain.expiry = .unixTime(column: "expires")
            let other = try SQLSessions(configuration: plain, pool: pool)
            let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            try await other.write(Array("big".utf8), big, ttl: 100, on: loop).get()
            #expect(try await other.read(Array("big".utf8), on: loop).get()?.data == big)
            let writes = (0..<50).map { other.write(Array("s\($0)".utf8), Array("v\($0)".utf8), ttl: 100, on: loop) }
            _ = try await EventLoopFuture.whenAllSucceed(writes, on: loop).get()
            let reads = try await EventLoopFuture.whenAllSucceed(
                (0..<50).map { other.read(Array("s\($0)".utf8), on: loop) }, on: loop
            ).get()
            #expect(reads.map { $0?.data } == (0..<50).map { Array("v\($0)".utf8) })

            // Names that are not plain identifiers are refused before any SQL is made.
            var bad = symfony
            bad.table = "sessions; DROP TABLE x"
            #expect(throws: SQLSessionsError.self) { try SQLSessions(configuration: bad, pool: pool) }

            // The server gone: an error, quickly.
            try Harness.mariadb(socket: socket, "SHUTDOWN")
            store.close()
            let started = ContinuousClock.now
            await #expect(throws: SQLSessionsError.self) { _ = try await store.read(id, on: loop).get() }
            #expect(ContinuousClock.now - started < .seconds(5))
            other.close()
        }
    }
}
