import Foundation
import PorterApp
import PorterTestHarness
import Testing

/// The stores a migration moves sessions between: a real redis-server, memcached and MariaDB
/// (with Symfony's session table), all stopped by `stop()`.
final class MigrationStores: @unchecked Sendable {
    let redis: ServerProcess
    let memcached: ServerProcess!
    let mariadb: ServerProcess!
    var socket: String { self.mariadb.directory.appendingPathComponent("mariadb.sock").path }

    init(redis: ServerProcess, memcached: ServerProcess?, mariadb: ServerProcess?) {
        self.redis = redis
        self.memcached = memcached
        self.mariadb = mariadb
    }

    /// Redis, and unless `sql` is false memcached and MariaDB.
    static func start(sql: Bool = true) async throws -> MigrationStores {
        let redis = try await Harness.startRedis()
        guard sql else { return MigrationStores(redis: redis, memcached: nil, mariadb: nil) }
        let memcached = try await Harness.startMemcached()
        let mariadb = try await Harness.startMariaDB()
        let stores = MigrationStores(redis: redis, memcached: memcached, mariadb: mariadb)
        let created = try Harness.mariadb(
            socket: stores.socket,
            """
            CREATE DATABASE app;
            CREATE TABLE app.sessions (sess_id VARBINARY(128) PRIMARY KEY, sess_data BLOB NOT NULL,
              sess_lifetime INT NOT NULL, sess_time INT UNSIGNED NOT NULL);
            """)
        guard created.status == 0 else {
            stores.stop()
            throw HarnessError.notReady("the session table: \(created.stderr)")
        }
        return stores
    }

    func stop() {
        self.redis.stop()
        self.memcached?.stop()
        self.mariadb?.stop()
    }

    /// The session's row, as the table has it (nil: no row).
    func row(_ id: String) throws -> String? {
        let result = try Harness.mariadb(
            socket: self.socket, "SELECT sess_data FROM app.sessions WHERE sess_id = '\(id)'")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return result.stdout.isEmpty ? nil : String(lines[0])
    }

    /// A session put in the table directly, as the application did before Porter.
    func insertRow(_ id: String, _ data: String, lifetime: Int = 600) throws {
        try Harness.mariadb(
            socket: self.socket,
            "INSERT INTO app.sessions VALUES ('\(id)', '\(data)', \(lifetime), UNIX_TIMESTAMP())")
    }

    func memcachedValue(_ key: String) throws -> String? {
        let client = try RedisTestClient(port: self.memcached.port)
        try client.send(raw: Array("get \(key)\r\n".utf8))
        let header = String(decoding: try client.readLineBytes(), as: UTF8.self)
        if header == "END" { return nil }
        let value = String(decoding: try client.readLineBytes(), as: UTF8.self)
        return value
    }

    /// The `legacy` section for memcached in front of MariaDB.
    var sqlLegacyYAML: String {
        """
              memcached: { address: 127.0.0.1:\(self.memcached.port), key_prefix: "memc.sess.key.", timeout: 300ms }
              mysql: { socket: \(self.socket), user: root, database: app, table: sessions, timeout: 1s }
        """
    }

    func porterYAML(
        port: Int, token: String, stage: String = "legacy", dialKey: String = "porter:migration",
        pollInterval: String = "200ms", legacy: String? = nil, upstream: String? = nil
    ) -> String {
        """
        listen: 127.0.0.1:\(port)
        admin: { listen: 127.0.0.1:0, token: \(token) }
        log: { level: error }
        upstream:
          pool: { connections_per_node: 2, connect_timeout: 250ms, command_timeout: 2s }
        \(upstream ?? "  groups: [{ name: sessions, primary: 127.0.0.1:\(self.redis.port) }]")
        migration:
          session_key: "PHPREDIS_SESSION:{id}"
          stage: \(stage)
          dial_key: "\(dialKey)"
          dial_poll_interval: \(pollInterval)
          legacy:
        \(legacy ?? self.sqlLegacyYAML)
        """
    }
}

/// The admin API over HTTP, as an operator's curl would call it.
struct AdminHTTP {
    let port: Int
    let token: String

    func migration() throws -> (status: Int, body: [String: Any]) {
        try self.call(["-X", "GET"])
    }

