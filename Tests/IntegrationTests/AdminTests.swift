import Admin
import AdminAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import MetricsTestKit
import PorterApp
import PorterTestHarness
import Telemetry
import Testing

private let token = "test-admin-token-0123456789"

/// The admin routes of a real Porter in front of a real redis-server, through HummingbirdTesting.
@Suite(.serialized) struct AdminTests {
    static func configYAML(redisPort: Int, port: Int, token: String?, replicas: [Int] = [], extra: String = "")
        -> String
    {
        let admin = token.map { "admin: { listen: 127.0.0.1:0, token: \($0) }\n" } ?? "admin: 127.0.0.1:0\n"
        let replicaList =
            replicas.isEmpty ? "" : "\n      replicas: [\(replicas.map { "127.0.0.1:\($0)" }.joined(separator: ", "))]"
        return """
            listen: 127.0.0.1:\(port)
            \(admin)log: { level: error }
            upstream:
              health: { interval: 100ms, timeout: 200ms, rise: 1, fall: 1 }
              pool: { connections_per_node: 1, connect_timeout: 200ms, command_timeout: 1s }
            \(extra)
              groups:
                - name: sessions
                  primary: 127.0.0.1:\(redisPort)\(replicaList)
            """
    }

    @Test func routesAnswerAndReloadNeedsTheToken() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let configPath = redis.directory.appendingPathComponent("porter.yaml").path
        let port = freePort()
        let app = try await startPorter(
            yaml: Self.configYAML(redisPort: redis.port, port: port, token: token), configPath: configPath)
        let client = try RedisTestClient(port: port)
        for i in 0..<20 { _ = try client.command("SET", "session:\(i)", "v") }
        _ = try client.command("GET", "session:1")
        _ = try client.command("NOSUCHCOMMAND")

