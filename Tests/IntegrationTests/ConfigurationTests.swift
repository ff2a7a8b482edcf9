import Foundation
import Migration
import NIOCore
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
        #expect(c.proxy.access.defaultUser.accepts(password: ByteBuffer(string: "p")))
        #expect(!c.proxy.access.openByDefault)
        #expect(c.proxy.upstream.password == "u")
        #expect(c.proxy.limits.maxBulkLength == 64 * 1024 * 1024)
        #expect(c.proxy.maxPipeline == 50)
        #expect(c.proxy.upstream.connectionsPerNode == 3)
        #expect(c.proxy.upstream.commandTimeout == .seconds(2))
        #expect(c.proxy.clientIdleTimeout == .minutes(5))
        let d = try PorterConfiguration.parse(yaml: minimal, environment: [:])
        #expect(d.proxy.listen.first?.description == "127.0.0.1:6380")
        #expect(d.proxy.upstream.connectionsPerNode == 1, "one shared connection per node and loop by default")
        #expect(d.threads == 1)
        let auto = try PorterConfiguration.parse(yaml: "threads: auto\n" + minimal, environment: [:])
        #expect(auto.threads == min(64, System.coreCount))
        // Large requests stream from 256 KiB by default; a size, or off.
        #expect(d.proxy.limits.streamBulkLength == 256 * 1024)
        let stream = try PorterConfiguration.parse(yaml: "limits: { stream_bulk_bytes: 1mb }\n" + minimal, environment: [:])
        #expect(stream.proxy.limits.streamBulkLength == 1 << 20)
        let never = try PorterConfiguration.parse(yaml: "limits: { stream_bulk_bytes: off }\n" + minimal, environment: [:])
        #expect(never.proxy.limits.streamBulkLength == .max)
        #expect(error("limits: { stream_bulk_bytes: 10 }\n" + minimal)?.message == "must be between 1kb and 4gb")
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
        // Comments are not substituted: a commented-out line needs no variable, and a # inside
        // quotes or a value is not a comment.
        let commented = try? PorterConfiguration.parse(
            yaml: "# admin: { token: ${NOPE} }\nauth: { password: \"a#${PW}\" } # was ${NOPE}\n" + minimal,
            environment: ["PW": "b"])
        #expect(commented?.proxy.access.defaultUser.accepts(password: ByteBuffer(string: "a#b")) == true)
        e = error("auth: { password: a#${NOPE} }\n" + minimal)
        #expect(e?.message == "environment variable NOPE is not set")
        // upstream.database: 0-15, and 0 with a cluster.
        e = error("upstream:\n  database: 16\n  groups:\n    - { primary: 127.0.0.1:1 }\n")
        #expect(e?.key == "upstream.database" && e?.line == 2, "\(String(describing: e))")
        e = error("upstream:\n  database: 2\n  cluster: { seeds: [127.0.0.1:7000] }\n")
        #expect(e?.key == "upstream.database" && e?.message.contains("one database") == true, "\(String(describing: e))")
        e = error("listen: 127.0.0.1:6380\n")
        #expect(e?.key == "upstream")
        e = error("upstream: [\n")
        #expect(e?.message.hasPrefix("not valid YAML") == true)
    }

    /// Before the ranges, each of these trapped (SIGILL) in the duration or size conversion: in
    /// `check-config`, in `run`, and in a running Porter on reload.
    @Test(arguments: [
        ("upstream:\n  pool: { command_timeout: 99999999999999 }\n", "upstream.pool.command_timeout"),
        ("upstream:\n  pool: { command_timeout: 1e30s }\n", "upstream.pool.command_timeout"),
        ("upstream:\n  pool: { connect_timeout: nans }\n", "upstream.pool.connect_timeout"),
        ("upstream:\n  pool: { connect_timeout: infs }\n", "upstream.pool.connect_timeout"),
        ("upstream:\n  write_wait: 99999999999999m\n", "upstream.write_wait"),
        ("upstream:\n  health: { interval: 1e300ms }\n", "upstream.health.interval"),
        ("limits: { max_bulk_bytes: 99999999999gb }\n", "limits.max_bulk_bytes"),
        ("limits: { max_inline_bytes: 9223372036854775807 }\n", "limits.max_inline_bytes"),
        ("limits: { client_idle_timeout: 999999999999999999s }\n", "limits.client_idle_timeout"),
        ("shutdown: { drain_timeout: 0 }\n", "shutdown.drain_timeout"),
        ("upstream:\n  health: { max_replica_lag: 99999999gb }\n", "upstream.health.max_replica_lag"),
    ])
    func absurdDurationsAndSizesAreRefusedWithTheRange(yaml: String, key: String) {
        let upstreamGroup = "  groups:\n    - { name: a, primary: 127.0.0.1:6379 }\n"
        let text = yaml.hasPrefix("upstream:") ? yaml + upstreamGroup : yaml + minimal
        let e = error(text)
        #expect(e?.key == key, "\(String(describing: e))")
        #expect(e?.message.contains("between ") == true, "\(String(describing: e))")
    }

    /// `shutdown.takeover_socket`: named after the first listen address by default, in
    /// systemd's runtime directory when there is one; `off` turns upgrades off.
    @Test func theTakeoverSocketHasASensibleDefault() throws {
        let tcp = try PorterConfiguration.parse(yaml: "listen: 127.0.0.1:6380\n" + minimal, environment: [:])
        #expect(tcp.takeoverSocket == "/tmp/porter-127.0.0.1-6380.takeover")
        let unix = try PorterConfiguration.parse(
            yaml: "listen: unix:/run/porter/redis.sock\n" + minimal, environment: ["RUNTIME_DIRECTORY": "/run/porter"])
        #expect(unix.takeoverSocket == "/run/porter/porter-run-porter-redis.sock.takeover")
        let off = try PorterConfiguration.parse(yaml: "shutdown: { takeover_socket: off }\n" + minimal, environment: [:])
        #expect(off.takeoverSocket == nil)
        let set = try PorterConfiguration.parse(
            yaml: "shutdown: { takeover_socket: /var/run/p.sock }\n" + minimal, environment: [:])
        #expect(set.takeoverSocket == "/var/run/p.sock")
    }

    @Test func rangesAreStated() {
        let e = error("upstream:\n  pool: { command_timeout: 5000s }\n  groups:\n    - { primary: 127.0.0.1:1 }\n")
        #expect(e?.message == "must be between 1ms and 1h", "\(String(describing: e))")
        let s = error("limits: { max_bulk_bytes: 5gb }\n" + minimal)
        #expect(s?.message == "must be between 1 byte and 4gb", "\(String(describing: s))")
        // Values inside the ranges still parse.
        let ok = try? PorterConfiguration.parse(
            yaml: "limits: { max_bulk_bytes: 1gb, client_idle_timeout: 0 }\nupstream:\n  write_wait: 1.5s\n"
                + "  pool: { command_timeout: 60m }\n  groups:\n    - { name: a, primary: 127.0.0.1:1 }\n",
            environment: [:])
        #expect(ok?.proxy.upstream.commandTimeout == .minutes(60))
        #expect(ok?.proxy.writeWait == .milliseconds(1500))
    }

    /// Before: Yams' error quoted the offending line after substitution, password and all.
    @Test func aSubstitutedSecretIsNeverPrintedInAnError() {
        let secret = "pw: x"
        var e = error("upstream: { password: ${P} }\n" + minimal, env: ["P": secret])
        #expect(e != nil)
        #expect(!(e?.description.contains("pw") ?? true), "\(String(describing: e))")
        #expect(e?.line == 1 && e?.message.contains("${...}") == true, "\(String(describing: e))")
        // A value that does not parse is named by key, not quoted, when it came from ${...}.
        e = error("upstream:\n  groups:\n    - { name: a, primary: ${ADDR} }\n", env: ["ADDR": "secret-host-no-port"])
        #expect(e?.key == "upstream.groups[0].primary", "\(String(describing: e))")
        #expect(!(e?.description.contains("secret-host") ?? true), "\(String(describing: e))")
        // Written in the file, it is quoted as before.
        e = error("upstream:\n  groups:\n    - { name: a, primary: plain-host }\n")
        #expect(e?.message.contains("'plain-host'") == true, "\(String(describing: e))")
    }

    @Test func addressesAndVariablesThatRunWouldRefuse() {
        var e = error("auth: { password: ${P }\n" + minimal, env: ["P": "x"])
        #expect(e?.message.hasPrefix("unterminated ${") == true && e?.line == 1, "\(String(describing: e))")
        e = error("auth: { password: ${P\n" + minimal)
        #expect(e?.message.hasPrefix("unterminated ${") == true, "\(String(describing: e))")
        e = error("listen: tls://127.0.0.1:6380\n" + minimal)
        #expect(e?.key == "listen" && e?.message.contains("not a URL") == true, "\(String(describing: e))")
        e = error("listen: [127.0.0.1:7000, 127.0.0.1:7000]\n" + minimal)
        #expect(e?.key == "listen" && e?.message.contains("listed twice") == true, "\(String(describing: e))")
        e = error("listen: 127.0.0.1:7000\nadmin: 127.0.0.1:7000\n" + minimal)
        #expect(e?.key == "admin" && e?.message.contains("also a listen address") == true, "\(String(describing: e))")
        e = error("listen: 0.0.0.0:7000\nadmin: 127.0.0.1:7000\n" + minimal)
        #expect(e?.key == "admin", "\(String(describing: e))")
        e = error("log: { file: /nonexistent-porter-dir/porter.log }\n" + minimal)
        #expect(e?.key == "log.file" && e?.message.contains("does not exist") == true, "\(String(describing: e))")
        e = error("upstream:\n  groups:\n    - { name: a, primary: \"bad host:6379\" }\n")
        #expect(e?.key == "upstream.groups[0].primary", "\(String(describing: e))")
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

    /// `migration`: each mistake names its key and what was wrong.
    @Test func migrationErrorsNameTheKey() throws {
        func migration(_ body: String) -> String { minimal + "migration:\n" + body }
        let sql = "  legacy: { mysql: { socket: /tmp/m.sock, database: app, table: sessions } }\n"
        let ok = try PorterConfiguration.parse(
            yaml: migration("  session_key: \"PHPREDIS_SESSION:{id}\"\n  stage: shadow\n  percent: 0.5\n" + sql),
            environment: [:])
        #expect(ok.migration?.bootstrap == MigrationDial(stage: .shadow, percent: 0.5))
        let cases: [(String, String, String)] = [
            ("  stage: legacy\n" + sql, "migration.session_key", "missing"),
            ("  session_key: \"PHPREDIS_SESSION:\"\n" + sql, "migration.session_key", "{id} once"),
            ("  session_key: \"S:{id}\"\n  stage: dual\n" + sql, "migration.stage", "unknown stage"),
            ("  session_key: \"S:{id}\"\n  percent: 101\n" + sql, "migration.percent", "0 to 100"),
            ("  session_key: \"S:{id}\"\n", "migration.legacy", "missing"),
            (
                "  session_key: \"S:{id}\"\n  legacy: { mysql: { database: app, table: \"sessions; DROP\" } }\n",
                "migration.legacy.mysql.table", "not a plain SQL name"
            ),
            (
                "  session_key: \"S:{id}\"\n  legacy: { memcached: { address: 127.0.0.1:11211 } }\n",
                "migration.legacy.mysql", "memcached alone"
            ),
            (
                "  session_key: \"S:{id}\"\n  legacy: { files: { dir: /nonexistent-porter-dir } }\n",
                "migration.legacy.files.dir", "does not exist"
            ),
            (
                "  session_key: \"S:{id}\"\n  legacy: { redis: { groups: [{ name: old, primary: 127.0.0.1:6379 }] } }\n",
                "migration.legacy.redis", "lists a node of upstream"
            ),
            (
                "  session_key: \"S:{id}\"\n  legacy: { redis: { groups: [{ name: old, primary: nowhere }] } }\n",
                "migration.legacy.redis.groups[0].primary", "expected host:port"
            ),
        ]
        for (body, key, words) in cases {
            let e = error(migration(body))
            #expect(e?.key == key && e?.message.contains(words) == true, "\(body): \(String(describing: e))")
        }
    }
}