    func turn(_ stage: String, _ percent: Double = 100, force: Bool = false) throws -> (
        status: Int, body: [String: Any]
    ) {
        try self.call([
            "-X", "PUT", "-H", "Authorization: Bearer \(self.token)", "-d",
            "{\"stage\":\"\(stage)\",\"percent\":\(percent),\"force\":\(force)}",
        ])
    }

    func counter(_ name: String) throws -> Int {
        ((try self.migration().body["counters"] as? [String: Any])?[name] as? Int) ?? -1
    }

    private func call(_ arguments: [String]) throws -> (status: Int, body: [String: Any]) {
        let result = try Harness.run(
            "curl", ["-s", "-w", "\n%{http_code}"] + arguments + ["http://127.0.0.1:\(self.port)/v1/migration"])
        let lines = result.stdout.split(separator: "\n")
        let status = Int(lines.last ?? "") ?? 0
        let json = lines.dropLast().joined(separator: "\n")
        let body = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
        return (status, body)
    }
}

@Suite(.serialized) struct MigrationTests {
    static let token = "migration-admin-token-0123456789"

    /// Every stage against real Redis, memcached and MariaDB, through Porter as redis-cli would use it.
    @Test func everyStageCarriesSessionsBetweenTheStores() async throws {
        let stores = try await MigrationStores.start()
        let port = freePort()
        let app = try await startPorter(yaml: stores.porterYAML(port: port, token: Self.token))
        try await finally {
            let client = try RedisTestClient(port: port)
            let redis = try RedisTestClient(port: stores.redis.port)
            let admin = AdminHTTP(port: app.adminPort!, token: Self.token)
            #expect(try admin.migration().body["stage"] as? String == "legacy")

            // legacy: the legacy store answers and takes every write; Redis has no copy.
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:abc", "600", "user|s:5:\"alice\";") == .simple("OK"))
            #expect(try stores.row("abc") == "user|s:5:\"alice\";")
            #expect(try stores.memcachedValue("memc.sess.key.abc") == "user|s:5:\"alice\";")
            #expect(try redis.command("EXISTS", "PHPREDIS_SESSION:abc") == .integer(0))
            #expect(try client.command("GET", "PHPREDIS_SESSION:abc") == .bulk(Array("user|s:5:\"alice\";".utf8)))
            #expect(try client.command("EXISTS", "PHPREDIS_SESSION:abc") == .integer(1))
            let ttl = try client.command("TTL", "PHPREDIS_SESSION:abc")
            if case .integer(let seconds) = ttl {
                #expect((590...600).contains(seconds))
            } else {
                Issue.record("TTL: \(ttl)")
            }
            #expect(try client.command("EXPIRE", "PHPREDIS_SESSION:abc", "900") == .integer(1))
            // An empty session is stored as it is (PHP writes "" for a new or destroyed one).
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:empty", "600", "") == .simple("OK"))
            #expect(try client.command("GET", "PHPREDIS_SESSION:empty") == .bulk([]))
            #expect(try client.command("DEL", "PHPREDIS_SESSION:empty") == .integer(1))
            #expect(try client.command("DEL", "PHPREDIS_SESSION:empty") == .integer(0))
            #expect(try client.command("GET", "PHPREDIS_SESSION:empty") == .null)
            // Lock keys and other keys live in Redis.
            #expect(try client.command("SET", "PHPREDIS_SESSION:abc_LOCK", "1", "NX", "EX", "30") == .simple("OK"))
            #expect(try redis.command("EXISTS", "PHPREDIS_SESSION:abc_LOCK") == .integer(1))
            #expect(try client.command("SET", "cache:x", "1") == .simple("OK"))
            #expect(try redis.command("GET", "cache:x") == .bulk(Array("1".utf8)))
            // A form the legacy store cannot take is refused, by name.
            let refused = try client.command("SET", "PHPREDIS_SESSION:abc", "x", "NX")
            #expect(refused.errorText.contains("not supported while sessions migrate"))
            // A session the application wrote before Porter.
            try stores.insertRow("old1", "from-before")
            #expect(try client.command("GET", "PHPREDIS_SESSION:old1") == .bulk(Array("from-before".utf8)))