        let hummingbird = Application(router: app.admin.makeRouter())
        try await hummingbird.test(.router) { http in
            try await http.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
            try await http.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await http.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"porter_commands_total{command="set",result="ok"} 20"#))
                #expect(text.contains(#"porter_commands_total{command="unknown",result="error"} 1"#))
                #expect(text.contains(#"porter_upstream_duration_seconds_count{node="127.0.0.1:\#(redis.port)"}"#))
                #expect(text.contains(#"porter_command_duration_seconds_bucket{class="write",le="+Inf"} 20"#))
                #expect(text.contains(#"porter_node_up{group="sessions",node="127.0.0.1:\#(redis.port)"} 1"#))
                #expect(text.contains("# HELP porter_retries_total "))
                // Every series comes from the names table.
                let declared = Set(PorterMetric.all.map(\.name))
                for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                    var name = String(line.prefix { $0 != "{" && $0 != " " })
                    for suffix in ["_bucket", "_sum", "_count"] where !declared.contains(name) && name.hasSuffix(suffix)
                    {
                        name = String(name.dropLast(suffix.count))
                    }
                    #expect(declared.contains(name), "undeclared metric \(name)")
                }
            }
            // The console shows the sampler's latest sample (a scrape takes none): take one.
            await app.monitor.sample()
            try await http.execute(uri: "/v1/topology", method: .get) { response in
                #expect(response.status == .ok)
                let status = try AdminJSON.decode(PorterStatus.self, from: Data(response.body.readableBytesView))
                #expect(status.ready)
                #expect(status.groups.first?.nodes.first?.address == "127.0.0.1:\(redis.port)")
                #expect(status.groups.first?.nodes.first?.role == "primary")
                #expect(status.groups.first?.nodes.first?.resolvedTo == nil, "an IP address resolves to nothing")
                #expect(status.traffic.commands >= 22)
            }
            try await http.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("/v1/topology"))
                #expect(
                    !page.contains("http://") && !page.contains("https://"), "the console loads nothing from elsewhere")
            }
            // Reload: refused without the token or with a wrong one (401), applied with it.
            try await http.execute(uri: "/v1/config/reload", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await http.execute(
                uri: "/v1/config/reload", method: .post, headers: [.authorization: "Bearer wrong-token-0123456789"]
            ) { response in
                #expect(response.status == .unauthorized)
            }
            try await http.execute(
                uri: "/v1/config/reload", method: .post, headers: [.authorization: "Bearer \(token)"]
            ) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""applied":true"#))
            }
            // The scheme is case-insensitive (RFC 9110).
            try await http.execute(
                uri: "/v1/config/reload", method: .post, headers: [.authorization: "bearer \(token)"]
            ) { response in
                #expect(response.status == .ok)
            }
            // An invalid file is refused with the key and the reason; the running config stays.
            try "listen: 127.0.0.1:\(port)\nupstream:\n  groups:\n    - { name: x, primary: not-an-address }\n"
                .write(toFile: configPath, atomically: true, encoding: .utf8)
            try await http.execute(
                uri: "/v1/config/reload", method: .post, headers: [.authorization: "Bearer \(token)"]
            ) { response in
                #expect(response.status == .unprocessableContent)
                let body = String(buffer: response.body)
                #expect(body.contains("upstream.groups[0].primary"), "\(body)")
                #expect(body.contains("not-an-address"), "\(body)")
            }
        }
        #expect(try client.command("GET", "session:1") == .bulk(Array("v".utf8)))
        let status = await app.monitor.status()
        #expect(status.config.reloads == 2 && status.config.reloadsRefused == 1)

        // The primary goes away: not ready, and the reason names it.
        redis.kill()
        let deadline = ContinuousClock.now + .seconds(10)
        var last = ""
        while ContinuousClock.now < deadline {
            let (ready, reason) = await app.monitor.readiness()
            last = reason ?? ""
            if !ready { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let lastReason = last
        try await hummingbird.test(.router) { http in
            try await http.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = String(buffer: response.body)
                #expect(body.contains("primary 127.0.0.1:\(redis.port) is down"), "\(body) / \(lastReason)")
            }
        }
        await app.stop()
    }

    @Test func mutatingEndpointsAreOffWithoutAToken() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let app = try await startPorter(yaml: Self.configYAML(redisPort: redis.port, port: freePort(), token: nil))
        try await Application(router: app.admin.makeRouter()).test(.router) { http in
            try await http.execute(
                uri: "/v1/config/reload", method: .post, headers: [.authorization: "Bearer anything-at-all-here"]
            ) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("PORTER_ADMIN_TOKEN"))
            }
        }
        await app.stop()
    }

    /// The admin server really listens (not only the router): `porter status`, the command line
    /// an operator runs on the box, reaches it over TCP and prints the topology.
    @Test func porterStatusPrintsTheTopology() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let port = freePort()
        let app = try await startPorter(yaml: Self.configYAML(redisPort: redis.port, port: port, token: nil))
        let client = try RedisTestClient(port: port)
        for i in 0..<50 { _ = try client.command("SET", "k\(i)", "v") }
        await app.monitor.sample()
        let adminPort = try #require(app.adminPort)
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        let result = try Harness.run(porter, ["status", "--admin", "127.0.0.1:\(adminPort)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Porter ready"), "\(result.stdout)")
        #expect(result.stdout.contains("group sessions"), "\(result.stdout)")
        #expect(result.stdout.contains("127.0.0.1:\(redis.port)  primary     primary  up"), "\(result.stdout)")
        let json = try Harness.run(porter, ["status", "--admin", "127.0.0.1:\(adminPort)", "--json"])
        #expect(json.stdout.contains(#""address":"127.0.0.1:\#(redis.port)""#))
        await app.stop()
        let down = try Harness.run(porter, ["status", "--admin", "127.0.0.1:\(adminPort)"])
        #expect(down.status == 1 && down.stderr.contains("cannot reach the admin API"), "\(down.stderr)")
    }

    /// A Prometheus scrape exports the counters as they are, and leaves the console's sample and
    /// its two-minute rate series alone (each scrape used to take a sample and add a point).
    @Test func aScrapeDoesNotChangeWhatTheConsoleShows() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let metrics = TestMetrics()
        let port = freePort()
        let app = try await startPorter(
            yaml: Self.configYAML(redisPort: redis.port, port: port, token: nil).replacingOccurrences(
                of: "admin: 127.0.0.1:0", with: "admin: { listen: 127.0.0.1:0, sample_interval: 1h }"),
            metricsFactory: metrics)
        let client = try RedisTestClient(port: port)
        await app.monitor.sample()
        await app.monitor.sample()
        let before = await app.monitor.status()
        for i in 0..<4 { _ = try client.command("GET", "s:\(i)") }
        for _ in 0..<5 { _ = await app.monitor.prometheusText(registryText: { "" }) }
        let after = await app.monitor.status()
        #expect(after.recentOpsPerSecond == before.recentOpsPerSecond, "\(after.recentOpsPerSecond)")
        #expect(after.uptimeSeconds == before.uptimeSeconds, "the console's sample was replaced")
        #expect(after.traffic.commands == before.traffic.commands)
        // The scrape itself saw the GETs.
        let gets = try metrics.expectCounter(PorterMetric.commands.name, [("command", "get"), ("result", "ok")])
        #expect(gets.totalValue == 4)
        await app.stop()
    }

    /// Counters and gauges go through swift-metrics: checked with its test factory.
    @Test func metricsGoThroughSwiftMetrics() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let metrics = TestMetrics()
        let port = freePort()
        let app = try await startPorter(
            yaml: Self.configYAML(redisPort: redis.port, port: port, token: nil), metricsFactory: metrics)
        let client = try RedisTestClient(port: port)
        for i in 0..<7 { _ = try client.command("SETEX", "s:\(i)", "60", "data") }
        for i in 0..<5 { _ = try client.command("GET", "s:\(i)") }
        _ = try client.command("INCR", "s:0")  // WRONGTYPE? no: "data" is not an integer → error
        await app.monitor.sample()
        let gets = try metrics.expectCounter(
            PorterMetric.commands.name, [("command", "get"), ("result", "ok")])
        #expect(gets.totalValue == 5)
        #expect(
            try metrics.expectCounter(PorterMetric.commands.name, [("command", "setex"), ("result", "ok")]).totalValue
                == 7)
        #expect(
            try metrics.expectCounter(PorterMetric.commands.name, [("command", "incr"), ("result", "error")]).totalValue
                == 1)
        #expect(try metrics.expectGauge(PorterMetric.clientConnections.name).lastValue == 1)
        #expect(try metrics.expectCounter(PorterMetric.clientConnectionsAccepted.name).totalValue == 1)
        #expect(
            try metrics.expectGauge(
                PorterMetric.nodeUp.name, [("group", "sessions"), ("node", "127.0.0.1:\(redis.port)")]
            )
            .lastValue == 1)
        #expect(try metrics.expectCounter(PorterMetric.clientBytes.name, [("direction", "in")]).totalValue > 0)
        // A second sample adds only what happened since.
        for i in 0..<3 { _ = try client.command("GET", "s:\(i)") }
        await app.monitor.sample()
        #expect(gets.totalValue == 8)
        await app.stop()
    }
}
