import Foundation
import PorterApp
import PorterTestHarness
import Testing

/// A twemproxy user's move is one command: `porter import-twemproxy nutcracker.yml` prints a
/// porter.yaml that `check-config` accepts and that finds every key where nutcracker put it.
@Suite("porter import-twemproxy")
struct TwemproxyImportTests {
    static let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path

    /// Every key of a nutcracker pool that Porter has an equivalent for (listen, hash,
    /// distribution, hash_tag, timeout, server_connections, client_connections, redis_auth,
    /// redis_db, servers with names and weights) carries over, and each of the others is named
    /// in a note with why; then Porter finds every key nutcracker wrote, in the same database,
    /// behind the same password.
    @Test func theImportedConfigurationFindsEveryKeyNutcrackerWrote() async throws {
        let password = "nutcracker-pw"
        var servers: [ServerProcess] = []
        for _ in 0..<3 { servers.append(try await Harness.startRedis(password: password)) }
        let body = """
            hash: murmur
            distribution: ketama
            hash_tag: "{}"
            redis: true
            redis_auth: \(password)
            redis_db: 2
            timeout: 400
            backlog: 1024
            client_connections: 500
            server_connections: 2
            auto_eject_hosts: true
            server_retry_timeout: 2000
            server_failure_limit: 1
            preconnect: true
            tcpkeepalive: true
            servers:
             - 127.0.0.1:\(servers[0].port):1 sessions-a
             - 127.0.0.1:\(servers[1].port):2
             - 127.0.0.1:\(servers[2].port):1 sessions-c
            """
        let (nutcracker, ports) = try await Harness.startNutcracker(
            pools: [(name: "web", body: body)], password: password)
        try await finally {
            let file = nutcracker.directory.appendingPathComponent("nutcracker.yml").path
            let run = try Harness.run(Self.porter, ["import-twemproxy", file])
            #expect(run.status == 0, "\(run.stderr)")
            let yaml = run.stdout
            #expect(yaml.contains("name: \"127.0.0.1:\(servers[1].port)\""), "an unnamed server keeps host:port")
            for carried in [
                "weight: 2", "hash: murmur", "distribution: ketama", "hash_tag: \"{}\"", "command_timeout: 400ms",
                "connect_timeout: 400ms", "connections_per_node: 2", "max_clients: 500", "password: \"\(password)\"",
            ] {
                #expect(yaml.contains(carried), "\(carried) not carried over:\n\(yaml)")
            }
            for noted in [
                "redis_db", "auto_eject_hosts", "server_retry_timeout", "server_failure_limit", "preconnect", "tcpkeepalive", "backlog",
            ] {
                #expect(yaml.contains("# Note: \(noted):"), "\(noted) has no note:\n\(yaml)")
            }
            // check-config accepts it as it is.
            let saved = nutcracker.directory.appendingPathComponent("porter.yaml").path
            try yaml.write(toFile: saved, atomically: true, encoding: .utf8)
            let check = try Harness.run(Self.porter, ["check-config", saved])
            #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
            // Porter, on its own port, reads what nutcracker wrote.
            let port = freePort()
            let app = try await startPorter(
                yaml: "log: { level: error }\n"
                    + yaml.replacingOccurrences(
                        of: "listen: \"127.0.0.1:\(ports[0])\"", with: "listen: 127.0.0.1:\(port)"))
            try await finally {
                let nc = try RedisTestClient(port: ports[0])
                #expect(try nc.command("AUTH", password) == .simple("OK"))
                let keys = (0..<2000).map { $0 % 10 == 0 ? "{user:\($0 / 10)}:cart" : "PHPREDIS_SESSION:import\($0)" }
                let client = try RedisTestClient(port: port)
                #expect(try client.command("GET", keys[1]) == .error("NOAUTH Authentication required."))
                #expect(try client.command("AUTH", password) == .simple("OK"))
                #expect(try Self.found(keys, writtenThrough: nc, readThrough: client) == keys.count)
                // nutcracker wrote database 0 despite redis_db: 2 (it sends SELECT before AUTH),
                // which is why the import keeps Porter's clients there.
                var inZero = 0
                for server in servers {
                    let direct = try RedisTestClient(port: server.port)
                    _ = try direct.command("AUTH", password)
                    if case .integer(let n) = try direct.command("DBSIZE") { inZero += n }
                }
                #expect(inZero == keys.count)
            } stop: {
                await app.stop()
            }
        } stop: {
            nutcracker.stop()
            for server in servers { server.stop() }
        }
    }

    /// Sets each key to itself through `writer` (nutcracker), pipelined; how many `reader`
    /// (Porter) reads back as written.
    static func found(_ keys: [String], writtenThrough writer: RedisTestClient, readThrough reader: RedisTestClient) throws -> Int {
        try writer.send(raw: keys.flatMap { RedisTestClient.encode(["SET", $0, $0]) })
        for _ in keys { _ = try writer.readReply() }
        try reader.send(raw: keys.flatMap { RedisTestClient.encode(["GET", $0]) })
        var found = 0
        for key in keys where try reader.readReply() == .bulk(Array(key.utf8)) { found += 1 }
        return found
    }

