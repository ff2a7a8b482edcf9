import Foundation
import PorterTestHarness
import Testing

@Suite("Failover with Redis Sentinel")
struct FailoverTests {
    /// A primary, two replicas and three sentinels (quorum 2, down-after 1 s). Porter finds the
    /// primary through the sentinels; the primary is killed; writes come back on the promoted
    /// replica without a restart, and no acknowledged write is lost... as far as replication
    /// had carried it (durable writes, `wait_replicas`, are not built yet).
    @Test func writesFollowThePromotedReplica() async throws {
        // No 5 s delay before the replicas' first full sync (Redis 7's default).
        let primary = try await Harness.startRedis(arguments: ["--repl-diskless-sync-delay", "0"])
        var servers = [primary]
        for _ in 0..<2 {
            servers.append(try await Harness.startRedis(arguments: ["--replicaof", "127.0.0.1", "\(primary.port)"]))
        }
        var sentinels: [ServerProcess] = []
        for _ in 0..<3 {
            sentinels.append(try await Harness.startSentinel(master: "sessions", primaryPort: primary.port))
        }
        defer {
            for s in sentinels { s.stop() }
            for s in servers { s.stop() }
        }
        // Sentinels must have found the replicas before a failover can pick one.
        let ready = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < ready {
            if case .array(let replicas) = try RedisTestClient(port: sentinels[0].port).command(
                "SENTINEL", "replicas", "sessions"),
                replicas.count == 2
            {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        // And the replicas must be in sync, or a write made now dies with the primary.
        try await Harness.waitUntilLinked(Array(servers.dropFirst()))
        let port = freePort()
        let nodes = sentinels.map { "127.0.0.1:\($0.port)" }.joined(separator: ", ")
        let app = try await startPorter(
            yaml: """
                listen: 127.0.0.1:\(port)
                log: { level: error }
                upstream:
                  health: { interval: 200ms, timeout: 200ms, rise: 1, fall: 1 }
                  pool: { connections_per_node: 1, connect_timeout: 200ms, command_timeout: 500ms }
                  groups:
                    - name: sessions
                      sentinel: { master: sessions, nodes: [\(nodes)] }
                """)
        defer { Task { await app.stop() } }
        let c = try RedisTestClient(port: port)
        #expect(try c.command("SET", "before", "1") == .simple("OK"))
        let topology = await app.proxy.topology()
        #expect(topology?.groups.first?.primary.address.description == "127.0.0.1:\(primary.port)")
        #expect(topology?.groups.first?.replicas.count == 2)
        // Asynchronous replication: only a write both replicas hold must survive the failover
        // (durable writes, `wait_replicas`, are the next step).
        let replicated = ContinuousClock.now + .seconds(10)
        for replica in servers.dropFirst() {
            while ContinuousClock.now < replicated,
                try RedisTestClient(port: replica.port).command("GET", "before") != .bulk([49])
            {
                try await Task.sleep(for: .milliseconds(20))
            }
        }

        let killedAt = ContinuousClock.now
        primary.kill()
        var recoveredAfter: Duration? = nil
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try c.command("SET", "after", "2") == .simple("OK") {
                recoveredAfter = ContinuousClock.now - killedAt
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let recovered = try #require(recoveredAfter, "writes never came back after the primary was killed")
        print("failover: writes back \(recovered) after kill -9 of the primary")
        let before = try c.command("GET", "before")
        #expect(before == .bulk([49]), "got \(before)")
        let after = try c.command("GET", "after")
        #expect(after == .bulk([50]), "got \(after)")
        let now = await app.proxy.topology()
        #expect(now?.groups.first?.primary.address.description != "127.0.0.1:\(primary.port)")
    }

    @Test func noSentinelAnswersIsAClearStartupError() async throws {
        let port = freePort()
        do {
            _ = try await startPorter(
                yaml: """
                    listen: 127.0.0.1:\(port)
                    log: { level: error }
                    upstream:
                      health: { timeout: 100ms }
                      groups:
                        - name: s
                          sentinel: { master: nope, nodes: [127.0.0.1:\(freePort())] }
                    """)
            Issue.record("Porter started without any sentinel")
        } catch {
            #expect("\(error)".contains("no sentinel answered for master 'nope'"), "\(error)")
        }
    }
}
