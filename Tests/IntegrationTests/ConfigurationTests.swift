import Foundation
import PorterApp
import PorterTestHarness
import Testing

@Suite("porter.yaml")
struct ConfigurationTests {
    let minimal = "upstream:\n  groups:\n    - { name: a, primary: 127.0.0.1:6379 }\n"

    func error(_ yaml: String, env: [String: String] = [:]) -> ConfigurationError? {
        do {
            _ = try PorterConfiguration.parse(yaml: yaml, environment: env)
            return nil
        } catch let e as ConfigurationError {
            return e
        } catch {
            return ConfigurationError(key: "?", line: nil, message: "\(error)")
        }
    }

    @Test func defaultsAndValues() throws {
        let c = try PorterConfiguration.parse(
            yaml: """
                listen: [127.0.0.1:7000, unix:/tmp/p.sock]
                threads: 2
                auth: { password: ${PW} }
                limits: { max_bulk_bytes: 64mb, max_pipeline: 50, client_idle_timeout: 5m }
                upstream:
                  password: ${UP}
                  pool: { connections_per_node: 3, connect_timeout: 100ms, command_timeout: 2s }
                  groups:
                    - { name: sessions, primary: "127.0.0.1:6379" }
                """, environment: ["PW": "p", "UP": "u"])
        #expect(c.threads == 2)
        #expect(c.proxy.listen.count == 2)
        #expect(c.proxy.requirePassword == "p")
        #expect(c.proxy.upstream.password == "u")
        #expect(c.proxy.limits.maxBulkLength == 64 * 1024 * 1024)
        #expect(c.proxy.maxPipeline == 50)
        #expect(c.proxy.upstream.connectionsPerNode == 3)
        #expect(c.proxy.upstream.commandTimeout == .seconds(2))
        #expect(c.proxy.clientIdleTimeout == .minutes(5))
        let d = try PorterConfiguration.parse(yaml: minimal, environment: [:])
        #expect(d.proxy.listen.first?.description == "127.0.0.1:6380")
        #expect(d.proxy.upstream.connectionsPerNode == 2)
    }

    @Test func errorsNameTheKeyAndLine() {
        var e = error("listen: 127.0.0.1:6380\nthreads: lots\n" + minimal)
        #expect(
            e?.key == "threads" && e?.line == 2 && e?.message == "expected a whole number", "\(String(describing: e))")
        e = error("listne: 1\n" + minimal)
        #expect(e?.key == "listne" && e?.line == 1 && e!.message.hasPrefix("unknown key"))
        e = error("upstream:\n  pool: { command_timeout: soon }\n  groups:\n    - { primary: 127.0.0.1:1 }\n")
        #expect(e?.key == "upstream.pool.command_timeout" && e?.line == 2, "\(String(describing: e))")
        e = error("upstream:\n  groups:\n    - { name: a, primary: nowhere }\n")
        #expect(e?.key == "upstream.groups[0].primary" && e?.line == 3, "\(String(describing: e))")
        e = error("auth: { password: ${NOPE} }\n" + minimal)
        #expect(e?.message == "environment variable NOPE is not set")
        e = error("listen: 127.0.0.1:6380\n")
        #expect(e?.key == "upstream")
        e = error("upstream: [\n")
        #expect(e?.message.hasPrefix("not valid YAML") == true)
    }

    @Test func checkConfigCommand() throws {
        let dir = Harness.packageRoot.appendingPathComponent(".build/porter-check-config")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bad = dir.appendingPathComponent("bad.yaml")
        try "threads: 0\n\(minimal)".write(to: bad, atomically: true, encoding: .utf8)
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        try #require(FileManager.default.fileExists(atPath: porter), "build first: swift build --build-tests")
        let r = try Harness.run(porter, ["check-config", bad.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("threads: must be between 1 and 64 (line 1)"), "\(r.stderr)")
        let ok = try Harness.run(
            porter, ["check-config", Harness.packageRoot.appendingPathComponent("config/porter.example.yaml").path])
        #expect(ok.status == 0, "\(ok.stderr)")
    }
}
