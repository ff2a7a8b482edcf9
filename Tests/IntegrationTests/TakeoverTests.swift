import Foundation
import NIOConcurrencyHelpers
import PorterTestHarness
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Upgrades without dropping clients: a second `porter run --takeover` takes the running one's
/// listening sockets and clients while both kinds of client keep working.
@Suite("porter run --takeover")
struct TakeoverTests {
    /// What the load saw, shared by its threads.
    final class Tally: Sendable {
        private let box = NIOLockedValueBox((commands: 0, errors: [String](), refused: 0))
        func count(_ commands: Int) { self.box.withLockedValue { $0.commands += commands } }
        func error(_ text: String) { self.box.withLockedValue { $0.errors.append(text) } }
        func refused() { self.box.withLockedValue { $0.refused += 1 } }
        var totals: (commands: Int, errors: [String], refused: Int) {
            self.box.withLockedValue { ($0.commands, $0.errors, $0.refused) }
        }
    }

    /// The debug binary, and a configuration in front of `redis` with a takeover socket.
    func configure(_ redis: ServerProcess, admin: String) throws -> (
        porter: String, port: Int, config: URL, socket: String
    ) {
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        try #require(FileManager.default.fileExists(atPath: porter), "build first: swift build --build-tests")
        let port = freePort()
        let config = redis.directory.appendingPathComponent("porter.yaml")
        let socket = redis.directory.appendingPathComponent("takeover.sock").path
        try """
        listen: 127.0.0.1:\(port)
        admin: \(admin)
        log: { level: info, format: json }
        shutdown: { drain_timeout: 10s, takeover_socket: "\(socket)" }
        upstream:
          groups: [ { name: a, primary: "127.0.0.1:\(redis.port)" } ]
        """.write(to: config, atomically: true, encoding: .utf8)
        return (porter, port, config, socket)
    }

