import Foundation
import PorterTestHarness
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("porter run: lifecycle")
struct LifecycleTests {
    /// A port already taken, for the proxy or for the admin server: one error line naming the
    /// address, exit 1, and nothing else started (it printed `CancellationError()` and
    /// `Already closed`, and the admin failure did not say which address).
    @Test func aBindFailureNamesTheAddressAndNothingElse() async throws {
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        try #require(FileManager.default.fileExists(atPath: porter), "build first: swift build --build-tests")
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let taken = try SilentServer()
        defer { taken.stop() }
        for (listen, admin, what) in [
            (taken.port, freePort(), "cannot listen on 127.0.0.1:\(taken.port)"),
            (freePort(), taken.port, "cannot start the admin server on 127.0.0.1:\(taken.port)"),
        ] {
            let config = redis.directory.appendingPathComponent("porter-\(listen).yaml")
            try """
            listen: 127.0.0.1:\(listen)
            admin: 127.0.0.1:\(admin)
            upstream:
              groups: [ { name: a, primary: "127.0.0.1:\(redis.port)" } ]
            """.write(to: config, atomically: true, encoding: .utf8)
            let log = redis.directory.appendingPathComponent("porter-\(listen).log").path
            let pid = try spawn(porter, ["run", "--config", config.path], stderr: log)
            let status = waitForExit(pid, seconds: 20)
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(status == 1, "\(text)")
            #expect(text.contains(what) && text.contains("Address already in use"), "\(text)")
            #expect(!text.contains("CancellationError") && !text.contains("Already closed"), "\(text)")
        }
    }

    /// The real binary, as `make run` starts it: it serves, and on SIGTERM it answers what is in
    /// flight, closes clients and exits 0.
    @Test func sigtermDrainsAndExits() async throws {
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        try #require(FileManager.default.fileExists(atPath: porter), "build first: swift build --build-tests")
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let port = freePort()
        let config = redis.directory.appendingPathComponent("porter.yaml")
        try """
        listen: 127.0.0.1:\(port)
        admin: 127.0.0.1:0
        log: { level: info, format: json }
        upstream:
          groups: [ { name: a, primary: "127.0.0.1:\(redis.port)" } ]
        """.write(to: config, atomically: true, encoding: .utf8)
        let log = redis.directory.appendingPathComponent("porter.log").path
        let pid = try spawn(porter, ["run", "--config", config.path], stderr: log)
        try await Harness.waitForRedis(port: port, what: "porter on \(port)")
        let client = try RedisTestClient(port: port)
        #expect(try client.command("SET", "k", "v") == .simple("OK"))
        // A pipeline is in flight when the signal arrives. Every reply that comes is a proper
        // +OK, in order, then the connection closes; everything acknowledged is in Redis.
        var bytes: [UInt8] = []
        for i in 0..<2000 { bytes += RedisTestClient.encode(["SET", "d\(i)", "\(i)"]) }
        try client.send(raw: bytes)
        #expect(try client.readReply() == .simple("OK"))
        kill(pid, SIGTERM)
        var acknowledged = 1
        while acknowledged < 2000, let reply = try? client.readReply() {
            #expect(reply == .simple("OK"))
            acknowledged += 1
        }
        let status = waitForExit(pid, seconds: 10)
        #expect(status == 0)
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(text.contains("\"msg\":\"shutting down: draining clients\""), "\(text)")
        let last = acknowledged - 1
        #expect(try RedisTestClient(port: redis.port).command("GET", "d\(last)") == .bulk(Array("\(last)".utf8)))
    }

    /// SIGHUP reloads the file: a replica added while a client stays connected, then a bad file
    /// refused with the reason, and the process keeps serving.
    @Test func sighupReloadsTheConfigFile() async throws {
        let porter = Harness.packageRoot.appendingPathComponent(".build/debug/porter").path
        try #require(FileManager.default.fileExists(atPath: porter), "build first: swift build --build-tests")
        let redis = try await Harness.startRedis()
        let replica = try await Harness.startRedis(arguments: ["--replicaof", "127.0.0.1", "\(redis.port)"])
        defer {
            replica.stop()
            redis.stop()
        }
        let port = freePort()
        let config = redis.directory.appendingPathComponent("porter.yaml")
        func write(replicas: String) throws {
            try """
            listen: 127.0.0.1:\(port)
            admin: 127.0.0.1:0
            log: { level: info, format: json }
            upstream:
              groups: [ { name: a, primary: "127.0.0.1:\(redis.port)"\(replicas) } ]
            """.write(to: config, atomically: true, encoding: .utf8)
        }
        try write(replicas: "")
        let log = redis.directory.appendingPathComponent("porter.log").path
        let pid = try spawn(porter, ["run", "--config", config.path], stderr: log)
        defer {
            kill(pid, SIGTERM)
            _ = waitForExit(pid, seconds: 10)
        }
        try await Harness.waitForRedis(port: port, what: "porter on \(port)")
        let client = try RedisTestClient(port: port)
        #expect(try client.command("SET", "k", "v") == .simple("OK"))

        func logged(_ needle: String) async -> Bool {
            for _ in 0..<100 {
                if ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(needle) { return true }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return false
        }
        try write(replicas: ", replicas: [127.0.0.1:\(replica.port)]")
        kill(pid, SIGHUP)
        #expect(await logged("+127.0.0.1:\(replica.port)"), "no reload in the log")
        #expect(await logged(#""msg":"node up","node":"127.0.0.1:\#(replica.port)""#), "the added replica is checked")
        #expect(try client.command("GET", "k") == .bulk(Array("v".utf8)), "the client stays connected")

        try "upstream: [ nope\n".write(to: config, atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        #expect(await logged("configuration reload refused"))
        #expect(try client.command("GET", "k") == .bulk(Array("v".utf8)))
    }
}
