import Foundation
import Hashing
import PorterApp
import PorterTestHarness
import Testing

/// Three redis-servers as three groups on a ketama ring behind Porter, as a twemproxy user
/// would shard sessions: keys land where nutcracker puts them, multi-key and keyless commands
/// answer as one Redis would, transactions work on one shard, and a shard that loses its
/// primary fails only its own keys.
final class ShardedPorter: @unchecked Sendable {
    let servers: [ServerProcess]
    let app: PorterApplication
    let port: Int
    /// The ring Porter uses, for the tests to know where a key lives.
    let ring: KeyRing

    /// Groups are named by `host:port`, as nutcracker names servers written without a name.
    static func start(groups: Int = 3, extraYAML: String = "", writeWait: String = "2s") async throws -> ShardedPorter {
        var servers: [ServerProcess] = []
        for _ in 0..<groups { servers.append(try await Harness.startRedis()) }
        let port = freePort()
        let groupLines = servers.map { "    - { name: \"127.0.0.1:\($0.port)\", primary: 127.0.0.1:\($0.port) }" }
        let yaml = """
            listen: 127.0.0.1:\(port)
            log: { level: error }
            \(extraYAML)
            upstream:
              hash: fnv1a_64
              distribution: ketama
              write_wait: \(writeWait)
              pool: { connections_per_node: 2, connect_timeout: 250ms, command_timeout: 2s }
              groups:
            \(groupLines.joined(separator: "\n"))
            """
        let app: PorterApplication
        do {
            app = try await startPorter(yaml: yaml)
        } catch {
            for server in servers { server.stop() }
            throw error
        }
        let ring = KeyRing(
            servers: servers.map { KeyRing.Server(identity: "127.0.0.1:\($0.port)") }, hash: .fnv1a_64,
            distribution: .ketama)
        return ShardedPorter(servers: servers, app: app, port: port, ring: ring)
    }

    init(servers: [ServerProcess], app: PorterApplication, port: Int, ring: KeyRing) {
        self.servers = servers
        self.app = app
        self.port = port
        self.ring = ring
    }

    func client() throws -> RedisTestClient { try RedisTestClient(port: self.port) }
    func shard(_ key: String) -> Int { self.ring.server(for: Array(key.utf8)) }

    /// Keys named `prefix<n>`, `count` of them on shard `shard`.
    func keys(on shard: Int, count: Int, prefix: String = "k") -> [String] {
        var found: [String] = []
        var i = 0
        while found.count < count {
            if self.shard("\(prefix)\(i)") == shard { found.append("\(prefix)\(i)") }
            i += 1
        }
        return found
    }

    func stop() async {
        await self.app.stop()
        for server in self.servers { server.stop() }
    }
}

func withShardedPorter(
    extraYAML: String = "", writeWait: String = "2s", _ body: (ShardedPorter) async throws -> Void
) async throws {
    let porter = try await ShardedPorter.start(extraYAML: extraYAML, writeWait: writeWait)
    try await finally {
        try await body(porter)
    } stop: {
        await porter.stop()
    }
}

