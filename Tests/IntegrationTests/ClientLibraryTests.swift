import Foundation
import PorterApp
import PorterTestHarness
import Testing

/// Every client library the README's table names, through Porter as its users use it: the
/// program in `Clients/` connects, runs the session pattern (SET EX, GET, DEL), binary values,
/// pipelines and MULTI/EXEC, then asks for a restart; the test stops Porter and starts it again
/// on the same port, and the program's same client object must carry on. `make test` installs
/// the Debian packages; a missing one fails the test.
@Suite("Client libraries through Porter", .serialized)
struct ClientLibraryTests {
    static func client(_ name: String) -> String { ClientToolTests.clients.appendingPathComponent(name).path }

    @Test func phpredisSessionsAndPersistentConnections() async throws {
        let out = try await Self.check("php", [Self.client("phpredis_restart_check.php")]) { port in
            ["-d", "session.save_handler=redis", "-d", "session.save_path=tcp://127.0.0.1:\(port)"]
        }
        #expect(out.hasPrefix("OK phpredis "), "\(out)")
    }

    @Test func predis() async throws {
        let out = try await Self.check("php", [Self.client("php_predis_check.php")])
        #expect(out.hasPrefix("OK predis 1."), "\(out)")
    }

    @Test func djangoRedisSessions() async throws {
        // Debian's python3 with Debian's Django (pyenv or a venv earlier on PATH would not have it).
        let out = try await Self.check("/usr/bin/python3", [Self.client("django_sessions_check.py")])
        #expect(out.hasPrefix("OK django "), "\(out)")
    }

    @Test func nodeRedis() async throws {
        let out = try await Self.check(
            "node", [Self.client("node_redis_check.js")], environment: ["NODE_PATH": "/usr/share/nodejs"])
        #expect(out.hasPrefix("OK node-redis 4."), "\(out)")
    }

    @Test func rubyRedis() async throws {
        let out = try await Self.check("ruby", [Self.client("ruby_redis_check.rb")])
        #expect(out.hasPrefix("OK ruby-redis 4."), "\(out)")
    }

    @Test func goRedis() async throws {
        let binary = try Self.build("goredis") { output in
            // GOPATH mode against Debian's /usr/share/gocode: no module download, no network.
            try Harness.run(
                "go", ["build", "-o", output, Self.client("goredis/main.go")],
                environment: [
                    "GO111MODULE": "off", "GOPATH": "/usr/share/gocode", "GOFLAGS": "",
                    "GOCACHE": Harness.packageRoot.appendingPathComponent(".build/gocache").path,
                ])
        }
        let out = try await Self.check(binary, [])
        #expect(out.hasPrefix("OK go-redis v5"), "\(out)")
    }

    @Test func hiredis() async throws {
        let binary = try Self.build("hiredis_check") { output in
            try Harness.run("cc", ["-O1", "-Wall", "-o", output, Self.client("hiredis_check.c"), "-lhiredis"])
        }
        let out = try await Self.check(binary, [])
        #expect(out.hasPrefix("OK hiredis 0."), "\(out)")
    }

    @Test func redisPyReconnects() async throws {
        let out = try await Self.check("python3", [Self.client("redis_py_check.py")])
        #expect(out.hasPrefix("OK"), "\(out)")
    }

    /// Compiles a client program into `.build/clients/` (go and cc print their errors to stderr).
    static func build(
        _ name: String, _ compile: (String) throws -> (status: Int32, stdout: String, stderr: String)
    ) throws -> String {
        let dir = Harness.packageRoot.appendingPathComponent(".build/clients")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let output = dir.appendingPathComponent(name).path
        let r = try compile(output)
        guard r.status == 0 else { throw HarnessError.io("building \(name) failed: \(r.stdout)\(r.stderr)") }
        return output
    }

    /// Runs `executable options(PORT)... arguments... PORT SYNC_DIR` against a Porter in front of a real Redis,
    /// restarting Porter when the program writes SYNC_DIR/restart and answering with
    /// SYNC_DIR/restarted. Returns the program's stdout; fails the test with its stderr.
    static func check(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        options: (Int) -> [String] = { _ in [] }
    ) async throws -> String {
        guard let path = executable.hasPrefix("/") ? executable : which(executable) else {
            throw HarnessError.notFound(executable)
        }
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let port = freePort()
        let yaml = """
            listen: 127.0.0.1:\(port)
            log: { level: error }
            upstream:
              groups:
                - { name: main, primary: 127.0.0.1:\(redis.port) }
            """
        var porter: PorterApplication? = try await startPorter(yaml: yaml)
        let sync = redis.directory.appendingPathComponent("sync")
        try FileManager.default.createDirectory(at: sync, withIntermediateDirectories: true)
        let stdout = sync.appendingPathComponent("stdout").path
        let stderr = sync.appendingPathComponent("stderr").path
        let pid = try spawn(
            path, options(port) + arguments + ["\(port)", sync.path], stdout: stdout, stderr: stderr,
            environment: environment)
        var status: Int32?
        do {
            let deadline = ContinuousClock.now + .seconds(120)
            var restarted = false
            while status == nil, ContinuousClock.now < deadline {
                if !restarted, FileManager.default.fileExists(atPath: sync.appendingPathComponent("restart").path) {
                    await porter?.stop()
                    porter = nil
                    porter = try await startPorter(yaml: yaml)
                    _ = FileManager.default.createFile(atPath: sync.appendingPathComponent("restarted").path, contents: nil)
                    restarted = true
                }
                status = waitForExit(pid, seconds: 0)
                if status == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(restarted, "the client never asked for the restart")
        } catch {
            kill(pid, SIGKILL)
            waitForExit(pid, seconds: 5)
            await porter?.stop()
            throw error
        }
        if status == nil {
            kill(pid, SIGKILL)
            waitForExit(pid, seconds: 5)
        }
        await porter?.stop()
        let out = (try? String(contentsOfFile: stdout, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(executable) exited with \(status.map(String.init) ?? "nothing (killed after 120 s)"): \(out)\(err)")
        return out
    }
}
