import CoreMetrics
import Foundation
import Logging
import NIOCore
import PorterApp
import PorterTestHarness

/// A real redis-server with Porter (in process, built by the same function `porter run` uses) in
/// front of it, configured by YAML as a user would.
final class PorterFixture: @unchecked Sendable {
    let redis: ServerProcess
    let app: PorterApplication
    let port: Int
    let unixPath: String?

    static func start(
        extraYAML: String = "", upstreamYAML: String = "", redisPassword: String? = nil, unixSocket: Bool = false,
        existing: ServerProcess? = nil, commandTimeout: String = "2s"
    ) async throws -> PorterFixture {
        let redis: ServerProcess
        if let given = existing { redis = given } else { redis = try await Harness.startRedis(password: redisPassword) }
        let port = freePort()
        let unixPath = unixSocket ? redis.directory.appendingPathComponent("porter.sock").path : nil
        var listen = "listen: 127.0.0.1:\(port)\n"
        if let unixPath { listen = "listen: [127.0.0.1:\(port), unix:\(unixPath)]\n" }
        let yaml = """
            \(listen)log: { level: error }
            \(extraYAML)
            upstream:
              pool: { connections_per_node: 2, connect_timeout: 250ms, command_timeout: \(commandTimeout) }
              groups:
                - { name: test, primary: 127.0.0.1:\(redis.port) }
            \(upstreamYAML)
            """
        let app = try await startPorter(yaml: yaml)
        return PorterFixture(redis: redis, app: app, port: port, unixPath: unixPath)
    }

    init(redis: ServerProcess, app: PorterApplication, port: Int, unixPath: String?) {
        self.redis = redis
        self.app = app
        self.port = port
        self.unixPath = unixPath
    }

    func client() throws -> RedisTestClient { try RedisTestClient(port: self.port) }
    func direct() throws -> RedisTestClient { try RedisTestClient(port: self.redis.port) }

    func stop() async {
        await self.app.stop()
        self.redis.stop()
    }
}

/// Runs `body` with a fixture and always stops it.
func withPorter(
    extraYAML: String = "", upstreamYAML: String = "", redisPassword: String? = nil, unixSocket: Bool = false,
    redisArguments: [String] = [], commandTimeout: String = "2s", _ body: (PorterFixture) async throws -> Void
) async throws {
    let redis = try await Harness.startRedis(arguments: redisArguments, password: redisPassword)
    let fixture = try await PorterFixture.start(
        extraYAML: extraYAML, upstreamYAML: upstreamYAML, redisPassword: redisPassword, unixSocket: unixSocket,
        existing: redis, commandTimeout: commandTimeout)
    do {
        try await body(fixture)
    } catch {
        await fixture.stop()
        throw error
    }
    await fixture.stop()
}

/// Porter built from YAML by the same code `porter run` uses, started, with logs at error level.
/// Without an `admin` key the admin server takes a free port. With `configPath`, the YAML is
/// written there first, so `reload()` reads that file as `porter run -c` would.
func startPorter(
    yaml: String, configPath: String? = nil, metricsFactory: (any MetricsFactory)? = nil,
    environment: [String: String] = [:], logger: Logger? = nil
) async throws -> PorterApplication {
    let yaml = yaml.contains("admin:") ? yaml : "admin: 127.0.0.1:0\n" + yaml
    if let configPath { try yaml.write(toFile: configPath, atomically: true, encoding: .utf8) }
    let configuration = try PorterConfiguration.parse(yaml: yaml, environment: environment)
    var quiet = Logger(label: "porter-test")
    quiet.logLevel = .error
    let app = try PorterApplication(
        configuration: configuration, logger: logger ?? quiet, configPath: configPath, environment: environment,
        metricsFactory: metricsFactory)
    try await app.start()
    return app
}
