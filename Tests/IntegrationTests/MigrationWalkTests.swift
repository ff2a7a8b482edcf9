import Foundation
import NIOConcurrencyHelpers
import PorterApp
import PorterTestHarness
import Testing

/// PHP requests as a web tier makes them (one php-cli process each, as php-fpm would run the
/// script), on threads of their own: each worker keeps its own users' sessions and creates,
/// updates, reads, regenerates and destroys them, checking every answer against what it wrote
/// last. A session that is gone is a user logged out; one with an older counter is a lost write.
final class SessionWalk: @unchecked Sendable {
    struct Tally: Sendable {
        var requests = 0
        var created = 0
        var updated = 0
        var read = 0
        var regenerated = 0
        var destroyed = 0
        var loggedOut = 0
        var lost = 0
        var errors: [String] = []
    }

    private let lock = NSLock()
    private var tally = Tally()
    private var sessions: [[String: Int]]
    private var random: [UInt64]
    let workers: Int
    let script = Harness.packageRoot.appendingPathComponent("Tests/IntegrationTests/Clients/php_migration_app.php").path

    init(workers: Int = 4) {
        self.workers = workers
        self.sessions = Array(repeating: [:], count: workers)
        self.random = (0..<workers).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 &+ 1 }
    }

    var totals: Tally { self.lock.withLock { self.tally } }
    var liveSessions: Int { self.lock.withLock { self.sessions.reduce(self.dormant.count) { $0 + $1.count } } }

    /// `count` requests per worker, each to the next of `handlers` in turn (several web
    /// servers, each with its Porter); returns when every worker is done.
    func round(_ count: Int, handlers: [String], creating: Bool = false) async {
        let finished = NIOLockedValueBox(0)
        for worker in 0..<self.workers {
            Thread.detachNewThread {
                for i in 0..<count {
                    self.request(worker, handler: handlers[(worker + i) % handlers.count], creating: creating)
                }
                finished.withLockedValue { $0 += 1 }
            }
        }
        while finished.withLockedValue({ $0 < self.workers }) { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Sessions of users who do not come back during the walk: only a backfill moves them.
    private var dormant: [String: Int] = [:]

    func createDormant(_ count: Int, handler: String) {
        for i in 0..<count {
            let reply = self.php(handler, "create", nil, "dormant\(i)")
            if let (id, n) = self.ok(reply) {
                self.lock.withLock { self.dormant[id] = n }
            } else {
                self.fail("create: \(reply)")
            }
        }
    }

    /// Reads every session the workers hold and every dormant one: each must be there with its
    /// last counter.
    func verifyAll(handler: String) async {
        let all = self.lock.withLock {
            self.sessions.flatMap { $0.map { ($0.key, $0.value) } } + self.dormant.map { ($0.key, $0.value) }
        }
        for (id, n) in all {
            let reply = self.php(handler, "read", id)
            self.check(reply, expect: (id, n), action: "final read")
        }
    }

    private func next(_ worker: Int) -> UInt64 {
        self.lock.withLock {
            self.random[worker] = self.random[worker] &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return self.random[worker] >> 33
        }
    }

    private func request(_ worker: Int, handler: String, creating: Bool) {
        let roll = self.next(worker) % 100
        let mine = self.lock.withLock { self.sessions[worker] }
        if creating || mine.isEmpty || roll < 12 {
            let reply = self.php(handler, "create", nil, "user\(worker)-\(self.next(worker))")
            if let (id, n) = self.ok(reply), n == 0 {
                self.lock.withLock {
                    self.sessions[worker][id] = 0
                    self.tally.created += 1
                }
            } else {
                self.fail("create: \(reply)")
            }
            return
        }
        let ids = mine.keys.sorted()
        let id = ids[Int(self.next(worker) % UInt64(ids.count))]
        let n = mine[id]!
        switch roll {
        case 12..<62:
            let reply = self.php(handler, "update", id)
            if self.check(reply, expect: (id, n + 1), action: "update") {
                self.lock.withLock {
                    self.sessions[worker][id] = n + 1
                    self.tally.updated += 1
                }
            }
        case 62..<87:
            if self.check(self.php(handler, "read", id), expect: (id, n), action: "read") {
                self.lock.withLock { self.tally.read += 1 }
            }
        case 87..<95:
            let reply = self.php(handler, "regenerate", id)
            if let (newID, got) = self.ok(reply), got == n, newID != id {
                self.lock.withLock {
                    self.sessions[worker][id] = nil
                    self.sessions[worker][newID] = n
                    self.tally.regenerated += 1
                }
            } else {
                self.check(reply, expect: (id, n), action: "regenerate")
            }
        default:
            let reply = self.php(handler, "destroy", id)
            if reply == "OK destroyed" {
                self.lock.withLock {
                    self.sessions[worker][id] = nil
                    self.tally.destroyed += 1
                }
                // Destroyed means gone, in every store the stage reads.
                if self.php(handler, "read", id) != "LOGGED_OUT" { self.fail("a destroyed session is still there") }
            } else {
                self.fail("destroy: \(reply)")
            }
        }
    }

    /// Counts what the reply says of the session; true when it is as expected.
    @discardableResult
    private func check(_ reply: String, expect: (id: String, n: Int), action: String) -> Bool {
        if reply == "LOGGED_OUT" {
            self.lock.withLock {
                self.tally.loggedOut += 1
                for w in self.sessions.indices { self.sessions[w][expect.id] = nil }
            }
            return false
        }
        guard let (_, got) = self.ok(reply) else {
            self.fail("\(action): \(reply)")
            return false
        }
        if got != expect.n {
            self.lock.withLock {
                self.tally.lost += 1
                if self.tally.errors.count < 20 {
                    self.tally.errors.append("\(action): counter \(got), expected \(expect.n)")
                }
            }
            return false
        }
        return true
    }

    private func ok(_ reply: String) -> (String, Int)? {
        let parts = reply.split(separator: " ")
        guard parts.count == 3, parts[0] == "OK", let n = Int(parts[2]) else { return nil }
        return (String(parts[1]), n)
    }

    private func fail(_ message: String) {
        self.lock.withLock { if self.tally.errors.count < 20 { self.tally.errors.append(message) } }
    }

    private func php(_ handler: String, _ action: String, _ id: String?, _ name: String? = nil) -> String {
        self.lock.withLock { self.tally.requests += 1 }
        // `create` takes no id: the session id is PHP's.
        var arguments = [self.script, handler, action, id ?? ""]
        if let name { arguments.append(name) }
        guard let result = try? Harness.run("php", arguments) else { return "ERROR cannot run php" }
        let out = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        if result.status != 0 && !out.hasPrefix("ERROR") {
            let first = result.stderr.split(separator: "\n").first ?? ""
            return "ERROR exit \(result.status): \(first)"
        }
        return out
    }
}

/// Two Porters (two web servers) in front of Redis, sharing the dial.
struct WalkPorters {
    let a: PorterApplication
    let b: PorterApplication
    let portA: Int
    let portB: Int
    let adminA: AdminHTTP
    let adminB: AdminHTTP

    static func start(_ stores: MigrationStores, token: String, legacy: String? = nil, upstream: String? = nil)
        async throws -> WalkPorters
    {
        let (portA, portB) = (freePort(), freePort())
        // The default poll interval (1 s): the subscription carries a change at once.
        let a = try await startPorter(
            yaml: stores.porterYAML(port: portA, token: token, pollInterval: "1s", legacy: legacy, upstream: upstream))
        do {
            let b = try await startPorter(
                yaml: stores.porterYAML(
                    port: portB, token: token, pollInterval: "1s", legacy: legacy, upstream: upstream))
            return WalkPorters(
                a: a, b: b, portA: portA, portB: portB, adminA: AdminHTTP(port: a.adminPort!, token: token),
                adminB: AdminHTTP(port: b.adminPort!, token: token))
        } catch {
            await a.stop()
            throw error
        }
    }

    var handlers: [String] { ["porter:\(self.portA)", "porter:\(self.portB)"] }

    /// Turns the dial on A; returns how long B took to follow.
    func turn(_ stage: String, _ percent: Double) async throws -> Duration {
        let turned = try self.adminA.turn(stage, percent)
        #expect(turned.status == 200, "\(stage) \(percent): \(turned.body)")
        let start = ContinuousClock.now
        try await Harness.waitUntil("Porter B follows \(stage) \(percent)", timeout: .seconds(5)) {
            let body = try self.adminB.migration().body
            return body["stage"] as? String == stage && (body["percent"] as? Double) == percent
        }
        return ContinuousClock.now - start
    }

    func counter(_ name: String) throws -> Int { try self.adminA.counter(name) + self.adminB.counter(name) }

    func stop() async {
        await self.a.stop()
        await self.b.stop()
    }
}

@Suite(.serialized) struct MigrationWalkTests {
    static let token = "migration-walk-token-0123456789"

    /// The dial's whole ramp under PHP traffic through two Porters, from `before` (the
    /// application's own session handler) to Redis: nobody logged out, nothing lost.
    func walk(
        _ stores: MigrationStores, before: String, legacy: String? = nil, upstream: String? = nil, label: String
    ) async throws {
        let walk = SessionWalk()
        // Before Porter: the application's own handler creates its users' sessions.
        walk.createDormant(60, handler: before)
        await walk.round(8, handlers: [before], creating: true)
        await walk.round(10, handlers: [before])
        let porters = try await WalkPorters.start(stores, token: Self.token, legacy: legacy, upstream: upstream)
        try await finally {
            // The session handler is switched to phpredis through Porter, in stage legacy.
            await walk.round(20, handlers: porters.handlers)
            var follow: [Duration] = []
            for (stage, percent) in [
                ("shadow", 1.0), ("shadow", 50), ("shadow", 100), ("redis_first", 1), ("redis_first", 100),
            ] {
                follow.append(try await porters.turn(stage, percent))
                await walk.round(20, handlers: porters.handlers)
            }
            // One step back and forward again.
            follow.append(try await porters.turn("shadow", 100))
            await walk.round(20, handlers: porters.handlers)
            follow.append(try await porters.turn("redis_first", 100))
            // The backfill runs under traffic.
            let started = try Harness.run(
                "curl",
                [
                    "-s", "-X", "POST", "-H", "Authorization: Bearer \(Self.token)",
                    "http://127.0.0.1:\(porters.a.adminPort!)/v1/migration/backfill",
                ])
            #expect(started.stdout.contains("running"), "\(started.stdout)")
            await walk.round(20, handlers: porters.handlers)
            try await Harness.waitUntil("the backfill", timeout: .seconds(60)) {
                ((try porters.adminA.migration().body["backfill"] as? [String: Any])?["state"] as? String) == "done"
            }
            follow.append(try await porters.turn("redis_only", 100))
            await walk.round(20, handlers: porters.handlers)
            await walk.verifyAll(handler: porters.handlers[0])

            let t = walk.totals
            let matches = try porters.counter("shadow_matches")
            let missing = try porters.counter("shadow_missing")
            let mismatches = try porters.counter("shadow_mismatches")
            let raced = try porters.counter("shadow_raced")
            let readThroughs = try porters.counter("read_throughs")
            let backfilled = try porters.counter("backfilled")
            let slowest = follow.max() ?? .zero
            print(
                "migration walk (\(label)): \(t.requests) PHP requests, \(t.created) sessions created, \(walk.liveSessions) live at the end, \(t.updated) updates, \(t.read) reads, \(t.regenerated) regenerated, \(t.destroyed) destroyed; logged out \(t.loggedOut), lost \(t.lost), errors \(t.errors.count); shadow compares: \(matches) matches, \(mismatches) mismatches, \(missing) not in Redis yet, \(raced) raced by a write, read-throughs \(readThroughs), backfilled \(backfilled); Porter B followed each turn within \(slowest)"
            )
            #expect(t.loggedOut == 0)
            #expect(t.lost == 0)
            #expect(t.errors.isEmpty, "\(t.errors)")
            #expect(mismatches == 0)
            #expect(readThroughs > 0)
            #expect(backfilled >= 50)
            #expect(try porters.counter("legacy_errors") == 0)
            #expect(slowest < .seconds(2))
        } stop: {
            await porters.stop()
        }
    }

    @Test func memcachedAndMariaDBSessionsMoveToRedis() async throws {
        let stores = try await MigrationStores.start()
        try await finally {
            try await self.walk(
                stores, before: "legacy:\(stores.memcached.port):\(stores.socket)", label: "memcached + MariaDB")
        } stop: {
            stores.stop()
        }
    }

    /// The Silph Road's move: PHP's session files to Redis.
    @Test func phpSessionFilesMoveToRedis() async throws {
        let stores = try await MigrationStores.start(sql: false)
        let directory = stores.redis.directory.appendingPathComponent("php-sessions").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await finally {
            try await self.walk(
                stores, before: "files:\(directory)",
                legacy: "      files: { dir: \(directory), prefix: sess_, gc_maxlifetime: 1440 }",
                label: "PHP session files")
        } stop: {
            stores.stop()
        }
    }

    /// One group's sessions onto a Redis Cluster: the group is the legacy store (phpredis
    /// straight to it before Porter), the cluster is `upstream`.
    @Test func aGroupsSessionsMoveOntoARedisCluster() async throws {
        let stores = try await MigrationStores.start(sql: false)
        let cluster = try await ClusterTopology.start(primaries: 3, replicasEach: 0)
        try await finally {
            let seeds = cluster.nodes.map { "127.0.0.1:\($0.port)" }.joined(separator: ", ")
            try await self.walk(
                stores, before: "redis:\(stores.redis.port)",
                legacy: "      redis: { groups: [{ name: old, primary: 127.0.0.1:\(stores.redis.port) }] }",
                upstream: "  cluster: { seeds: [\(seeds)] }", label: "a group onto a Redis Cluster")
            // Every session is in the cluster, spread over its primaries.
            var keys = 0
            for node in cluster.nodes {
                if case .integer(let n) = try RedisTestClient(port: node.port).command("DBSIZE") {
                    #expect(n > 0)
                    keys += n
                }
            }
            #expect(keys > 100)
        } stop: {
            cluster.stop()
            stores.stop()
        }
    }
}