            // shadow, turned with the command line: the legacy store answers, writes are
            // mirrored, reads compared off the path.
            let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
            let adminAddress = "127.0.0.1:\(app.adminPort!)"
            let turned = try Harness.run(
                porter, ["migrate", "set", "shadow", "100", "--admin", adminAddress, "--token", Self.token])
            #expect(turned.status == 0, "\(turned.stderr)")
            #expect(turned.stdout.hasPrefix("stage shadow · 100 %"), "\(turned.stdout)")
            let shown = try Harness.run(porter, ["migrate", "status", "--admin", adminAddress])
            #expect(shown.stdout.contains("legacy store memcached+mysql"), "\(shown.stdout)")
            let unsafe = try Harness.run(
                porter, ["migrate", "set", "redis_only", "--admin", adminAddress, "--token", Self.token])
            #expect(unsafe.status == 3 && unsafe.stderr.contains("redis_first at 100"), "\(unsafe.stderr)")
            #expect(try client.command("GET", "PHPREDIS_SESSION:old1") == .bulk(Array("from-before".utf8)))
            try await Harness.waitUntil("a shadow read Redis missed") { try admin.counter("shadow_missing") >= 1 }
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:s2", "600", "two") == .simple("OK"))
            #expect(try redis.command("GET", "PHPREDIS_SESSION:s2") == .bulk(Array("two".utf8)))
            #expect(try stores.row("s2") == "two")
            #expect(try client.command("GET", "PHPREDIS_SESSION:s2") == .bulk(Array("two".utf8)))
            try await Harness.waitUntil("a shadow match") { try admin.counter("shadow_matches") >= 1 }
            #expect(try admin.counter("shadow_mismatches") == 0)
            // A Redis copy that differs is counted, with the session's id and never its data.
            _ = try redis.command("SET", "PHPREDIS_SESSION:s2", "tampered")
            #expect(try client.command("GET", "PHPREDIS_SESSION:s2") == .bulk(Array("two".utf8)))
            try await Harness.waitUntil("a shadow mismatch") { try admin.counter("shadow_mismatches") == 1 }
            // A whole id would let whoever reads the admin API use the session: 6 characters are shown.
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:longsessionid0123", "600", "v") == .simple("OK"))
            _ = try redis.command("SET", "PHPREDIS_SESSION:longsessionid0123", "tampered")
            _ = try client.command("GET", "PHPREDIS_SESSION:longsessionid0123")
            try await Harness.waitUntil("a second mismatch") { try admin.counter("shadow_mismatches") == 2 }
            let status = try admin.migration().body
            #expect(status["mismatched_sessions"] as? [String] == ["s2", "longse…"])
            #expect(!"\(status)".contains("tampered") && !"\(status)".contains("longsessionid"))
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:s2", "600", "two") == .simple("OK"))

            // Unsafe turns are refused, with the reason.
            let early = try admin.turn("redis_only", 100)
            #expect(early.status == 409)
            #expect((early.body["error"] as? String)?.contains("redis_first at 100") == true)

            // redis_first: Redis answers; a miss is read through, with the remaining lifetime.
            #expect(try admin.turn("redis_first", 100).status == 200)
            #expect(try client.command("GET", "PHPREDIS_SESSION:old1") == .bulk(Array("from-before".utf8)))
            #expect(try redis.command("GET", "PHPREDIS_SESSION:old1") == .bulk(Array("from-before".utf8)))
            let copied = try redis.command("TTL", "PHPREDIS_SESSION:old1")
            if case .integer(let seconds) = copied {
                #expect((580...600).contains(seconds))
            } else {
                Issue.record("TTL of the copy: \(copied)")
            }
            #expect(try admin.counter("read_throughs") == 1)
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:old1", "600", "updated") == .simple("OK"))
            #expect(try stores.row("old1") == "updated")
            #expect(try redis.command("GET", "PHPREDIS_SESSION:old1") == .bulk(Array("updated".utf8)))
            #expect(try client.command("DEL", "PHPREDIS_SESSION:s2") == .integer(1))
            #expect(try stores.row("s2") == nil)
            #expect(try redis.command("EXISTS", "PHPREDIS_SESSION:s2") == .integer(0))
            // EXPIRE of a session not read through yet: it was there (in the legacy store).
            try stores.insertRow("old2", "legacy-only")
            #expect(try client.command("EXPIRE", "PHPREDIS_SESSION:old2", "600") == .integer(1))