@Suite("Sharding: groups on a twemproxy ring")
struct ShardingTests {
    /// Swapping nutcracker for Porter moves no key: what Porter writes, nutcracker (same servers,
    /// hash and distribution) reads, and the other way round.
    @Test func porterAndNutcrackerAgreeOnEveryKey() async throws {
        try await withShardedPorter { porter in
            var body = "hash: fnv1a_64\ndistribution: ketama\nredis: true\nservers:\n"
            for server in porter.servers { body += " - 127.0.0.1:\(server.port):1\n" }
            let (nutcracker, ports) = try await Harness.startNutcracker(pools: [(name: "sessions", body: body)])
            try await finally {
                let viaPorter = try porter.client()
                let viaNutcracker = try RedisTestClient(port: ports[0])
                let keys = (0..<3000).map { "PHPREDIS_SESSION:\($0 * 7919 % 100_003)x\($0)" }
                try viaPorter.send(raw: keys.flatMap { RedisTestClient.encode(["SET", $0, "v-\($0)"]) })
                for _ in keys { #expect(try viaPorter.readReply() == .simple("OK")) }
                try viaNutcracker.send(raw: keys.flatMap { RedisTestClient.encode(["GET", $0]) })
                var found = 0
                for key in keys where try viaNutcracker.readReply() == .bulk(Array("v-\(key)".utf8)) { found += 1 }
                #expect(found == keys.count)
                // Every group holds a share.
                for server in porter.servers {
                    let size = try RedisTestClient(port: server.port).command("DBSIZE")
                    if case .integer(let n) = size { #expect(n > 600, "\(server.port): \(n) keys") }
                }
                let back = (0..<500).map { "written-by-nutcracker:\($0)" }
                for key in back { _ = try viaNutcracker.command("SET", key, key) }
                for key in back { #expect(try viaPorter.command("GET", key) == .bulk(Array(key.utf8))) }
            } stop: {
                nutcracker.stop()
            }
        }
    }

    /// MGET, MSET, DEL, UNLINK, EXISTS and TOUCH over keys on every shard give exactly what one
    /// Redis gives for the same commands.
    @Test func multiKeyCommandsAnswerAsOneRedisWould() async throws {
        try await withShardedPorter { porter in
            let single = try await Harness.startRedis()
            try await finally {
                let sharded = try porter.client()
                let reference = try RedisTestClient(port: single.port)
                let keys = (0..<50).flatMap { i in (0..<3).map { porter.keys(on: $0, count: 50, prefix: "multi:")[i] } }
                #expect(Set(keys.map { porter.shard($0) }).count == 3)
                var script: [[String]] = []
                script.append(["MSET"] + keys.prefix(120).flatMap { [$0, "value of \($0)"] })
                script.append(["MGET"] + keys + [keys[0], "missing", keys[5]])
                script.append(["EXISTS"] + keys + [keys[1], keys[1]])
                script.append(["TOUCH"] + keys.prefix(130))
                script.append(["DEL"] + keys.prefix(40) + ["nothing"])
                script.append(["UNLINK"] + keys[40..<60])
                script.append(["MGET"] + keys)
                script.append(["EXISTS"] + keys)
                script.append(["DBSIZE"])
                script.append(["MSET", "odd"])
                for command in script {
                    let expected = try reference.command(command)
                    let actual = try sharded.command(command)
                    #expect(actual == expected, "\(command.prefix(2)): \(actual) vs \(expected)")
                }
                #expect(try sharded.command("PING") == .simple("PONG"))
            } stop: {
                single.stop()
            }
        }
    }

    /// SCAN walks every shard in turn with a cursor that encodes which: every key once, with
    /// MATCH and COUNT passed through, and `redis-cli --scan` works.
    @Test func scanVisitsEveryKeyOnce() async throws {
        try await withShardedPorter { porter in
            let client = try porter.client()
            let keys = Set((0..<600).map { "scan:\($0)" } + (0..<50).map { "other:\($0)" })
            try client.send(raw: keys.flatMap { RedisTestClient.encode(["SET", $0, "1"]) })
            for _ in keys { _ = try client.readReply() }
            var seen: [String] = []
            var cursor = "0"
            var calls = 0
            repeat {
                guard case .array(let reply) = try client.command("SCAN", cursor, "MATCH", "scan:*", "COUNT", "40"),
                    reply.count == 2, case .array(let found) = reply[1], let next = reply[0].string
                else {
                    Issue.record("unexpected SCAN reply")
                    return
                }
                seen += found.compactMap(\.string)
                cursor = next
                calls += 1
            } while cursor != "0" && calls < 1000
            #expect(seen.count == 600 && Set(seen) == Set(keys.filter { $0.hasPrefix("scan:") }))
            let cli = try Harness.run("redis-cli", ["-p", "\(porter.port)", "--scan"])
            let listed = cli.stdout.split(separator: "\n").map(String.init)
            #expect(
                listed.count == keys.count && Set(listed) == keys,
                "\(listed.count) keys listed: \(cli.stderr) \(listed.prefix(3))")
            #expect(try client.command("SCAN", "abc").errorText.contains("invalid cursor"))
        }
    }

    /// Keys that must be together (MSETNX, RENAME, EVAL, a transaction) on several shards get
    /// Redis Cluster's -CROSSSLOT and the connection stays usable; a transaction on one shard's
    /// keys works, also with WATCH.
    @Test func transactionsBindToOneShardAndCrossSlotIsRefused() async throws {
        try await withShardedPorter { porter in
            let client = try porter.client()
            let a = porter.keys(on: 0, count: 2, prefix: "tx:")
            let b = porter.keys(on: 1, count: 1, prefix: "tx:")[0]
            let crossSlot = "CROSSSLOT Keys in request don't hash to the same slot"
            #expect(try client.command("MSETNX", a[0], "1", b, "2") == .error(crossSlot))
            #expect(try client.command("RENAME", a[0], b) == .error(crossSlot))
            #expect(try client.command("EVAL", "return 1", "2", a[0], b) == .error(crossSlot))
            #expect(try client.command("MSETNX", a[0], "1", a[1], "2") == .integer(1))
            #expect(try client.command("EVAL", "return redis.call('GET', KEYS[1])", "1", a[0]) == .bulk([0x31]))

            #expect(try client.command("MULTI") == .simple("OK"))
            #expect(try client.command("SET", a[0], "10") == .simple("QUEUED"))
            #expect(try client.command("INCR", a[0]) == .simple("QUEUED"))
            #expect(try client.command("EXEC") == .array([.simple("OK"), .integer(11)]))

            #expect(try client.command("MULTI") == .simple("OK"))
            #expect(try client.command("SET", a[0], "1") == .simple("QUEUED"))
            #expect(try client.command("SET", b, "1") == .error(crossSlot))
            #expect(try client.command("EXEC").errorText.hasPrefix("EXECABORT"))
            #expect(try client.command("GET", a[0]) == .bulk(Array("11".utf8)))

            #expect(try client.command("MULTI") == .simple("OK"))
            #expect(try client.command("EXEC") == .array([]))
            #expect(try client.command("MULTI") == .simple("OK"))
            #expect(try client.command("DISCARD") == .simple("OK"))

            #expect(try client.command("WATCH", a[0], b) == .error(crossSlot))
            #expect(try client.command("WATCH", a[0]) == .simple("OK"))
            #expect(try client.command("MULTI") == .simple("OK"))
            #expect(try client.command("SET", a[0], "w") == .simple("QUEUED"))
            #expect(try client.command("EXEC") == .array([.simple("OK")]))
            // A transaction pipelined in one write (redis-py's pipeline) on each shard.
            for key in [a[1], b] {
                try client.send(
                    raw: RedisTestClient.encode(["MULTI"]) + RedisTestClient.encode(["INCR", key])
                        + RedisTestClient.encode(["INCR", key]) + RedisTestClient.encode(["EXEC"])
                        + RedisTestClient.encode(["GET", key]))
                #expect(try client.readReply() == .simple("OK"))
                #expect(try client.readReply() == .simple("QUEUED"))
                #expect(try client.readReply() == .simple("QUEUED"))
                guard case .array(let results) = try client.readReply(), results.count == 2 else {
                    Issue.record("EXEC")
                    continue
                }
                #expect(try client.readReply().string == results[1].string)
            }
            #expect(try client.command("PING") == .simple("PONG"))
        }
    }

    /// Keyless commands every shard must see are sent to each; INFO has Porter's section; a
    /// keyless write Porter cannot fan out is refused, naming it.
    @Test func keylessCommandsFanOut() async throws {
        // KEYS and FLUSHDB are @dangerous: off for the default user unless its rules say so.
        try await withShardedPorter(extraYAML: "auth: { rules: \"+@all ~* &*\" }") { porter in
            let client = try porter.client()
            let keys = (0..<3).flatMap { porter.keys(on: $0, count: 30, prefix: "keyless:") }
            for key in keys { _ = try client.command("SET", key, key) }
            #expect(try client.command("DBSIZE") == .integer(90))
            if case .array(let all) = try client.command("KEYS", "keyless:*") { #expect(all.count == 90) }
            #expect(try client.command("RANDOMKEY").string?.hasPrefix("keyless:") == true)
            let sha = try client.command("SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])")
            guard let sha = sha.string, sha.count == 40 else {
                Issue.record("SCRIPT LOAD: \(sha)")
                return
            }
            for shard in 0..<3 {
                let key = porter.keys(on: shard, count: 1, prefix: "keyless:")[0]
                let got = try client.command("EVALSHA", sha, "1", key)
                #expect(got.string?.isEmpty == false, "shard \(shard) \(key): \(got)")
            }
            #expect(
                try client.command("SCRIPT", "EXISTS", sha, String(repeating: "0", count: 40))
                    == .array([.integer(1), .integer(0)]))
            let info = try client.command("INFO", "server").string ?? ""
            #expect(info.contains("redis_version") && info.contains("# Porter") && info.contains("porter_shards:3"))
            let refused = try client.command("FUNCTION", "DELETE", "nolib")
            #expect(refused.errorText.contains("'function|delete' has no key"), "\(refused)")
            #expect(try client.command("FLUSHDB") == .simple("OK"))
            #expect(try client.command("DBSIZE") == .integer(0))
            #expect(try client.command("RANDOMKEY") == .null)
        }
    }

    /// redis-py (pipelines, MULTI/EXEC, binary keys) and PHP's own session handler with locking,
    /// through a sharded Porter, pass as against one Redis.
    @Test func sessionClientsWorkOnShards() async throws {
        try await withShardedPorter { porter in
            try ClientToolTests.redisPyCheck(port: porter.port)
            try ClientToolTests.phpSessionCheck(port: porter.port)
            // The sessions are spread over the groups.
            var holding = 0
            for server in porter.servers {
                if case .integer(let n) = try RedisTestClient(port: server.port).command("DBSIZE"), n > 0 {
                    holding += 1
                }
            }
            #expect(holding == 3)
        }
    }

    /// A group whose primary dies stays on the ring: its keys' writes fail naming it once
    /// write_wait is over, its keys' reads fail, a split command touching it fails naming the
    /// shard; the other shards' keys never fail.
    @Test func aShardWithoutPrimaryFailsOnlyItsOwnKeys() async throws {
        try await withShardedPorter(writeWait: "300ms") { porter in
            let client = try porter.client()
            let dead = porter.keys(on: 2, count: 1, prefix: "s:")[0]
            let alive = [porter.keys(on: 0, count: 1, prefix: "s:")[0], porter.keys(on: 1, count: 1, prefix: "s:")[0]]
            for key in alive + [dead] { #expect(try client.command("SET", key, "1") == .simple("OK")) }
            porter.servers[2].kill()
            let name = "127.0.0.1:\(porter.servers[2].port)"
            var failed = try client.command("SET", dead, "2")
            #expect(failed.isError && failed.errorText.contains(name), "\(failed)")
            failed = try client.command("MGET", alive[0], dead)
            #expect(failed.isError && failed.errorText.contains("shard '\(name)'"), "\(failed)")
            for _ in 0..<20 {
                for key in alive {
                    #expect(try client.command("SET", key, "3") == .simple("OK"))
                    #expect(try client.command("GET", key) == .bulk([0x33]))
                }
            }
            #expect(try client.command("MGET", alive[0], alive[1]) == .array([.bulk([0x33]), .bulk([0x33])]))
            // Degraded, not down: /readyz stays ready and says which shard is missing.
            try await Harness.waitUntil("the health checks see the primary down") {
                let (ready, reason) = await porter.app.monitor.readiness()
                return ready && (reason ?? "").contains("degraded: group '\(name)'")
            }
        }
    }
}
