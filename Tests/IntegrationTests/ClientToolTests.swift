import Foundation
import PorterTestHarness
import Testing

/// Porter used the way users use it: with redis-cli, redis-benchmark, redis-py and PHP's own
/// session handler. `make test` installs these tools; a missing one fails the test.
@Suite("Real clients through Porter")
struct ClientToolTests {
    static let clients = Harness.packageRoot.appendingPathComponent("Tests/IntegrationTests/Clients")

    @Test func redisCli() async throws {
        try await withPorter { porter in
            let port = "\(porter.port)"
            var r = try Harness.run("redis-cli", ["-p", port, "SET", "cli", "hello world"])
            #expect(r.stdout == "OK\n", "\(r)")
            r = try Harness.run("redis-cli", ["-p", port, "GET", "cli"])
            #expect(r.stdout == "hello world\n")
            // redis-cli's interactive-style input (inline commands over a pipe).
            r = try Harness.run("redis-cli", ["-p", port], input: "INCR n\nINCR n\nGET n\n")
            #expect(r.stdout == "1\n2\n2\n", "\(r)")
            r = try Harness.run("redis-cli", ["-p", port, "SUBSCRIBE", "x"])
            #expect(r.stdout.contains("Porter does not support 'subscribe'"), "\(r)")
        }
    }

    @Test func redisBenchmarkHasNoErrors() async throws {
        try await withPorter { porter in
            let r = try Harness.run(
                "redis-benchmark",
                [
                    "-p", "\(porter.port)", "-t", "set,get,incr,lpush,lpop,mset", "-n", "5000", "-c", "20", "-P", "4",
                    "--csv",
                ])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("\"SET\""), "\(r.stdout)")
            #expect(r.stdout.contains("\"MSET (10 keys)\""), "\(r.stdout)")
            #expect(!r.stdout.contains("ERR") && !r.stderr.contains("ERR"), "\(r)")
            // Every SET reached Redis.
            #expect(try porter.direct().command("EXISTS", "key:__rand_int__") == .integer(1))
        }
    }

    @Test func redisPy() async throws {
        try await withPorter { porter in try Self.redisPyCheck(port: porter.port) }
    }

    @Test func phpSessionHandlerWithLocking() async throws {
        try await withPorter { porter in try Self.phpSessionCheck(port: porter.port) }
    }

    /// `Clients/redis_py_check.py` against Porter on `port` (also used by the sharding and cluster tests).
    static func redisPyCheck(port: Int) throws {
        let r = try Harness.run("python3", [Self.clients.appendingPathComponent("redis_py_check.py").path, "\(port)"])
        #expect(r.status == 0 && r.stdout.hasPrefix("OK"), "\(r.stdout)\n\(r.stderr)")
    }

    /// PHP's own session handler (phpredis, locking on) through Porter on `port`.
    static func phpSessionCheck(port: Int) throws {
        let r = try Harness.run(
            "php",
            [
                "-d", "session.save_handler=redis", "-d", "session.save_path=tcp://127.0.0.1:\(port)",
                "-d", "redis.session.locking_enabled=1", "-d", "redis.session.lock_retries=50",
                Self.clients.appendingPathComponent("php_session_check.php").path,
            ],
            environment: ["PORTER_PORT": "\(port)"])
        #expect(r.status == 0 && r.stdout.contains("OK"), "\(r.stdout)\n\(r.stderr)")
    }
}
