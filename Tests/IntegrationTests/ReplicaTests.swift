import Foundation
import Logging
import PorterApp
import PorterTestHarness
import Testing
import Topology

/// A primary with two replicas (real redis-server replication), Porter in front.
final class ReplicatedFixture: @unchecked Sendable {
    let primary: ServerProcess
    var replicas: [ServerProcess]
    let app: PorterApplication
    let port: Int

    static func start(readFrom: String, extra: String = "") async throws -> ReplicatedFixture {
        let primary = try await Harness.startRedis()
        var replicas: [ServerProcess] = []
        for _ in 0..<2 {
            replicas.append(try await Harness.startRedis(arguments: ["--replicaof", "127.0.0.1", "\(primary.port)"]))
        }
        try await Harness.waitUntilLinked(replicas, primary: primary)
        let port = freePort()
        let yaml = """
            listen: 127.0.0.1:\(port)
            log: { level: error }
            upstream:
              read_from: \(readFrom)
              health: { interval: 100ms, timeout: 200ms, rise: 1, fall: 1, eject_after_errors: 1 }
              pool: { connections_per_node: 1, connect_timeout: 200ms, command_timeout: 1s }
            \(extra)
              groups:
                - name: sessions
                  primary: 127.0.0.1:\(primary.port)
                  replicas: [127.0.0.1:\(replicas[0].port), 127.0.0.1:\(replicas[1].port)]
            """
        let app = try await startPorter(yaml: yaml)
        return ReplicatedFixture(primary: primary, replicas: replicas, app: app, port: port)
    }

    init(primary: ServerProcess, replicas: [ServerProcess], app: PorterApplication, port: Int) {
        self.primary = primary
        self.replicas = replicas
        self.app = app
        self.port = port
    }

    /// GETs a node has served (health checks send only PING and ROLE).
    static func gets(_ server: ServerProcess) throws -> Int {
        guard case .bulk(let info) = try RedisTestClient(port: server.port).command("INFO", "commandstats") else {
            return -1
        }
        let text = String(decoding: info, as: UTF8.self)
        guard let line = text.split(separator: "\r\n").first(where: { $0.hasPrefix("cmdstat_get:") }),
            let calls = line.split(separator: "=").dropFirst().first?.split(separator: ",").first
        else { return 0 }
        return Int(calls) ?? 0
    }

    func waitForTopology(_ condition: @escaping (PorterAppTopology) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let t = await self.app.proxy.topology(), condition(PorterAppTopology(t)) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("topology did not reach the expected state")
    }

    func stop() async {
        await self.app.stop()
        self.primary.stop()
        for r in self.replicas { r.stop() }
    }
}