    /// Without redis_auth, nutcracker selects redis_db on its server connections: the import
    /// starts Porter's clients in that database, and Porter finds every key there.
    @Test func redisDbCarriesOver() async throws {
        var servers: [ServerProcess] = []
        for _ in 0..<2 { servers.append(try await Harness.startRedis()) }
        let body = """
            redis: true
            redis_db: 3
            servers:
             - 127.0.0.1:\(servers[0].port):1
             - 127.0.0.1:\(servers[1].port):1
            """
        let (nutcracker, ports) = try await Harness.startNutcracker(pools: [(name: "db", body: body)])
        try await finally {
            let yaml = try TwemproxyImport.convert(
                yaml: String(contentsOf: nutcracker.directory.appendingPathComponent("nutcracker.yml"), encoding: .utf8))
            #expect(yaml.contains("  database: 3\n"), "\(yaml)")
            let port = freePort()
            let app = try await startPorter(
                yaml: "log: { level: error }\n"
                    + yaml.replacingOccurrences(of: "listen: \"127.0.0.1:\(ports[0])\"", with: "listen: 127.0.0.1:\(port)"))
            try await finally {
                let nc = try RedisTestClient(port: ports[0])
                let keys = (0..<500).map { "PHPREDIS_SESSION:db\($0)" }
                let client = try RedisTestClient(port: port)
                #expect(try Self.found(keys, writtenThrough: nc, readThrough: client) == keys.count)
                var inThree = 0
                for server in servers {
                    let direct = try RedisTestClient(port: server.port)
                    #expect(try direct.command("DBSIZE") == .integer(0))
                    _ = try direct.command("SELECT", "3")
                    if case .integer(let n) = try direct.command("DBSIZE") { inThree += n }
                }
                #expect(inThree == keys.count)
                // SELECT still moves a client, and RESET brings it back to database 3.
                #expect(try client.command("SELECT", "0") == .simple("OK"))
                #expect(try client.command("GET", keys[0]) == .null)
                _ = try client.command("RESET")
                #expect(try client.command("GET", keys[0]) == .bulk(Array(keys[0].utf8)))
            } stop: {
                await app.stop()
            }
        } stop: {
            nutcracker.stop()
            for server in servers { server.stop() }
        }
    }

    @Test func whatCannotBeImportedIsRefusedWithTheReason() throws {
        let two =
            "a:\n  listen: 127.0.0.1:1\n  redis: true\n  servers: [\"h:1:1\"]\nb:\n  listen: 127.0.0.1:2\n  redis: true\n  servers: [\"h:2:1\"]\n"
        #expect(throws: TwemproxyImport.Failure.self) { try TwemproxyImport.convert(yaml: two) }
        #expect(try TwemproxyImport.convert(yaml: two, pool: "b").contains("name: \"h:2\""))
        let memcached = "m:\n  listen: 127.0.0.1:1\n  servers: [\"h:11211:1\"]\n"
        #expect { try TwemproxyImport.convert(yaml: memcached) } throws: { "\($0)".contains("memcached") }
        let badServer = "r:\n  listen: 127.0.0.1:1\n  redis: true\n  servers: [\"h:port:1\"]\n"
        #expect { try TwemproxyImport.convert(yaml: badServer) } throws: { "\($0)".contains("servers[0]") }
        // Port 11211 is hashed without the port, as nutcracker (libmemcached) does.
        let legacy =
            "r:\n  listen: 127.0.0.1:1\n  redis: true\n  servers: [\"10.0.0.5:11211:1\", \"/tmp/r.sock:1 local\"]\n"
        // A key nutcracker does not know is refused (nutcracker refuses it too); reuseport, which
        // Debian's 0.5.0 does not take, is noted like the other socket settings.
        let typo = "r:\n  listen: 127.0.0.1:1\n  redis: true\n  hahs: md5\n  servers: [\"h:1:1\"]\n"
        #expect { try TwemproxyImport.convert(yaml: typo) } throws: { "\($0)".contains("'hahs' is not a nutcracker setting") }
        let reuse = "r:\n  listen: 127.0.0.1:1\n  redis: true\n  reuseport: true\n  servers: [\"h:1:1\"]\n"
        #expect(try TwemproxyImport.convert(yaml: reuse).contains("# Note: reuseport:"))
        let converted = try TwemproxyImport.convert(yaml: legacy)
        #expect(converted.contains("name: \"10.0.0.5\", primary: \"10.0.0.5:11211\""))
        #expect(converted.contains("name: \"local\", primary: \"unix:/tmp/r.sock\""))
    }
}
