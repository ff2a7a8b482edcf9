import Foundation
import PorterTestHarness
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Porter under systemd: the notify protocol of `Type=notify` spoken by the real binary to a
/// socket the test plays systemd on, and `dist/porter.service` as systemd reads it.
@Suite("systemd", .serialized)
struct SystemdTests {
    static let unit = Harness.packageRoot.appendingPathComponent("dist/porter.service")

    /// READY=1 once the port answers, WATCHDOG=1 at half of WATCHDOG_USEC, RELOADING=1 (with
    /// MONOTONIC_USEC) then READY=1 around a SIGHUP reload, STOPPING=1 on SIGTERM, exit 0.
    @Test func notifyProtocol() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        try #require(FileManager.default.fileExists(atPath: porter), "build first: swift build --build-tests")
        let port = freePort()
        let config = redis.directory.appendingPathComponent("porter.yaml")
        try """
        listen: 127.0.0.1:\(port)
        admin: off
        upstream:
          groups: [ { name: a, primary: "127.0.0.1:\(redis.port)" } ]
        """.write(to: config, atomically: true, encoding: .utf8)
        let systemd = try FakeSystemd(path: redis.directory.appendingPathComponent("notify.sock").path)
        let log = redis.directory.appendingPathComponent("porter.log").path
        let pid = try spawn(
            porter, ["run", "--config", config.path], stderr: log,
            environment: ["NOTIFY_SOCKET": systemd.path, "WATCHDOG_USEC": "400000", "WATCHDOG_PID": ""])
        defer {
            kill(pid, SIGKILL)
            waitForExit(pid, seconds: 5)
        }
        let ready = await onThread { systemd.receive(until: "READY=1") }
        let text = { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        try #require(ready != nil, "no READY=1: \(text())")
        #expect(ready?.last?.contains("STATUS=listening on 127.0.0.1:\(port)") == true, "\(ready ?? [])")
        // Listening by then: the first connection is served.
        #expect(try RedisTestClient(port: port).command("SET", "k", "v") == .simple("OK"))

        // Two watchdog pings, 0.2 s apart.
        let started = ContinuousClock.now
        let pings = await onThread { [systemd.receive(until: "WATCHDOG=1"), systemd.receive(until: "WATCHDOG=1")] }
        #expect(pings.allSatisfy { $0 != nil }, "no WATCHDOG=1")
        #expect(ContinuousClock.now - started < .seconds(3))

        kill(pid, SIGHUP)
        let reload = await onThread { systemd.receive(until: "RELOADING=1").map { $0 + (systemd.receive(until: "READY=1") ?? []) } }
        let reloading = reload?.first { $0.hasPrefix("RELOADING=1") }
        #expect(reloading?.contains("MONOTONIC_USEC=") == true, "\(reload ?? [])")
        #expect(reload?.last?.hasPrefix("READY=1\nSTATUS=configuration reloaded") == true, "\(reload ?? [])")

        kill(pid, SIGTERM)
        let stopping = await onThread { systemd.receive(until: "STOPPING=1") }
        #expect(stopping != nil, "no STOPPING=1: \(text())")
        #expect(await onThread { waitForExit(pid, seconds: 30) } == 0, "\(text())")
    }

    /// Without WATCHDOG_USEC, or with a WATCHDOG_PID naming another process, no pings.
    @Test func noWatchdogWhenNotAsked() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        let port = freePort()
        let config = redis.directory.appendingPathComponent("porter.yaml")
        try "listen: 127.0.0.1:\(port)\nadmin: off\nupstream: { groups: [ { name: a, primary: \"127.0.0.1:\(redis.port)\" } ] }\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let systemd = try FakeSystemd(path: redis.directory.appendingPathComponent("notify.sock").path)
        let pid = try spawn(
            porter, ["run", "--config", config.path],
            environment: ["NOTIFY_SOCKET": systemd.path, "WATCHDOG_USEC": "200000", "WATCHDOG_PID": "1"])
        defer {
            kill(pid, SIGKILL)
            waitForExit(pid, seconds: 5)
        }
        #expect(await onThread { systemd.receive(until: "READY=1") } != nil)
        // 1 s of silence (five intervals).
        #expect(await onThread { systemd.receive(seconds: 1) } == nil)
        kill(pid, SIGTERM)
        #expect(await onThread { waitForExit(pid, seconds: 30) } == 0)
    }

    /// `systemd-analyze verify` reads the unit without a warning (with the built binary in place
    /// of /usr/bin/porter, and no man page lookup: both come with the package), and the unit
    /// has what the README says it has.
    @Test func unitFileVerifies() throws {
        let unit = try String(contentsOf: Self.unit, encoding: .utf8)
        for line in [
            "Type=notify", "NotifyAccess=main", "ExecReload=/bin/kill -HUP $MAINPID", "WatchdogSec=30s",
            "LimitNOFILE=65536", "DynamicUser=yes", "NoNewPrivileges=yes", "CapabilityBoundingSet=",
            "ProtectSystem=strict", "RuntimeDirectoryPreserve=yes",
            "ExecStart=/usr/bin/porter run --config /etc/porter/porter.yaml --takeover",
        ] {
            #expect(unit.split(separator: "\n").contains(Substring(line)), "\(line) missing")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porter-unit-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        let copy = dir.appendingPathComponent("porter.service")
        try unit.replacingOccurrences(of: "/usr/bin/porter", with: porter).write(to: copy, atomically: true, encoding: .utf8)
        let r = try Harness.run("systemd-analyze", ["verify", "--man=no", copy.path])
        #expect(r.status == 0 && r.stderr.isEmpty && r.stdout.isEmpty, "\(r)")
        // It does catch a mistake.
        let bad = dir.appendingPathComponent("bad.service")
        try unit.replacingOccurrences(of: "NotifyAccess=main", with: "NotifyAccess=mian")
            .replacingOccurrences(of: "/usr/bin/porter", with: porter).write(to: bad, atomically: true, encoding: .utf8)
        #expect(try !Harness.run("systemd-analyze", ["verify", "--man=no", bad.path]).stderr.isEmpty)
    }
}
