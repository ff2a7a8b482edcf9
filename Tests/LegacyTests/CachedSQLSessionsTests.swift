import NIOCore
import NIOPosix
import PorterTestHarness
import Testing

@testable import Legacy

/// Memcached in front of MariaDB, as Hootsuite ran sessions: reads hit Memcached, fall back to
/// the table and fill Memcached; writes reach both; Memcached down costs nothing but speed.
@Suite("Memcached + MariaDB sessions")
struct CachedSQLSessionsTests {
    @Test func readsFallBackToTheTableAndFillTheCache() async throws {
        try await withCachedStore { store, memcached, socket, loop in
            func on<T: Sendable>(_ body: @escaping @Sendable (CachedSQLSessions) -> EventLoopFuture<T>) async throws
                -> T
            {
                try await loop.flatSubmit { body(store) }.get()
            }
            let cache = try RedisTestClient(port: memcached.port)
            func cached(_ id: String) throws -> Bool {
                try cache.send(raw: Array("get memc.sess.key.\(id)\r\n".utf8))
                let first = String(decoding: try cache.readLineBytes(), as: UTF8.self)
                if first == "END" { return false }
                _ = try cache.readLineBytes()  // the value
                _ = try cache.readLineBytes()  // END
                return true
            }

            let id = Array("u1".utf8)
            try await on { $0.write(id, Array("user|s:3:\"bob\";".utf8), ttl: 600, on: loop) }
            #expect(try cached("u1"))
            #expect(
                try Harness.mariadb(socket: socket, "SELECT sess_data FROM app.sessions").stdout.contains("bob"))
            #expect(try await on { $0.read(id, on: loop) }?.data == Array("user|s:3:\"bob\";".utf8))
            // Memcached lost it (evicted, restarted): the table answers, and refills it.
            try cache.send(raw: Array("flush_all\r\n".utf8))
            _ = try cache.readLineBytes()
            let fromTable = try await on { $0.read(id, on: loop) }
            #expect(fromTable?.data == Array("user|s:3:\"bob\";".utf8) && (fromTable?.ttl ?? 0) > 590)
            #expect(try cached("u1"))
            #expect(try await on { $0.touch(id, ttl: 900, on: loop) } == true)
            #expect(try await on { $0.delete(id, on: loop) } == true)
            #expect(try !cached("u1"))
            #expect(try await on { $0.read(id, on: loop) } == nil)

            // Memcached down: writes and reads still work through the table.
            memcached.kill()
            try await on { $0.write(Array("u2".utf8), Array("x".utf8), ttl: 600, on: loop) }
            #expect(try await on { $0.read(Array("u2".utf8), on: loop) }?.data == Array("x".utf8))
        }
    }
}

/// php-memcached's own values: a small session is a plain string Porter takes from the cache
/// (and php-memcached reads what Porter writes); a large one php-memcached compresses, which
/// Porter does not decode: it reads the table instead, so it never hands out compressed bytes.
@Suite("php-memcached values")
struct PHPMemcachedTests {
    static let script = Harness.packageRoot.appendingPathComponent(
        "Tests/IntegrationTests/Clients/php_memcached_session.php"
    ).path

    @Test func plainValuesAreSharedAndCompressedOnesFallBackToTheTable() async throws {
        try await withCachedStore { store, memcached, socket, loop in
            func php(_ args: String...) throws -> String {
                let r = try Harness.run("php", [Self.script, "\(memcached.port)"] + args)
                #expect(r.status == 0, "\(r.stderr)")
                return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            func md5(_ data: [UInt8]) throws -> String {
                let r = try Harness.run("md5sum", [], input: String(decoding: data, as: UTF8.self))
                return String(r.stdout.prefix(32))
            }
            // Small: php-memcached stores the string as it is.
            let small = try php("memc.sess.key.small", "write", "300")
            let read = try await loop.flatSubmit { store.read(Array("small".utf8), on: loop) }.get()
            let readSum = try read.map { "\(try md5($0.data)) \($0.data.count)" }
            #expect(readSum == small)
            // What Porter writes, php-memcached reads.
            let mine = Array("user|s:5:\"alice\";".utf8)
            try await loop.flatSubmit { store.write(Array("mine".utf8), mine, ttl: 600, on: loop) }.get()
            let mineSum = "\(try md5(mine)) \(mine.count)"
            #expect(try php("memc.sess.key.mine", "read") == mineSum)
            // Large: compressed by php-memcached; Porter reads the table's copy instead.
            _ = try php("memc.sess.key.large", "write", "5000")
            try Harness.mariadb(
                socket: socket,
                "INSERT INTO app.sessions VALUES ('large', 'from the table', 600, UNIX_TIMESTAMP())")
            let large = try await loop.flatSubmit { store.read(Array("large".utf8), on: loop) }.get()
            #expect(large?.data == Array("from the table".utf8))
        }
    }
}

/// Memcached and MariaDB (`withMariaDB`), and a `CachedSQLSessions` over them on one loop.
func withCachedStore(
    _ body: (CachedSQLSessions, _ memcached: ServerProcess, _ socket: String, _ loop: EventLoop) async throws -> Void
) async throws {
    let memcached = try await Harness.startMemcached()
    try await finally {
        try await withMariaDB { socket, pool, loop in
            var configuration = SQLSessionsConfiguration(database: "app", table: "sessions")
            configuration.socket = socket
            let sql = try SQLSessions(configuration: configuration, pool: pool)
            let store = try await loop.submit {
                CachedSQLSessions(
                    memcached: MemcachedConnection(
                        configuration: MemcachedConfiguration(host: "127.0.0.1", port: memcached.port),
                        eventLoop: loop),
                    sql: sql)
            }.get()
            try await finally {
                try await body(store, memcached, socket, loop)
            } stop: {
                try? await loop.submit { store.memcached.close() }.get()
                sql.close()
            }
        }
    } stop: {
        memcached.stop()
    }
}
