import Admin
import Foundation
import PorterApp
import PorterTestHarness
import Testing

/// Configuration reloads against real servers, while clients keep pipelining.
@Suite(.serialized) struct ReloadTests {
    static func yaml(port: Int, primary: Int, replicas: [Int], connections: Int, interval: String) -> String {
        """
        listen: 127.0.0.1:\(port)
        admin: 127.0.0.1:0
        log: { level: error }
        upstream:
          read_from: replicas_then_primary
          read_your_writes_window: 0
          # No second chance: a read in flight on the removed replica must finish there.
          retry_reads: false
          health: { interval: \(interval), timeout: 200ms, rise: 1, fall: 1 }
          pool: { connections_per_node: \(connections), connect_timeout: 200ms, command_timeout: 2s }
          groups:
            - name: sessions
              primary: 127.0.0.1:\(primary)
              replicas: [\(replicas.map { "127.0.0.1:\($0)" }.joined(separator: ", "))]
        """
    }

    /// Porter's connections to a node (pool and health check), from the node's CLIENT LIST.
    static func porterConnections(_ server: ServerProcess) throws -> Int {
        guard case .bulk(let list) = try RedisTestClient(port: server.port).command("CLIENT", "LIST") else { return -1 }
        return String(decoding: list, as: UTF8.self).split(separator: "\n").filter { $0.contains("name=porter") }.count
    }

    @Test func reloadSwapsAReplicaUnderPipelineLoadWithoutAClientError() async throws {
        let primary = try await Harness.startRedis()
        let first = try await Harness.startRedis(arguments: ["--replicaof", "127.0.0.1", "\(primary.port)"])
        let second = try await Harness.startRedis(arguments: ["--replicaof", "127.0.0.1", "\(primary.port)"])
        defer { for server in [primary, first, second] { server.stop() } }
        try await Harness.waitUntilLinked([first, second], primary: primary)
        let port = freePort()
        let path = primary.directory.appendingPathComponent("porter.yaml").path
        let app = try await startPorter(
            yaml: Self.yaml(
                port: port, primary: primary.port, replicas: [first.port], connections: 1, interval: "100ms"),
            configPath: path)

        let load = PipelineLoad(port: port, connections: 4, depth: 50)
        try await Task.sleep(for: .seconds(1))
        #expect(try ReplicatedFixture.gets(first) > 0, "reads go to the configured replica")
        #expect(try ReplicatedFixture.gets(second) == 0)

        // Swap the replica, double the pool, slow the checks: one reload.
        try Self.yaml(port: port, primary: primary.port, replicas: [second.port], connections: 2, interval: "200ms")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let before = load.replyCount
        let outcome = await app.reload()
        #expect(outcome.applied, "\(outcome.error ?? "")")
        #expect(
            outcome.changes.contains("group 'sessions' replicas: +127.0.0.1:\(second.port) -127.0.0.1:\(first.port)"))
        #expect(outcome.changes.contains("upstream.pool.connections_per_node: 1 → 2"))
        #expect(outcome.restartRequired.isEmpty)

        try await Task.sleep(for: .milliseconds(500))
        let firstGets = try ReplicatedFixture.gets(first)
        try await Task.sleep(for: .seconds(1))
        #expect(try ReplicatedFixture.gets(first) == firstGets, "the removed replica gets no more reads")
        #expect(try ReplicatedFixture.gets(second) > 0, "the added replica serves reads")
        #expect(try Self.porterConnections(first) == 0, "Porter's connections to the removed replica are closed")
        #expect(try Self.porterConnections(second) >= 2)

        // An invalid file is refused and the running configuration stays.
        try "upstream: { groups: [ { name: sessions, primary: 127.0.0.1:\(primary.port), replicas: nope } ] }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let refused = await app.reload()
        #expect(!refused.applied)
        #expect(refused.error?.contains("upstream.groups[0].replicas") == true, "\(refused.error ?? "")")
        try await Task.sleep(for: .milliseconds(300))

        let (replies, errors) = await load.stop()
        #expect(errors.isEmpty, "client errors: \(errors)")
        #expect(replies > before, "the pipelines kept running across the reload")
        let topology = try #require(await app.proxy.topology())
        #expect(topology.groups[0].replicas.map { "\($0.address)" } == ["127.0.0.1:\(second.port)"])
        #expect(app.configuration.proxy.upstream.connectionsPerNode == 2)
        await app.stop()
    }
}