@Suite("Replicas, health and read routing")
struct ReplicaTests {
    @Test func readsSpreadOverReplicasAndAreNeverStale() async throws {
        let f = try await ReplicatedFixture.start(readFrom: "replicas_then_primary")
        try await finally {
            let c = try RedisTestClient(port: f.port)
            // A session written through Porter reads back at once, even though replicas lag.
            for i in 0..<200 {
                #expect(try c.command("SET", "sess:\(i)", "v\(i)") == .simple("OK"))
                #expect(try c.command("GET", "sess:\(i)") == .bulk(Array("v\(i)".utf8)))
            }
            // Keys written long ago (by someone else) are read from the replicas.
            _ = try RedisTestClient(port: f.primary.port).command("SET", "old", "x")
            try await Task.sleep(for: .milliseconds(100))
            for _ in 0..<50 { #expect(try c.command("GET", "old") == .bulk([120])) }
            #expect(try ReplicatedFixture.gets(f.replicas[0]) > 0)
            #expect(try ReplicatedFixture.gets(f.replicas[1]) > 0)
            // Lock keys are read from the primary only.
            let before = try f.replicas.map(ReplicatedFixture.gets)
            for _ in 0..<20 { _ = try c.command("GET", "PHPREDIS_SESSION:abc_LOCK") }
            #expect(try f.replicas.map(ReplicatedFixture.gets) == before)
        } stop: {
            await f.stop()
        }
    }

    @Test func killingAReplicaCausesNoClientErrors() async throws {
        let f = try await ReplicatedFixture.start(readFrom: "replicas_then_primary")
        try await finally {
            _ = try RedisTestClient(port: f.primary.port).command("SET", "k", "v")
            try await Task.sleep(for: .milliseconds(100))
            let c = try RedisTestClient(port: f.port)
            var errors = 0
            var wrong = 0
            for i in 0..<3000 {
                if i == 500 { f.replicas[0].kill() }
                let reply = try c.command("GET", "k")
                if reply.isError { errors += 1 } else if reply != .bulk([118]) { wrong += 1 }
            }
            #expect(errors == 0, "client-visible errors after kill -9 of a replica")
            #expect(wrong == 0)
            try await f.waitForTopology { $0.replicaReadable(0) == false }
        } stop: {
            await f.stop()
        }
    }

    @Test func primaryPolicyReadsFromReplicasOnlyWhenThePrimaryIsDown() async throws {
        let f = try await ReplicatedFixture.start(readFrom: "primary")
        try await finally {
            let c = try RedisTestClient(port: f.port)
            #expect(try c.command("SET", "s", "1") == .simple("OK"))
            for _ in 0..<50 { #expect(try c.command("GET", "s") == .bulk([49])) }
            #expect(try f.replicas.map(ReplicatedFixture.gets) == [0, 0])
            // Both replicas have "s" before the primary dies.
            #expect(try RedisTestClient(port: f.primary.port).command("WAIT", "2", "5000") == .integer(2))
            f.primary.kill()
            // Reads keep working from the replicas; writes fail fast with a clear error.
            var served = 0
            for _ in 0..<50 where try c.command("GET", "s") == .bulk([49]) { served += 1 }
            #expect(served == 50)
            let write = try c.command("SET", "s", "2")
            #expect(write.errorText.hasPrefix("ERR Porter:"), "\(write)")
        } stop: {
            await f.stop()
        }
    }

    /// A replica that hangs (SIGSTOP: connections open, no answers, as under `DEBUG SLEEP`)
    /// stops getting reads once its health check times out; reads sent to it before that are
    /// retried elsewhere, so the client sees values, never errors.
    @Test func aHungReplicaStopsGettingReads() async throws {
        let f = try await ReplicatedFixture.start(readFrom: "replicas_then_primary")
        try await finally {
            let c = try RedisTestClient(port: f.port)
            // Written by someone else (not through this Porter), so reads of it go to the replicas.
            #expect(try RedisTestClient(port: f.primary.port).command("SET", "k", "v") == .simple("OK"))
            #expect(try RedisTestClient(port: f.primary.port).command("WAIT", "2", "5000") == .integer(2))
            f.replicas[0].pause()
            defer { f.replicas[0].resume() }
            var errors = 0
            for _ in 0..<20 where try c.command("GET", "k").isError { errors += 1 }
            try await f.waitForTopology { $0.replicaReadable(0) == false }
            let started = ContinuousClock.now
            for _ in 0..<200 where try c.command("GET", "k") != .bulk([118]) { errors += 1 }
            #expect(errors == 0)
            // Nothing waits on the hung replica any more: 200 reads take far less than one timeout.
            #expect(ContinuousClock.now - started < .seconds(1))
            f.replicas[0].resume()
            try await f.waitForTopology { $0.replicaReadable(0) }
        } stop: {
            await f.stop()
        }
    }

    @Test func aReplicaCutFromItsPrimaryIsNotReadFrom() async throws {
        let f = try await ReplicatedFixture.start(readFrom: "replicas_then_primary")
        try await finally {
            // Point replica 0 at a primary that does not exist: its link goes down, its data goes stale.
            #expect(
                try RedisTestClient(port: f.replicas[0].port).command("REPLICAOF", "127.0.0.1", "1") == .simple("OK"))
            try await f.waitForTopology { $0.replicaReadable(0) == false && $0.replicaReadable(1) }
            let before = try ReplicatedFixture.gets(f.replicas[0])
            let c = try RedisTestClient(port: f.port)
            for _ in 0..<100 { _ = try c.command("GET", "x") }
            #expect(try ReplicatedFixture.gets(f.replicas[0]) == before)
            #expect(try ReplicatedFixture.gets(f.replicas[1]) > 0)
        } stop: {
            await f.stop()
        }
    }
}

/// A small reading aid over the snapshot for the tests above.
struct PorterAppTopology {
    let snapshot: Topology.TopologySnapshot
    init(_ snapshot: Topology.TopologySnapshot) { self.snapshot = snapshot }
    func replicaReadable(_ i: Int) -> Bool { self.snapshot.groups[0].replicas[i].readable }
}