            // One step back: the legacy store took every write, so nothing is lost.
            #expect(try admin.turn("shadow", 100).status == 200)
            #expect(try client.command("GET", "PHPREDIS_SESSION:old1") == .bulk(Array("updated".utf8)))
            #expect(try client.command("GET", "PHPREDIS_SESSION:s2") == .null)

            // And forward to redis_only, where the legacy store is not touched.
            #expect(try admin.turn("redis_first", 100).status == 200)
            #expect(try admin.turn("redis_only", 100).status == 200)
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:s3", "600", "three") == .simple("OK"))
            #expect(try redis.command("GET", "PHPREDIS_SESSION:s3") == .bulk(Array("three".utf8)))
            #expect(try stores.row("s3") == nil)
            let back = try admin.turn("redis_first", 100)
            #expect(back.status == 409)
            #expect(try admin.migration().body["stage"] as? String == "redis_only")

            // A Porter started now (its file still says legacy) takes the fleet's dial before
            // its first client.
            let latePort = freePort()
            let late = try await startPorter(yaml: stores.porterYAML(port: latePort, token: Self.token))
            let lateClient = try RedisTestClient(port: latePort)
            #expect(try lateClient.command("SETEX", "PHPREDIS_SESSION:s4", "600", "four") == .simple("OK"))
            #expect(try stores.row("s4") == nil)
            #expect(try redis.command("GET", "PHPREDIS_SESSION:s4") == .bulk(Array("four".utf8)))
            await late.stop()
        } stop: {
            await app.stop()
            stores.stop()
        }
    }
}

extension MigrationTests {
    /// `porter backfill` copies every live session not in Redis yet, with its remaining
    /// lifetime, never over a Redis value, and goes on after an interruption.
    @Test func backfillCopiesLiveSessionsOnceAndResumes() async throws {
        let stores = try await MigrationStores.start()
        let port = freePort()
        let adminPort = freePort()
        let directory = stores.redis.directory
        let configPath = directory.appendingPathComponent("porter.yaml").path
        let yaml = stores.porterYAML(port: port, token: Self.token, stage: "redis_first")
            .replacingOccurrences(of: "127.0.0.1:0", with: "127.0.0.1:\(adminPort)")
        let app = try await startPorter(yaml: yaml, configPath: configPath)
        try await finally {
            let sessions = 5_000
            let seeded = try Harness.mariadb(
                socket: stores.socket,
                """
                INSERT INTO app.sessions SELECT CONCAT('b', seq), CONCAT('data-', seq), 600, UNIX_TIMESTAMP() FROM app.seq_1_to_\(sessions);
                INSERT INTO app.sessions SELECT CONCAT('x', seq), 'expired', 60, UNIX_TIMESTAMP() - 3600 FROM app.seq_1_to_20;
                """)
            #expect(seeded.status == 0, "\(seeded.stderr)")
            let redis = try RedisTestClient(port: stores.redis.port)
            for i in 1...100 { _ = try redis.command("SET", "PHPREDIS_SESSION:b\(i)", "newer-\(i)", "EX", "900") }
            let admin = AdminHTTP(port: adminPort, token: Self.token)

            // Interrupted: a slow job, stopped part way; its place is kept.
            let started = try Harness.run(
                "curl",
                [
                    "-s", "-X", "POST", "-H", "Authorization: Bearer \(Self.token)", "-d", "{\"rate\":2000}",
                    "http://127.0.0.1:\(adminPort)/v1/migration/backfill",
                ])
            #expect(started.stdout.contains("running"))
            try await Harness.waitUntil("part of the backfill") {
                ((try admin.migration().body["backfill"] as? [String: Any])?["scanned"] as? Int ?? 0) >= 1_000
            }
            _ = try Harness.run(
                "curl",
                [
                    "-s", "-X", "DELETE", "-H", "Authorization: Bearer \(Self.token)",
                    "http://127.0.0.1:\(adminPort)/v1/migration/backfill",
                ])
            let stopped = try admin.migration().body["backfill"] as? [String: Any]
            #expect(stopped?["state"] as? String == "stopped")
            #expect((stopped?["scanned"] as? Int ?? 0) < sessions)

            // The command line goes on from there, with no rate limit, and says what it did.
            let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
            let run = try Harness.run(porter, ["backfill", "--config", configPath])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("backfill done: scanned \(sessions)"), "\(run.stdout)")
            print("backfill: \(run.stdout)")
            let job = try admin.migration().body["backfill"] as? [String: Any]
            #expect(job?["resumed"] as? Bool == true)
            #expect(job?["copied"] as? Int == sessions - 100)
            #expect(job?["skipped"] as? Int == 100)
            #expect(try redis.command("GET", "PHPREDIS_SESSION:b1") == .bulk(Array("newer-1".utf8)))
            #expect(try redis.command("GET", "PHPREDIS_SESSION:b4321") == .bulk(Array("data-4321".utf8)))
            let ttl = try redis.command("TTL", "PHPREDIS_SESSION:b4321")
            if case .integer(let seconds) = ttl { #expect((1...600).contains(seconds)) } else { Issue.record("\(ttl)") }
            #expect(try redis.command("EXISTS", "PHPREDIS_SESSION:x1") == .integer(0))
            #expect(try redis.command("EXISTS", "porter:migration:backfill") == .integer(0))
            #expect(try admin.counter("backfilled") == sessions - 100)
        } stop: {
            await app.stop()
            stores.stop()
        }
    }
}

