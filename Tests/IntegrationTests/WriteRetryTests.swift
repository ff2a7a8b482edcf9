import Foundation
import PorterApp
import PorterTestHarness
import Testing

@Suite("Writes: -READONLY, DNS endpoints, idempotent retries")
struct WriteRetryTests {
    /// ElastiCache style: the group's primary is a DNS name. The name is moved to another node
    /// and the old node demoted; Porter's next write meets `-READONLY` on its open connection,
    /// resolves the name again, and sends the write once more to the new primary: the client
    /// sees OK.
    @Test func aReadonlyWriteFollowsTheNameToTheNewPrimary() async throws {
        let hosts = try HostsFile()
        defer { hosts.restore() }
        let name = "porter-test-primary-\(UInt32.random(in: 0...UInt32.max))"
        let redisPort = freePort()
        let a = try await Harness.startRedis(
            host: "127.0.0.2", port: redisPort, arguments: ["--repl-diskless-sync-delay", "0"])
        defer { a.stop() }
        let b = try await Harness.startRedis(
            host: "127.0.0.3", port: redisPort,
            arguments: ["--replicaof", "127.0.0.2", "\(redisPort)", "--repl-diskless-sync-delay", "0"])
        defer { b.stop() }
        try hosts.set(name, to: "127.0.0.2")
        let port = freePort()
        // Health checks every 5 s: the -READONLY reply, not a check, must find the change.
        let app = try await startPorter(
            yaml: """
                listen: 127.0.0.1:\(port)
                log: { level: error }
                upstream:
                  health: { interval: 5s, timeout: 300ms, rise: 1, fall: 1 }
                  pool: { connections_per_node: 1, command_timeout: 2s }
                  groups:
                    - name: sessions
                      primary: \(name):\(redisPort)
                """)
        try await finally {
            let c = try RedisTestClient(port: port)
            #expect(try c.command("SET", "before", "1") == .simple("OK"))
            #expect(try RedisTestClient(host: "127.0.0.2", port: redisPort).command("GET", "before") == .bulk([49]))

            // The failover, as the managed service does it: promote b, demote a, move the name.
            #expect(
                try RedisTestClient(host: "127.0.0.3", port: redisPort).command("REPLICAOF", "NO", "ONE")
                    == .simple("OK"))
            #expect(
                try RedisTestClient(host: "127.0.0.2", port: redisPort).command(
                    "REPLICAOF", "127.0.0.3", "\(redisPort)")
                    == .simple("OK"))
            try hosts.set(name, to: "127.0.0.3")

            let reply = try c.command("SET", "after", "2")
            #expect(reply == .simple("OK"), "\(reply)")
            #expect(try RedisTestClient(host: "127.0.0.3", port: redisPort).command("GET", "after") == .bulk([50]))
            let stats = await app.proxy.stats()
            #expect(stats.heldWrites >= 1, "the write did not go through the -READONLY path")
            for i in 0..<50 { #expect(try c.command("SET", "k\(i)", "v") == .simple("OK")) }
        } stop: {
            await app.stop()
        }
    }

    /// A static primary (an IP address) that becomes a replica gets no more writes: its
    /// -READONLY marks it down, and writes fail with an error that says why.
    @Test func aDemotedStaticPrimaryGetsNoWrites() async throws {
        let f = try await ReplicatedFixture.start(readFrom: "primary")
        try await finally {
            let c = try RedisTestClient(port: f.port)
            #expect(try c.command("SET", "k", "1") == .simple("OK"))
            #expect(
                try RedisTestClient(port: f.primary.port).command("REPLICAOF", "127.0.0.1", "\(f.replicas[0].port)")
                    == .simple("OK"))
            let refused = try c.command("SET", "k", "2")
            #expect(refused.errorText.hasPrefix("ERR Porter:"), "\(refused)")
            #expect(refused.errorText.contains("READONLY"), "\(refused)")
            let next = try c.command("SET", "k", "3")
            #expect(next.errorText.contains("is down"), "\(next)")
            // Reads still work.
            #expect(!(try c.command("GET", "k")).isError)
        } stop: {
            await f.stop()
        }
    }

    /// Porter's connections to the primary are killed while a long pipeline of SETEX is in
    /// flight: the writes that may or may not have run are idempotent, so Porter sends them
    /// again and the client sees no error.
    @Test func idempotentWritesInFlightSurviveAConnectionKill() async throws {
        let f = try await ReplicatedFixture.start(readFrom: "primary")
        try await finally {
            let admin = try RedisTestClient(port: f.primary.port)
            let c = try RedisTestClient(port: f.port, timeoutSeconds: 30)
            var errors: [String] = []
            for round in 0..<3 {
                var pipeline: [UInt8] = []
                for i in 0..<3000 {
                    pipeline += RedisTestClient.encode(["SETEX", "sess:\(round):\(i)", "600", "data-\(i)"])
                }
                try c.send(raw: pipeline)
                try await Task.sleep(for: .milliseconds(3))
                _ = try admin.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")
                for _ in 0..<3000 {
                    let reply = try c.readReply()
                    if reply.isError { errors.append(reply.errorText) }
                }
            }
            #expect(errors.isEmpty, "\(errors.count) errors, first: \(errors.first ?? "")")
            let stats = await f.app.proxy.stats()
            #expect(stats.retries > 0, "no write was in flight when the connections were killed")
            let check = try RedisTestClient(port: f.primary.port)
            #expect(try check.command("DBSIZE") == .integer(9000))
        } stop: {
            await f.stop()
        }
    }
}
