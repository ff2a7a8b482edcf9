import Access
import Foundation
import PorterTestHarness
import Testing

/// Issue 13: what a proxy must not pass through, users and ACLs, and bounded memory.
@Suite struct SecurityTests {

    /// A runaway script makes Redis answer -BUSY to all but a few commands, and Porter's shared
    /// connections wait behind it: SCRIPT KILL reaches the node on a connection of its own.
    /// The script runs until the health checks (-BUSY) take the node out, as they do when the
    /// kill comes late: the write after the kill is held until the checks see the node again,
    /// and goes on a connection (database 1) that nothing had used before.
    @Test func scriptKillReachesABusyNode() async throws {
        try await withPorter(redisArguments: ["--busy-reply-threshold", "100"], commandTimeout: "10s") { porter in
            let idle = try porter.client()
            #expect(try idle.command("SCRIPT", "KILL").errorText.hasPrefix("NOTBUSY"))
            #expect(try idle.command("FUNCTION", "KILL").errorText.hasPrefix("NOTBUSY"))

            let runaway = try porter.client()
            try runaway.send(raw: Array("*3\r\n$4\r\nEVAL\r\n$14\r\nwhile 1 do end\r\n$1\r\n0\r\n".utf8))
            try await Harness.waitUntil("the checks take the busy node out") {
                await porter.app.proxy.topology()?.groups.first?.primary.usable == false
            }
            let started = Date()
            // On a database no connection uses yet: a new shared connection would say SELECT,
            // which a busy node refuses.
            let killer = try porter.client()
            #expect(try killer.command("SELECT", "1") == .simple("OK"))
            #expect(try killer.command("SCRIPT", "KILL") == .simple("OK"))
            #expect(Date().timeIntervalSince(started) < 2)
            #expect(try runaway.readReply().errorText.contains("killed"))
            let after = try killer.command("SET", "after", "1")
            #expect(after == .simple("OK"), "\(after)")
            #expect(try runaway.command("SELECT", "1") == .simple("OK"))
            #expect(try runaway.command("GET", "after") == .bulk(Array("1".utf8)))

            // Inside MULTI it is refused, and EXEC fails as for any refused command.
            #expect(try killer.command("MULTI") == .simple("OK"))
            #expect(try killer.command("SCRIPT", "KILL").errorText.contains("inside MULTI"))
            #expect(try killer.command("EXEC").errorText.hasPrefix("EXECABORT"))
        }
    }