extension MigrationTests {
    /// A legacy store that fails never turns a Redis-answered request into an error, and a
    /// shared dial that cannot be read keeps the last known stage (README: "When a store fails").
    @Test func failuresAreContainedAndSaid() async throws {
        let stores = try await MigrationStores.start()
        let port = freePort()
        let app = try await startPorter(yaml: stores.porterYAML(port: port, token: Self.token, stage: "redis_first"))
        try await finally {
            let client = try RedisTestClient(port: port)
            let admin = AdminHTTP(port: app.adminPort!, token: Self.token)
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:kept", "600", "data") == .simple("OK"))
            try stores.insertRow("legacyonly", "only-in-the-table")
            stores.mariadb.kill()
            stores.memcached.kill()

            // redis_first: Redis answers reads and writes; the legacy store's failures are counted.
            #expect(try client.command("GET", "PHPREDIS_SESSION:kept") == .bulk(Array("data".utf8)))
            #expect(try client.command("SETEX", "PHPREDIS_SESSION:kept", "600", "newer") == .simple("OK"))
            #expect(try client.command("DEL", "PHPREDIS_SESSION:kept") == .integer(1))
            #expect(try admin.counter("also_write_errors") >= 2)
            // A miss the legacy store cannot answer is an error, not "no session": PHP would start
            // a new one and write it over the user's.
            let miss = try client.command("GET", "PHPREDIS_SESSION:legacyonly")
            #expect(miss.errorText.contains("the legacy session store (memcached+mysql) failed"), "\(miss)")
            #expect(!miss.errorText.contains("legacyonly"))
            #expect(try admin.counter("legacy_errors") >= 1)
            // Other keys never notice.
            #expect(try client.command("SET", "cache:k", "v") == .simple("OK"))

            // shadow: the legacy store answers, so its failure is the client's error.
            #expect(try admin.turn("shadow", 100).status == 200)
            let read = try client.command("GET", "PHPREDIS_SESSION:kept")
            #expect(read.errorText.contains("legacy session store"), "\(read)")

            // The shared dial cannot be read: the last known stage holds, and says so.
            stores.redis.kill()
            try await Harness.waitUntil("the dial to be unreadable") {
                try admin.migration().body["dial_readable"] as? Bool == false
            }
            let status = try admin.migration().body
            #expect(status["stage"] as? String == "shadow")
            #expect((status["dial_problem"] as? String)?.isEmpty == false)
            let refused = try admin.turn("redis_first", 100)
            #expect(refused.status == 409)
            #expect((refused.body["error"] as? String)?.contains("cannot be read") == true)
        } stop: {
            await app.stop()
            stores.stop()
        }
    }
}
