import Foundation
import PorterTestHarness
import Testing

@Suite("Proxy against a real redis-server")
struct ProxyTests {
    @Test func forwardsCommonCommands() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            #expect(try c.command("SET", "session:1", "alice") == .simple("OK"))
            #expect(try c.command("GET", "session:1") == .bulk(Array("alice".utf8)))
            #expect(try c.command("EXPIRE", "session:1", "172800") == .integer(1))
            #expect(try c.command("INCR", "counter") == .integer(1))
            #expect(try c.command("DEL", "session:1", "counter") == .integer(2))
            #expect(try c.command("GET", "session:1") == .null)
            // The key really is in Redis.
            _ = try c.command("SET", "k", "v")
            #expect(try porter.direct().command("GET", "k") == .bulk(Array("v".utf8)))
        }
    }

    @Test func binaryKeysAndLargeValues() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            let key: [UInt8] = [0, 13, 10, 255, 36, 42]
            var value = [UInt8](repeating: 0, count: 4 * 1024 * 1024)
            for i in value.indices { value[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
            #expect(try c.command(bytes: [Array("SET".utf8), key, value]) == .simple("OK"))
            #expect(try c.command(bytes: [Array("GET".utf8), key]) == .bulk(value))
            #expect(try c.command(bytes: [Array("STRLEN".utf8), key]) == .integer(value.count))
        }
    }

    /// Requests of 64 KiB and more go to Redis as the slices they came in, between the small
    /// ones copied into the connection's buffer: a pipeline mixing both keeps its order.
    @Test func largeAndSmallRequestsInOnePipelineKeepTheirOrder() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            let big = [UInt8](repeating: UInt8(ascii: "b"), count: 100_000)
            let huge = [UInt8](repeating: UInt8(ascii: "h"), count: 3_000_000)
            var bytes = RedisTestClient.encode(["SET", "mix:a", "1"])
            bytes += RedisTestClient.encode([Array("SET".utf8), Array("mix:big".utf8), big])
            bytes += RedisTestClient.encode(["SET", "mix:a", "2"])
            bytes += RedisTestClient.encode([Array("APPEND".utf8), Array("mix:big".utf8), huge])
            bytes += RedisTestClient.encode(["GET", "mix:a"])
            bytes += RedisTestClient.encode(["STRLEN", "mix:big"])
            try c.send(raw: bytes)
            #expect(try c.readReply() == .simple("OK"))
            #expect(try c.readReply() == .simple("OK"))
            #expect(try c.readReply() == .simple("OK"))
            #expect(try c.readReply() == .integer(3_100_000))
            #expect(try c.readReply() == .bulk(Array("2".utf8)))
            #expect(try c.readReply() == .integer(3_100_000))
            #expect(
                try c.command(bytes: [
                    Array("GETRANGE".utf8), Array("mix:big".utf8), Array("99999".utf8), Array("100000".utf8),
                ]) == .bulk(Array("bh".utf8)))
        }
    }

    @Test func longPipelineIsAnsweredInOrder() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            var bytes: [UInt8] = []
            let n = 10_000
            for i in 0..<n {
                bytes += RedisTestClient.encode(i % 2 == 0 ? ["SET", "p\(i)", "\(i)"] : ["GET", "p\(i - 1)"])
            }
            try c.send(raw: bytes)
            for i in 0..<n {
                let reply = try c.readReply()
                if i % 2 == 0 {
                    #expect(reply == .simple("OK"))
                } else {
                    #expect(reply == .bulk(Array("\(i - 1)".utf8)), "reply \(i)")
                }
            }
        }
    }

    @Test func inlineCommandsLikeTelnet() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            try c.send(raw: Array("SET inline \"a b\\x41\"\r\nGET inline\nPING\r\n".utf8))
            #expect(try c.readReply() == .simple("OK"))
            #expect(try c.readReply() == .bulk(Array("a bA".utf8)))
            #expect(try c.readReply() == .simple("PONG"))
        }
    }

    @Test func localCommands() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            #expect(try c.command("PING") == .simple("PONG"))
            #expect(try c.command("PING", "hi") == .bulk(Array("hi".utf8)))
            #expect(try c.command("ECHO", "x") == .bulk(Array("x".utf8)))
            #expect(try c.command("CLIENT", "SETNAME", "web-1") == .simple("OK"))
            #expect(try c.command("CLIENT", "GETNAME") == .bulk(Array("web-1".utf8)))
            #expect(try c.command("CLIENT", "SETINFO", "LIB-NAME", "x") == .simple("OK"))
            #expect(try c.command("COMMAND", "COUNT") == .integer(240))
            #expect(
                try c.command("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2") == .array([.bulk([97]), .bulk([98])]))
            guard case .array(let info) = try c.command("COMMAND", "INFO", "get"), case .array(let get) = info.first
            else {
                Issue.record("COMMAND INFO get")
                return
            }
            #expect(get.first == .bulk(Array("get".utf8)))
            #expect(get[1] == .integer(2))
            // HELLO 3 switches to RESP3: maps arrive as maps.
            guard case .map(let hello) = try c.command("HELLO", "3") else {
                Issue.record("HELLO 3 did not return a map")
                return
            }
            #expect(hello.contains(.bulk(Array("proto".utf8))))
            _ = try c.command("HSET", "h", "f", "v")
            #expect(try c.command("HGETALL", "h") == .map([.bulk([102]), .bulk([118])]))
            guard case .array = try c.command("HELLO", "2") else {
                Issue.record("HELLO 2 did not return an array")
                return
            }
            #expect(try c.command("HGETALL", "h") == .array([.bulk([102]), .bulk([118])]))
            #expect(try c.command("HELLO", "4").errorText.hasPrefix("NOPROTO"))
        }
    }

    /// Error lines that quote a client's bytes are Redis' own, byte for byte, non-UTF-8 included
    /// (they became U+FFFD before), and `PING a b` is an arity error as in Redis (it echoed `a`).
    @Test func errorLinesMatchRedisByteForByte() async throws {
        try await withPorter { porter in
            let viaPorter = try porter.client()
            let direct = try porter.direct()
            let commands: [[[UInt8]]] = [
                [Array("NOSUCH".utf8), [0xFF, 0xFE, 0x41], Array("b".utf8)],
                [[0xC3, 0x28], Array(repeating: 0x78, count: 300)],
                [Array("PING".utf8), Array("a".utf8), Array("b".utf8)],
                [Array("COMMAND".utf8), [0xFF, 0x58]],
                [Array("HELLO".utf8), Array("3".utf8), [0xE2, 0x82]],
            ]
            for command in commands {
                try viaPorter.send(raw: RedisTestClient.encode(command))
                try direct.send(raw: RedisTestClient.encode(command))
                let mine = try viaPorter.readLineBytes()
                let redis = try direct.readLineBytes()
                #expect(
                    mine == redis,
                    "\(String(decoding: mine, as: UTF8.self)) vs Redis' \(String(decoding: redis, as: UTF8.self))")
            }
            #expect(try viaPorter.command("PING", "a") == .bulk(Array("a".utf8)))
        }
    }

    @Test func selectKeepsDatabasesApart() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            #expect(try c.command("SELECT", "2") == .simple("OK"))
            _ = try c.command("SET", "db-key", "two")
            let other = try porter.client()
            #expect(try other.command("GET", "db-key") == .null)
            #expect(try other.command("SELECT", "2") == .simple("OK"))
            #expect(try other.command("GET", "db-key") == .bulk(Array("two".utf8)))
            #expect(try c.command("SELECT", "99").errorText == "ERR DB index is out of range")
        }
    }

    @Test func unsupportedAndUnknownCommandsSayWhich() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            for (args, name) in [
                (["SUBSCRIBE", "ch"], "subscribe"), (["BLPOP", "l", "0"], "blpop"), (["MONITOR"], "monitor"),
                (["CONFIG", "SET", "x", "y"], "config|set"), (["CLUSTER", "INFO"], "cluster|info"),
                (["SHUTDOWN"], "shutdown"), (["WAIT", "1", "0"], "wait"),
                (["MIGRATE", "127.0.0.1", "\(porter.redis.port)", "k", "0", "2000"], "migrate"),
            ] {
                let reply = try c.command(args)
                #expect(reply.errorText.hasPrefix("ERR Porter does not support '\(name)'"), "\(args): \(reply)")
            }
            #expect(try c.command("XREAD", "BLOCK", "0", "STREAMS", "s", "0").errorText.contains("'xread' with BLOCK"))
            #expect(try c.command("XREAD", "STREAMS", "s", "0") == .null)
            #expect(try c.command("NOSUCH", "a").errorText.hasPrefix("ERR unknown command 'NOSUCH'"))
            #expect(try c.command("GET").errorText == "ERR wrong number of arguments for 'get' command")
            // The connection still works, and MIGRATE moved nothing.
            #expect(try c.command("PING") == .simple("PONG"))
            _ = try c.command("SET", "k", "v")
            #expect(try c.command("MIGRATE", "127.0.0.1", "\(porter.redis.port)", "k", "0", "2000").errorText.contains("migrate"))
            #expect(try c.command("GET", "k") == .bulk(Array("v".utf8)))
        }
    }

    @Test func transactionsRunOnOneConnection() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            #expect(try c.command("MULTI") == .simple("OK"))
            #expect(try c.command("SET", "t", "1") == .simple("QUEUED"))
            #expect(try c.command("INCR", "t") == .simple("QUEUED"))
            #expect(try c.command("EXEC") == .array([.simple("OK"), .integer(2)]))

            // WATCH: a change by another client makes EXEC return nil.
            #expect(try c.command("WATCH", "t") == .simple("OK"))
            _ = try porter.client().command("SET", "t", "changed")
            _ = try c.command("MULTI")
            _ = try c.command("SET", "t", "mine")
            #expect(try c.command("EXEC") == .null)
            #expect(try c.command("GET", "t") == .bulk(Array("changed".utf8)))

            // A command Porter refuses inside MULTI aborts the transaction, as in Redis.
            _ = try c.command("MULTI")
            _ = try c.command("SET", "t", "never")
            #expect(try c.command("SUBSCRIBE", "x").isError)
            #expect(try c.command("EXEC").errorText.hasPrefix("EXECABORT"))
            #expect(try c.command("GET", "t") == .bulk(Array("changed".utf8)))
            #expect(try c.command("EXEC").errorText == "ERR EXEC without MULTI")
        }
    }

    /// Commands in the same write as EXEC, DISCARD or UNWATCH get their own replies. Before the
    /// fix, the GET behind EXEC failed ("connection … closed by Porter") and its reply came only
    /// with the next bytes, shifted by one.
    @Test func commandsPipelinedBehindATransactionGetTheirOwnReplies() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            func pipeline(_ commands: [[String]]) throws -> [RedisTestClient.Reply] {
                try c.send(raw: commands.flatMap { RedisTestClient.encode($0) })
                return try commands.map { _ in try c.readReply() }
            }
            #expect(
                try pipeline([["MULTI"], ["SET", "p:a", "1"], ["EXEC"], ["GET", "p:a"]])
                    == [.simple("OK"), .simple("QUEUED"), .array([.simple("OK")]), .bulk(Array("1".utf8))])
            #expect(
                try pipeline([
                    ["MULTI"], ["SET", "p:b", "1"], ["DISCARD"], ["GET", "p:b"], ["SET", "p:b", "2"], ["GET", "p:b"],
                ])
                    == [.simple("OK"), .simple("QUEUED"), .simple("OK"), .null, .simple("OK"), .bulk(Array("2".utf8))])
            #expect(
                try pipeline([["WATCH", "k"], ["UNWATCH"], ["SET", "k", "x"], ["GET", "k"]])
                    == [.simple("OK"), .simple("OK"), .simple("OK"), .bulk(Array("x".utf8))])
            // A transaction Porter aborts (a refused command inside it), then a read.
            let aborted = try pipeline([
                ["MULTI"], ["SET", "p:c", "never"], ["SUBSCRIBE", "x"], ["EXEC"], ["GET", "p:c"],
            ])
            #expect(
                aborted.count == 5 && aborted[3].errorText.hasPrefix("EXECABORT") && aborted[4] == .null, "\(aborted)")
            // Fifty transactions back to back in one write, then a read of what they did.
            var many: [[String]] = []
            for _ in 0..<50 { many += [["MULTI"], ["INCR", "p:n"], ["EXEC"]] }
            let replies = try pipeline(many + [["GET", "p:n"]])
            for n in 1...50 { #expect(replies[n * 3 - 1] == .array([.integer(n)]), "EXEC \(n): \(replies[n * 3 - 1])") }
            #expect(replies.last == .bulk(Array("50".utf8)))
            #expect(try c.command("PING") == .simple("PONG"))
        }
    }

    /// A reply over a limit fails the command that asked for it and nothing else: the shared
    /// upstream connection stays up, so four pipelining bystanders see no error. Before the fix
    /// the connection was dropped and their in-flight commands failed.
    @Test func anOverLimitReplyFailsOnlyTheClientThatAskedForIt() async throws {
        try await withPorter(extraYAML: "limits: { max_bulk_bytes: 4kb, max_array_length: 1000 }") { porter in
            _ = try porter.direct().command("SET", "big", String(repeating: "x", count: 8192))
            _ = try porter.direct().command(["RPUSH", "long"] + (0..<1500).map { "\($0)" })
            let load = PipelineLoad(port: porter.port, connections: 4, depth: 50)
            let c = try porter.client()
            let deep = "return " + String(repeating: "{", count: 33) + "1" + String(repeating: "}", count: 33)
            try await Task.sleep(for: .milliseconds(200))
            for _ in 0..<20 {
                let tooDeep = try c.command("EVAL", deep, "0")
                #expect(tooDeep.errorText.contains("limits.max_depth"), "\(tooDeep)")
                let tooBig = try c.command("GET", "big")
                #expect(tooBig.errorText.contains("limits.max_bulk_bytes"), "\(tooBig)")
                let tooLong = try c.command("LRANGE", "long", "0", "-1")
                #expect(tooLong.errorText.contains("limits.max_array_length"), "\(tooLong)")
                #expect(try c.command("GET", "p:none") == .null)
            }
            let (replies, errors) = await load.stop()
            #expect(errors.isEmpty, "bystanders' errors: \(errors)")
            #expect(replies > 0)
        }
    }

    @Test func scriptsLikePhpredisLockRelease() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            let script =
                "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
            _ = try c.command("SET", "s_LOCK", "token")
            let sha = try porter.direct().command("SCRIPT", "LOAD", script).string!
            _ = try porter.direct().command("SCRIPT", "FLUSH")
            #expect(try c.command("EVALSHA", sha, "1", "s_LOCK", "token").errorText.hasPrefix("NOSCRIPT"))
            #expect(try c.command("EVAL", script, "1", "s_LOCK", "token") == .integer(1))
            _ = try c.command("SET", "s_LOCK", "token")
            #expect(try c.command("EVALSHA", sha, "1", "s_LOCK", "token") == .integer(1))
        }
    }

    @Test func clientPasswordIsRequired() async throws {
        try await withPorter(extraYAML: "auth: { password: s3cret }") { porter in
            let c = try porter.client()
            #expect(try c.command("GET", "x").errorText.hasPrefix("NOAUTH"))
            #expect(try c.command("AUTH", "wrong").errorText.hasPrefix("WRONGPASS"))
            #expect(try c.command("AUTH", "s3cret") == .simple("OK"))
            #expect(try c.command("SET", "x", "1") == .simple("OK"))
            // A wrong password in HELLO gets one WRONGPASS, not two: the next reply is the PING's.
            let w = try porter.client()
            #expect(try w.command("HELLO", "3", "AUTH", "default", "wrong").errorText.hasPrefix("WRONGPASS"))
            #expect(try w.command("PING").errorText.hasPrefix("NOAUTH"))
            let h = try porter.client()
            guard case .map = try h.command("HELLO", "3", "AUTH", "default", "s3cret") else {
                Issue.record("HELLO AUTH")
                return
            }
            #expect(try h.command("GET", "x") == .bulk([49]))
        }
    }

    @Test func upstreamPasswordIsSentOnConnect() async throws {
        try await withPorter(
            upstreamYAML: "  password: ${REDIS_TEST_PW}".replacingOccurrences(of: "${REDIS_TEST_PW}", with: "up-pw"),
            redisPassword: "up-pw"
        ) { porter in
            let c = try porter.client()
            #expect(try c.command("SET", "a", "1") == .simple("OK"))
            #expect(try c.command("GET", "a") == .bulk([49]))
        }
    }

    @Test func unixSocketListener() async throws {
        try await withPorter(unixSocket: true) { porter in
            let c = try RedisTestClient(unixPath: porter.unixPath!)
            #expect(try c.command("SET", "u", "1") == .simple("OK"))
            #expect(try c.command("GET", "u") == .bulk([49]))
        }
    }

    @Test func malformedInputGetsProtocolErrorAndClose() async throws {
        try await withPorter(extraYAML: "limits: { max_bulk_bytes: 1mb, max_array_length: 1000 }") { porter in
            let cases: [(String, String)] = [
                ("*2\r\n$3\r\nGET\r\n:1\r\n", "Protocol error: expected '$', got ':'"),
                ("*1\r\n$-5\r\n", "Protocol error: invalid bulk length"),
                ("*x\r\n", "Protocol error: invalid multibulk length"),
                ("*1\r\n$3\r\nGETXX\r\n", "Protocol error: bulk string not terminated by CRLF"),
                ("*1\r\n$2000000\r\n", "over the limit of 1048576 (limits.max_bulk_bytes)"),
                ("*5000\r\n", "over the limit of 1000 (limits.max_array_length)"),
                ("SET \"unbalanced\r\n", "Protocol error: unbalanced quotes in request"),
            ]
            for (input, expected) in cases {
                let c = try porter.client()
                try c.send(raw: Array(input.utf8))
                let reply = try c.readReply()
                #expect(reply.errorText.contains(expected), "\(input.debugDescription): \(reply)")
                #expect(c.readEOF(), "connection closed after \(input.debugDescription)")
            }
            // An inline line that never ends is cut at the limit instead of growing.
            let c = try porter.client()
            try c.send(raw: [UInt8](repeating: 65, count: 70_000))
            #expect(try c.readReply().errorText.contains("too big inline request"))
            // Porter is fine.
            #expect(try porter.client().command("PING") == .simple("PONG"))
        }
    }

    @Test func upstreamDownFailsFastAndRecovers() async throws {
        let fixture = try await PorterFixture.start()
        try await finally {
            let c = try fixture.client()
            #expect(try c.command("SET", "a", "1") == .simple("OK"))
            let port = fixture.redis.port
            fixture.redis.kill()
            // Every command gets an error, none hangs (the client's read timeout is 10 s).
            for _ in 0..<5 {
                let reply = try c.command("GET", "a")
                #expect(reply.errorText.hasPrefix("ERR Porter:"), "\(reply)")
            }
            // Redis comes back on the same port: Porter reconnects by itself.
            let again = try await Harness.startRedis(port: port)
            defer { again.stop() }
            let deadline = ContinuousClock.now + .seconds(10)
            var recovered = false
            while ContinuousClock.now < deadline {
                if try c.command("SET", "a", "2") == .simple("OK") {
                    recovered = true
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(recovered)
            #expect(try c.command("GET", "a") == .bulk([50]))
        } stop: {
            await fixture.stop()
        }
    }

    @Test func manyClientsShareAFewUpstreamConnections() async throws {
        try await withPorter { porter in
            var clients: [RedisTestClient] = []
            for i in 0..<200 {
                let c = try porter.client()
                #expect(try c.command("SET", "c\(i)", "\(i)") == .simple("OK"))
                clients.append(c)
            }
            for (i, c) in clients.enumerated() {
                #expect(try c.command("GET", "c\(i)") == .bulk(Array("\(i)".utf8)))
            }
            // Porter's own connections to Redis: 2 per node per thread (+ the direct one here).
            guard case .bulk(let list) = try porter.direct().command("CLIENT", "LIST") else { return }
            let porterConnections = String(decoding: list, as: UTF8.self).split(separator: "\n").filter {
                $0.contains("name=porter ")
            }
            #expect(porterConnections.count == 2, "\(porterConnections)")
        }
    }

    @Test func maxClientsIsEnforced() async throws {
        try await withPorter(extraYAML: "limits: { max_clients: 3 }") { porter in
            let a = try porter.client(), b = try porter.client(), c = try porter.client()
            for x in [a, b, c] { #expect(try x.command("PING") == .simple("PONG")) }
            let d = try porter.client()
            #expect(try d.readReply().errorText == "ERR max number of clients reached")
        }
    }
}

@Suite("Upstream timeouts and ACL users")
struct UpstreamBehaviourTests {
    @Test func stalledRedisGetsATimeoutErrorNotAHang() async throws {
        let redis = try await Harness.startRedis()
        let fixture = try await PorterFixture.start(existing: redis, commandTimeout: "300ms")
        try await finally {
            let c = try fixture.client()
            #expect(try c.command("SET", "a", "1") == .simple("OK"))
            // Stall Redis for 1.5 s from a direct connection (CLIENT PAUSE is refused through Porter).
            // Its +OK means the pause is in effect: no sleep, no race.
            #expect(try fixture.direct().command("CLIENT", "PAUSE", "1500", "ALL") == .simple("OK"))
            let reply = try c.command("GET", "a")
            #expect(reply.errorText.contains("did not answer within 300ms"), "got \(reply)")
            // Once Redis is back, the same client is served again.
            let deadline = ContinuousClock.now + .seconds(10)
            var ok = false
            while ContinuousClock.now < deadline {
                if try c.command("GET", "a") == .bulk([49]) {
                    ok = true
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(ok)
        } stop: {
            await fixture.stop()
        }
    }

    @Test func upstreamACLUserAndPassword() async throws {
        let redis = try await Harness.startRedis()
        let admin = try RedisTestClient(port: redis.port)
        #expect(try admin.command("ACL", "SETUSER", "porter", "on", ">porter-pw", "~*", "+@all") == .simple("OK"))
        #expect(try admin.command("ACL", "SETUSER", "default", "off") == .simple("OK"))
        let fixture = try await PorterFixture.start(
            upstreamYAML: "  username: porter\n  password: porter-pw", existing: redis)
        try await finally {
            let c = try fixture.client()
            #expect(try c.command("SET", "acl", "1") == .simple("OK"))
            #expect(try c.command("GET", "acl") == .bulk([49]))
            // RESP3 clients get a HELLO 3 AUTH handshake with the same user.
            _ = try c.command("HELLO", "3")
            #expect(try c.command("GET", "acl") == .bulk([49]))
        } stop: {
            await fixture.stop()
        }
    }
}
