import Foundation
import PorterApp
import PorterTestHarness
import Testing

/// A twemproxy user's move is one command: `porter import-twemproxy nutcracker.yml` prints a
/// porter.yaml that `check-config` accepts and that finds every key where nutcracker put it.
@Suite("porter import-twemproxy")
struct TwemproxyImportTests {
    static let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path

    @Test func theImportedConfigurationFindsEveryKeyNutcrackerWrote() async throws {
        var servers: [ServerProcess] = []
        for _ in 0..<3 { servers.append(try await Harness.startRedis()) }
        let body = """
            hash: murmur
            distribution: ketama
            hash_tag: "{}"
            redis: true
            timeout: 400
            server_connections: 2
            auto_eject_hosts: true
            server_retry_timeout: 2000
            server_failure_limit: 1
            preconnect: true
            servers:
             - 127.0.0.1:\(servers[0].port):1 sessions-a
             - 127.0.0.1:\(servers[1].port):2
             - 127.0.0.1:\(servers[2].port):1 sessions-c
            """
        let (nutcracker, ports) = try await Harness.startNutcracker(pools: [(name: "web", body: body)])
        try await finally {
            let file = nutcracker.directory.appendingPathComponent("nutcracker.yml").path
            let run = try Harness.run(Self.porter, ["import-twemproxy", file])
            #expect(run.status == 0, "\(run.stderr)")
            let yaml = run.stdout
            #expect(yaml.contains("name: \"127.0.0.1:\(servers[1].port)\""), "an unnamed server keeps host:port")
            #expect(yaml.contains("weight: 2") && yaml.contains("hash_tag: \"{}\"") && yaml.contains("400ms"))
            #expect(yaml.contains("# Note: auto_eject_hosts: not carried over"), "\(yaml)")
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
                let keys = (0..<2000).map { $0 % 10 == 0 ? "{user:\($0 / 10)}:cart" : "PHPREDIS_SESSION:import\($0)" }
                try nc.send(raw: keys.flatMap { RedisTestClient.encode(["SET", $0, $0]) })
                for _ in keys { _ = try nc.readReply() }
                let client = try RedisTestClient(port: port)
                try client.send(raw: keys.flatMap { RedisTestClient.encode(["GET", $0]) })
                var found = 0
                for key in keys where try client.readReply() == .bulk(Array(key.utf8)) { found += 1 }
                #expect(found == keys.count)
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
        let converted = try TwemproxyImport.convert(yaml: legacy)
        #expect(converted.contains("name: \"10.0.0.5\", primary: \"10.0.0.5:11211\""))
        #expect(converted.contains("name: \"local\", primary: \"unix:/tmp/r.sock\""))
    }
}