    /// Without `auth`, the default user runs everything but @dangerous commands and the script
    /// and function commands that change what every client runs.
    @Test func dangerousCommandsAreOffForTheDefaultUser() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            _ = try c.command("SET", "kept", "1")
            for args in [
                ["FLUSHALL"], ["FLUSHDB"], ["SWAPDB", "0", "1"], ["KEYS", "*"], ["SCRIPT", "FLUSH"],
                ["FUNCTION", "FLUSH"], ["FUNCTION", "DELETE", "x"], ["SORT", "kept"],
            ] {
                let reply = try c.command(args)
                #expect(reply.errorText.hasPrefix("NOPERM this user has no permissions to run the"), "\(args): \(reply)")
            }
            #expect(try c.command("GET", "kept") == .bulk(Array("1".utf8)), "nothing was flushed")
            #expect(try c.command("INFO", "server").string?.contains("redis_version") == true)
            #expect(try c.command("ACL", "WHOAMI") == .bulk(Array("default".utf8)))
            let stats = await porter.app.proxy.metricsSnapshot().stats
            #expect(stats.aclDenied[.init(user: "default", reason: "command")] == 8)
        }
    }

    /// Users with Redis' ACL rules, used as a PHP app and an operator would: redis-cli with
    /// --user/--pass, redis-py with a username, AUTH in a pipeline.
    @Test func usersAndRules() async throws {
        let digest = passwordDigestHex("ops-secret")
        let yaml = """
            auth:
              password: default-secret
              users:
                - { name: app, password: app-secret, rules: "+@read +@write +@connection +@transaction -@dangerous ~PHPREDIS_SESSION:* ~cache:*" }
                - { name: ops, password: "sha256:\(digest)", rules: "+@all ~* &*" }
                - { name: reader, password: r, rules: "+@all %R~* -@dangerous" }
                - { name: web, password: web-secret, rules: "+@read +@write +@connection +@transaction +@scripting -@dangerous ~PHPREDIS_SESSION:*" }
            """
        try await withPorter(extraYAML: yaml) { porter in
            let port = "\(porter.port)"
            var r = try Harness.run(
                "redis-cli", ["-p", port, "--user", "app", "--pass", "app-secret", "--no-auth-warning", "SET", "PHPREDIS_SESSION:a", "v"])
            #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "OK", "\(r)")
            r = try Harness.run(
                "redis-cli", ["-p", port, "--user", "app", "--pass", "app-secret", "--no-auth-warning", "SET", "other", "v"])
            #expect(r.stdout.contains("NOPERM this user has no permissions to access one of the keys"), "\(r)")
            r = try Harness.run(
                "redis-cli", ["-p", port, "--user", "app", "--pass", "app-secret", "--no-auth-warning", "FLUSHALL"])
            #expect(r.stdout.contains("NOPERM this user has no permissions to run the 'flushall' command"), "\(r)")
            r = try Harness.run("redis-cli", ["-p", port, "--user", "app", "--pass", "wrong", "--no-auth-warning", "PING"])
            #expect(r.stdout.contains("WRONGPASS") || r.stderr.contains("WRONGPASS"), "\(r)")

            // The hashed password, and the operator may flush.
            let ops = try porter.client()
            #expect(try ops.command("AUTH", "ops", "ops-secret") == .simple("OK"))
            #expect(try ops.command("ACL", "WHOAMI") == .bulk(Array("ops".utf8)))
            #expect(try ops.command("SET", "other", "1") == .simple("OK"))

            // %R~: reads of any key, no writes.
            let reader = try porter.client()
            #expect(try reader.command("AUTH", "reader", "r") == .simple("OK"))
            #expect(try reader.command("GET", "other") == .bulk(Array("1".utf8)))
            #expect(try reader.command("SET", "other", "2").errorText.contains("one of the keys"))

            // Inside MULTI a refused command aborts EXEC, as in Redis.
            let app = try porter.client()
            #expect(try app.command("AUTH", "app", "app-secret") == .simple("OK"))
            #expect(try app.command("MULTI") == .simple("OK"))
            #expect(try app.command("SET", "cache:1", "x") == .simple("QUEUED"))
            #expect(try app.command("SET", "other", "x").errorText.hasPrefix("NOPERM"))
            #expect(try app.command("EXEC").errorText.hasPrefix("EXECABORT"))
            #expect(try ops.command("GET", "cache:1") == .null)

            // redis-py with a username, as a Python app connects.
            let script = ClientToolTests.clients.appendingPathComponent("redis_py_acl.py").path
            let py = try Harness.run("python3", [script, port])
            #expect(py.stdout.contains("ok"), "\(py)")

            // PHP's own session handler as a user limited to session keys (README's example rules).
            let php = try Harness.run(
                "php",
                [
                    "-d", "session.save_handler=redis",
                    "-d", "session.save_path=\"tcp://127.0.0.1:\(port)?auth[]=web&auth[]=web-secret\"",
                    "-d", "redis.session.locking_enabled=1", "-d", "redis.session.lock_retries=50",
                    ClientToolTests.clients.appendingPathComponent("php_session_check.php").path,
                ],
                environment: ["PORTER_PORT": port, "PORTER_USER": "web", "PORTER_PASSWORD": "web-secret"])
            #expect(php.status == 0 && php.stdout.contains("OK"), "\(php.stdout)\n\(php.stderr)")

            let stats = await porter.app.proxy.metricsSnapshot().stats
            #expect(stats.aclDenied[.init(user: "web", reason: "command")] == nil)
            #expect(stats.aclDenied[.init(user: "web", reason: "key")] == nil)
            #expect(stats.aclDenied[.init(user: "app", reason: "key")] ?? 0 >= 3)
            #expect(stats.aclDenied[.init(user: "app", reason: "command")] == 1)
            #expect(stats.aclDenied[.init(user: "reader", reason: "key")] == 1)
        }
    }

    /// Wrong passwords are answered more slowly each time, on one connection and from one
    /// source: 6 pipelined guesses take at least 10+20+40+80+160+320 ms, and nothing that
    /// follows them in the pipeline overtakes them.
    @Test func failedAuthsAreSlowed() async throws {
        try await withPorter(extraYAML: "auth: { password: right }") { porter in
            let c = try porter.client()
            let started = Date()
            let guesses = (0..<6).flatMap { RedisTestClient.encode(["AUTH", "guess\($0)"]) }
            try c.send(raw: guesses + RedisTestClient.encode(["AUTH", "right"]) + RedisTestClient.encode(["PING"]))
            for _ in 0..<6 { #expect(try c.readReply().errorText.hasPrefix("WRONGPASS")) }
            #expect(try c.readReply() == .simple("OK"))
            #expect(try c.readReply() == .simple("PONG"))
            #expect(Date().timeIntervalSince(started) >= 0.63)
            let stats = await porter.app.proxy.metricsSnapshot().stats
            #expect(stats.authFailures == 6)
        }
    }

    /// A reload that changes a user's rules applies to its connected clients from their next
    /// command; a user that is removed must authenticate again.
    @Test func reloadedRulesApplyToConnectedClients() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let port = freePort()
        let path = redis.directory.appendingPathComponent("porter.yaml").path
        func yaml(_ users: String) -> String {
            """
            listen: 127.0.0.1:\(port)
            log: { level: error }
            auth:
              password: d
              users: [\(users)]
            upstream:
              groups:
                - { name: test, primary: 127.0.0.1:\(redis.port) }
            """
        }
        let app = try await startPorter(yaml: yaml(#"{ name: app, password: a, rules: "+@all ~*" }"#), configPath: path)
        try await finally {
            let c = try RedisTestClient(port: port)
            #expect(try c.command("AUTH", "app", "a") == .simple("OK"))
            #expect(try c.command("SET", "x", "1") == .simple("OK"))

            try yaml(#"{ name: app, password: a, rules: "+@read ~*" }"#).write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = await app.reload()
            #expect(outcome.applied, "\(outcome.error ?? "")")
            #expect(outcome.changes.contains { $0.hasPrefix("auth") })
            #expect(!outcome.changes.joined().contains("+@read"), "auth changes are shown as changed, not spelled out")
            #expect(try c.command("SET", "x", "2").errorText.hasPrefix("NOPERM this user has no permissions to run the 'set'"))
            #expect(try c.command("GET", "x") == .bulk(Array("1".utf8)))

            try yaml("").write(toFile: path, atomically: true, encoding: .utf8)
            #expect(await app.reload().applied)
            #expect(try c.command("GET", "x").errorText.hasPrefix("NOAUTH"))
            #expect(try c.command("AUTH", "app", "a").errorText.hasPrefix("WRONGPASS"))

            // A rule Porter cannot take refuses the reload, naming the key and the rule.
            try yaml(#"{ name: app, password: a, rules: "+@nosuch" }"#).write(toFile: path, atomically: true, encoding: .utf8)
            let refused = await app.reload()
            #expect(!refused.applied)
            #expect(refused.error?.contains("auth.users[0]") == true && refused.error?.contains("'nosuch'") == true, "\(refused.error ?? "")")
        } stop: {
            await app.stop()
        }
    }

    /// A client that sends a request a byte at a time (slowloris) is closed once the request is
    /// not whole `limits.request_timeout` after its first byte; another client is not touched.
    @Test func aRequestThatNeverCompletesTimesOut() async throws {
        try await withPorter(extraYAML: "limits: { request_timeout: 1s }") { porter in
            let slow = try porter.client()
            let control = try porter.client()
            let started = Date()
            for byte in Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nval".utf8) {
                try? slow.send(raw: [byte])
                if Date().timeIntervalSince(started) > 0.3 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try control.command("PING") == .simple("PONG"))
            let reply = try slow.readReply()
            #expect(reply.errorText.contains("limits.request_timeout"), "\(reply)")
            #expect(slow.readEOF())
            let waited = Date().timeIntervalSince(started)
            #expect(waited >= 1 && waited < 5, "\(waited)")
            #expect(try control.command("GET", "k") == .null, "the partial SET was not run")
            let stats = await porter.app.proxy.metricsSnapshot().stats
            #expect(stats.closedOverBudget == 0 && stats.closedForTimeout == 1)
        }
    }

    /// Partial requests are charged to one budget across clients: the client whose bytes would
    /// go past it is answered and closed, the others complete theirs.
    @Test func bufferedRequestBytesHaveOneBudget() async throws {
        let yaml = "limits: { max_buffered_request_bytes: 1mb, stream_bulk_bytes: off, request_timeout: 30s }"
        try await withPorter(extraYAML: yaml) { porter in
            func mset(_ value: Int) -> [UInt8] {
                RedisTestClient.encode([
                    "MSET", "a", String(repeating: "a", count: value), "b", String(repeating: "b", count: value),
                ])
            }
            let first = try porter.client()
            let second = try porter.client()
            let firstRequest = mset(300_000)
            let secondRequest = mset(300_000)
            // 550 kB of the first (of 600 kB), then 550 kB of the second: past 1 MiB together.
            try first.send(raw: Array(firstRequest.prefix(550_000)))
            try await Task.sleep(for: .milliseconds(200))
            try second.send(raw: Array(secondRequest.prefix(550_000)))
            let refused = try second.readReply()
            #expect(refused.errorText.contains("limits.max_buffered_request_bytes"), "\(refused)")
            #expect(second.readEOF())
            try first.send(raw: Array(firstRequest.dropFirst(550_000)))
            #expect(try first.readReply() == .simple("OK"))
            #expect(try first.command("STRLEN", "a") == .integer(300_000))
            let stats = await porter.app.proxy.metricsSnapshot().stats
            #expect(stats.closedOverBudget == 1 && stats.closedForTimeout == 0)
        }
    }
}