    /// Under a running load — 6 clients on long-lived connections pipelining SET/GET, one of them
    /// on database 3 with RESP3 and a name, one inside MULTI, and 2 clients that connect for
    /// every request, as PHP does — a new process takes over, and the old one exits 0. No command fails, no connection
    /// is refused, no long-lived connection is closed, and their state (database, protocol,
    /// name) comes along; the new process's admin server answers once the old one has gone.
    @Test func aNewProcessTakesOverUnderLoad() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let admin = freePort()
        let (porter, port, config, socket) = try self.configure(redis, admin: "127.0.0.1:\(admin)")
        let oldLog = redis.directory.appendingPathComponent("old.log").path
        let newLog = redis.directory.appendingPathComponent("new.log").path
        let old = try spawn(porter, ["run", "--config", config.path], stderr: oldLog)
        var new: pid_t? = nil
        defer {
            kill(old, SIGKILL)
            if let new { kill(new, SIGTERM) }
            if let new { _ = waitForExit(new, seconds: 10) }
        }
        try await Harness.waitForRedis(port: port, what: "porter on \(port)")
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) {
            try await Task.sleep(for: .milliseconds(50))
        }

        let tally = Tally()
        // The client with state: database 3, RESP3, a name.
        let stateful = try RedisTestClient(port: port)
        #expect(try stateful.command("SELECT", "3") == .simple("OK"))
        #expect(try stateful.command("CLIENT", "SETNAME", "keeper").string == "OK")
        guard case .map = try stateful.command("HELLO", "3") else {
            Issue.record("HELLO 3 did not answer a map")
            return
        }
        let persistent = ClientThreads(port: port, connections: 6, cannotConnect: { _ in tally.refused() }) {
            connection, client, stopping in
            var round = 0
            while !stopping() {
                round += 1
                var batch: [UInt8] = []
                for i in 0..<10 {
                    batch += RedisTestClient.encode(["SET", "p\(client):\(i)", "\(round)"])
                    batch += RedisTestClient.encode(["GET", "p\(client):\(i)"])
                }
                do {
                    try connection.send(raw: batch)
                    for _ in 0..<10 {
                        let set = try connection.readReply()
                        let get = try connection.readReply()
                        guard set == .simple("OK"), get.string == "\(round)" else {
                            return tally.error("client \(client): \(set) \(get)")
                        }
                    }
                    tally.count(20)
                } catch {
                    return tally.error("client \(client): \(error)")
                }
            }
        }
        // The connection each thread gets is not used: these connect for every request.
        let perRequest = ClientThreads(port: port, connections: 2, cannotConnect: { _ in tally.refused() }) {
            _, client, stopping in
            var round = 0
            while !stopping() {
                round += 1
                guard let connection = try? RedisTestClient(port: port) else {
                    tally.refused()
                    continue
                }
                do {
                    let set = try connection.command("SET", "r\(client)", "\(round)")
                    let get = try connection.command("GET", "r\(client)")
                    guard set == .simple("OK"), get.string == "\(round)" else {
                        return tally.error("per-request \(client): \(set) \(get)")
                    }
                    tally.count(2)
                } catch {
                    tally.error("per-request \(client): \(error)")
                }
            }
        }
        // A client inside MULTI when the takeover comes: the old process lets it finish.
        let transaction = try RedisTestClient(port: port)
        #expect(try transaction.command("MULTI") == .simple("OK"))
        #expect(try transaction.command("SET", "tx", "done") == .simple("QUEUED"))
        try await Task.sleep(for: .milliseconds(500))
        let before = tally.totals.commands
        new = try spawn(porter, ["run", "--takeover", "--config", config.path], stderr: newLog)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try transaction.command("EXEC") == .array([.simple("OK")]))
        let oldStatus = await onThread { waitForExit(old, seconds: 30) }
        #expect(try transaction.command("GET", "tx").string == "done", "the connection moved after EXEC")
        let during = tally.totals.commands
        try await Task.sleep(for: .milliseconds(500))
        await persistent.stop()
        await perRequest.stop()
        let (commands, errors, refused) = tally.totals
        let oldText = (try? String(contentsOfFile: oldLog, encoding: .utf8)) ?? ""
        let newText = (try? String(contentsOfFile: newLog, encoding: .utf8)) ?? ""
        #expect(oldStatus == 0, "\(oldText)")
        #expect(errors.isEmpty, "\(errors.prefix(5))\n\(oldText)\n\(newText)")
        #expect(refused == 0)
        #expect(before > 0 && during > before && commands > during, "load kept running: \(before) \(during) \(commands)")
        #expect(oldText.contains("takeover: handed over; stopping"), "\(oldText)")
        #expect(newText.contains(#""socket":"inherited""#), "\(newText)")
        #expect(newText.contains("takeover complete"), "\(newText)")

        // The stateful client's connection moved with its database, protocol and name.
        #expect(try stateful.command("SET", "kept", "db3") == .simple("OK"))
        #expect(try stateful.command("CLIENT", "GETNAME").string == "keeper")
        guard case .map = try stateful.command("HELLO") else {
            Issue.record("the connection is not on RESP3 any more")
            return
        }
        let direct = try RedisTestClient(port: redis.port)
        #expect(try direct.command("SELECT", "3") == .simple("OK"))
        #expect(try direct.command("GET", "kept").string == "db3")

        // The new process's admin server took the port once the old one had gone.
        var metrics = ""
        for _ in 0..<100 {
            metrics = (try? Harness.run("curl", ["-s", "http://127.0.0.1:\(admin)/metrics"]).stdout) ?? ""
            if metrics.contains("porter_client_connections_moved_total") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let line = metrics.split(separator: "\n").first { $0.hasPrefix(#"porter_client_connections_moved_total{direction="taken_over"}"#) }
        let moved = line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        #expect(moved >= 7, "\(line ?? "no moved metric")")
    }

    /// The systemd way: SIGUSR2 makes the running process start the binary at its own path
    /// with `--takeover`; it tells systemd the new main PID (`MAINPID=`, on `$NOTIFY_SOCKET`,
    /// here a socket the test plays systemd on) and exits; the client's connection carries on.
    @Test func sigusr2StartsTheSuccessorAndNamesItToSystemd() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let (porter, port, config, _) = try self.configure(redis, admin: "127.0.0.1:0")
        let systemd = try FakeSystemd(path: redis.directory.appendingPathComponent("notify.sock").path)
        let log = redis.directory.appendingPathComponent("porter.log").path
        // As systemd starts it with WatchdogSec: WATCHDOG_PID names the main process (the shell
        // execs Porter, so $$ is Porter's pid).
        let old = try spawn(
            "/bin/sh", ["-c", "WATCHDOG_PID=$$ exec \"$0\" run --config \"$1\"", porter, config.path], stderr: log,
            environment: ["NOTIFY_SOCKET": systemd.path, "WATCHDOG_USEC": "400000"])
        defer { kill(old, SIGKILL) }
        try await Harness.waitForRedis(port: port, what: "porter on \(port)")
        let client = try RedisTestClient(port: port)
        #expect(try client.command("SET", "k", "before") == .simple("OK"))
        kill(old, SIGUSR2)
        // READY=1 (and the new process's own READY=1, which systemd ignores from a process
        // that is not yet the main one) may come first.
        let message = await onThread { systemd.receive(until: "MAINPID=")?.last ?? "" }
        let status = await onThread { waitForExit(old, seconds: 30) }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(text)")
        let successor = message.hasPrefix("MAINPID=") ? pid_t(message.dropFirst(8).prefix { $0.isNumber }) : nil
        try #require(successor != nil && successor != old, "\(message)\n\(text)")
        defer {
            kill(successor!, SIGTERM)
            for _ in 0..<100 where FileManager.default.fileExists(atPath: "/proc/\(successor!)/cmdline") {
                usleep(50_000)
            }
        }
        #expect(kill(successor!, 0) == 0, "the new main process runs")
        // The old process has exited: the watchdog's pings now come from the successor (it was
        // started without the old WATCHDOG_PID, which would have kept it silent).
        while systemd.receive(seconds: 0) != nil {}
        #expect(await onThread { systemd.receive(until: "WATCHDOG=1", seconds: 2) } != nil, "the successor pings")
        #expect(try client.command("GET", "k").string == "before", "the connection moved")
        #expect(try RedisTestClient(port: port).command("SET", "k", "after") == .simple("OK"))
        #expect(text.contains("SIGUSR2: starting a new process to take over"), "\(text)")
    }

    /// Without a running Porter, `--takeover` starts as usual; and a takeover socket another
    /// process cannot reach is not a reason to fail.
    @Test func takeoverWithNothingRunningStartsAsUsual() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let (porter, port, config, _) = try self.configure(redis, admin: "off")
        let log = redis.directory.appendingPathComponent("porter.log").path
        let pid = try spawn(porter, ["run", "--takeover", "--config", config.path], stderr: log)
        defer { kill(pid, SIGKILL) }
        try await Harness.waitForRedis(port: port, what: "porter on \(port)")
        #expect(try RedisTestClient(port: port).command("SET", "k", "v") == .simple("OK"))
        kill(pid, SIGTERM)
        #expect(waitForExit(pid, seconds: 10) == 0)
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(text.contains("no Porter answers here; starting as usual"), "\(text)")
    }
}
