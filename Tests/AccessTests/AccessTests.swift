import Commands
import NIOCore
import RESP
import Testing

@testable import Access

@Suite struct GlobTests {
    @Test func redisGlobSyntax() {
        let cases: [(String, String, Bool)] = [
            ("*", "", true), ("*", "anything", true), ("a*", "abc", true), ("a*", "bac", false),
            ("PHPREDIS_SESSION:*", "PHPREDIS_SESSION:abc", true), ("PHPREDIS_SESSION:*", "PHPREDIS_SESSIO", false),
            ("h?llo", "hello", true), ("h?llo", "hllo", false), ("h[ae]llo", "hallo", true),
            ("h[ae]llo", "hillo", false), ("h[^e]llo", "hallo", true), ("h[^e]llo", "hello", false),
            ("h[a-b]llo", "hbllo", true), ("h[a-b]llo", "hcllo", false), ("h\\*llo", "h*llo", true),
            ("h\\*llo", "hello", false), ("*:*:data", "sess:1:data", true), ("*:*:data", "sess:1:datum", false),
            ("a*b*c", "aXbYbZc", true), ("a*b*c", "aXbYbZ", false), ("**", "x", true), ("", "", true), ("", "x", false),
        ]
        for (pattern, text, expected) in cases {
            #expect(Glob(pattern).matches(Array(text.utf8)) == expected, "\(pattern) ~ \(text)")
        }
    }

    /// Backtracking only to the last star: a hostile key is linear-ish, not exponential.
    @Test func hostileInputStaysCheap() {
        let pattern = Glob(String(repeating: "a*", count: 30) + "b")
        let text = Array(String(repeating: "a", count: 5_000).utf8)
        #expect(!pattern.matches(text))
    }
}

@Suite struct ACLTests {
    let table = CommandTable.shared

    func request(_ arguments: String...) -> (CommandSpec, RESPRequest) {
        let request = RESPRequest(arguments)
        return (self.table.lookup(request)!, request)
    }

    func check(_ user: AccessUser, _ arguments: String...) -> AccessDenial? {
        let request = RESPRequest(arguments)
        return user.check(self.table.lookup(request)!, request)
    }

    func user(_ rules: String, password: String? = "pw") throws -> AccessUser {
        try AccessControl(defaultUser: .init(name: "u", password: password, rules: rules), others: []).defaultUser
    }

    @Test func defaultRulesKeepDangerousCommandsOff() throws {
        let user = try AccessControl().defaultUser
        for allowed in [
            ["GET", "k"], ["SET", "k", "v"], ["EVAL", "return 1", "0"], ["SCRIPT", "LOAD", "return 1"],
            ["INFO"], ["FCALL", "f", "0"], ["FUNCTION", "LIST"], ["SCRIPT", "KILL"], ["DEL", "k"], ["SCAN", "0"],
        ] {
            let request = RESPRequest(allowed)
            #expect(user.check(self.table.lookup(request)!, request) == nil, "\(allowed)")
        }
        for refused in [
            ["FLUSHALL"], ["FLUSHDB"], ["SWAPDB", "0", "1"], ["KEYS", "*"], ["SCRIPT", "FLUSH"],
            ["FUNCTION", "FLUSH"], ["FUNCTION", "DELETE", "lib"], ["FUNCTION", "LOAD", "x"],
            ["FUNCTION", "RESTORE", "x"], ["SORT", "k"], ["RESTORE", "k", "0", "x"],
        ] {
            let request = RESPRequest(refused)
            #expect(user.check(self.table.lookup(request)!, request) == .command, "\(refused)")
        }
        #expect(user.noPassword)
    }

    @Test func categoriesCommandsAndKeyPatterns() throws {
        let app = try self.user("+@read +@write -@dangerous ~PHPREDIS_SESSION:* ~cache:*")
        #expect(check(app, "GET", "PHPREDIS_SESSION:abc") == nil)
        #expect(check(app, "SET", "cache:1", "v") == nil)
        #expect(check(app, "GET", "other") == .key)
        #expect(check(app, "MGET", "cache:1", "other") == .key)
        #expect(check(app, "FLUSHALL") == .command)
        #expect(check(app, "EVAL", "return 1", "0") == .command)  // @scripting was not given
        #expect(check(app, "PING") == .command)  // @connection neither, as in Redis
        #expect(check(app, "AUTH", "x") == nil)  // no-auth commands always run
        let request = RESPRequest(["FLUSHALL"])
        #expect(AccessDenial.command.message(self.table.lookup(request)!)
            == "NOPERM this user has no permissions to run the 'flushall' command")

        let single = try self.user("-@all +get +client|setname ~*")
        #expect(check(single, "GET", "k") == nil)
        #expect(check(single, "SET", "k", "v") == .command)
        #expect(check(single, "CLIENT", "SETNAME", "x") == nil)
        #expect(check(single, "CLIENT", "ID") == .command)
        let container = try self.user("+@all -client ~*")
        #expect(check(container, "CLIENT", "ID") == .command)
        #expect(check(container, "GET", "k") == nil)
    }

    /// %R~ and %W~: as Redis decides it from each key spec's flags.
    @Test func readAndWriteKeyPatterns() throws {
        let user = try self.user("+@all %R~src:* %W~dst:* ~both:*")
        #expect(check(user, "GET", "src:1") == nil)
        #expect(check(user, "SET", "src:1", "v") == .key)
        #expect(check(user, "SET", "dst:1", "v") == nil)
        #expect(check(user, "SET", "dst:1", "v", "GET") == .key)  // GET reads it
        #expect(check(user, "GET", "dst:1") == .key)
        #expect(check(user, "COPY", "src:1", "dst:1") == nil)
        #expect(check(user, "COPY", "dst:1", "src:1") == .key)
        #expect(check(user, "EXISTS", "dst:1") == nil)  // neither read nor write: any match
        #expect(check(user, "GETDEL", "both:1") == nil)
    }

    @Test func channels() throws {
        let user = try self.user("+@all ~* &news:*")
        #expect(check(user, "PUBLISH", "news:1", "m") == nil)
        #expect(check(user, "PUBLISH", "other", "m") == .channel)
        #expect(try check(self.user("+@all ~* allchannels"), "PUBLISH", "other", "m") == nil)
    }

    @Test func passwords() throws {
        let plain = try self.user("+@all ~*", password: "secret")
        #expect(plain.accepts(password: ByteBuffer(string: "secret")))
        #expect(!plain.accepts(password: ByteBuffer(string: "Secret")))
        let hashed = try self.user("+@all ~*", password: "sha256:" + passwordDigestHex("secret"))
        #expect(hashed.accepts(password: ByteBuffer(string: "secret")))
        #expect(!hashed.accepts(password: ByteBuffer(string: "x")))
        let inRules = try self.user(">one >two ~* +@all", password: nil)
        #expect(inRules.accepts(password: ByteBuffer(string: "two")))
        #expect(!inRules.accepts(password: ByteBuffer(string: "three")))
        let off = try self.user("off +@all ~*", password: "pw")
        #expect(!off.accepts(password: ByteBuffer(string: "pw")))
        // The SHA-256 of "password", as Redis' own documentation shows it.
        #expect(passwordDigestHex("password") == "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8")
    }

    @Test func badRulesSayWhich() throws {
        for (rules, fragment) in [
            ("+@nosuch", "unknown command category 'nosuch'"), ("+nosuch", "unknown command 'nosuch'"),
            ("+get|x", "first-argument rules"), ("(+get ~x)", "selectors are not supported"),
            ("#abc", "64 hexadecimal"), ("+", "must follow"), ("-", "must follow"), ("+@", "must follow"), ("%X~k", "not an ACL rule"), ("bogus", "not an ACL rule"),
        ] {
            #expect(throws: ACLRuleError.self, "\(rules)") { try self.user(rules) }
            do { _ = try self.user(rules) } catch let error as ACLRuleError {
                #expect(error.message.contains(fragment), "\(rules): \(error.message)")
                #expect(error.message.contains("user 'u'"))
            }
        }
        #expect(throws: ACLRuleError.self) {
            try AccessControl(
                defaultUser: .init(name: "default", password: nil, rules: "+@all"),
                others: [.init(name: "default", password: "x", rules: "")])
        }
    }

    @Test func authenticateByName() throws {
        let access = try AccessControl(
            defaultUser: .init(name: "default", password: "d", rules: AccessControl.defaultRules),
            others: [.init(name: "app", password: "a", rules: "+@read ~*")])
        #expect(access.authenticate(user: nil, password: ByteBuffer(string: "d"))?.name == "default")
        #expect(access.authenticate(user: "app", password: ByteBuffer(string: "a"))?.name == "app")
        #expect(access.authenticate(user: "app", password: ByteBuffer(string: "d")) == nil)
        #expect(access.authenticate(user: "nobody", password: ByteBuffer(string: "a")) == nil)
        #expect(!access.openByDefault)
        #expect(!access.fingerprint.contains("\"a\"") && !access.fingerprint.contains(" a "))
    }
}

@Suite struct FailedAuthLimiterTests {
    let ms: UInt64 = 1_000_000

    @Test func aConnectionsFailuresWaitLongerEachTime() {
        let limiter = FailedAuthLimiter()
        var now: UInt64 = 1_000 * ms
        var waits: [UInt64] = []
        for n in 1...10 {
            let wait = limiter.failed(source: "10.0.0.1", connectionFailures: n, now: now)
            waits.append(wait / ms)
            now += wait
        }
        #expect(waits.prefix(4) == [10, 20, 40, 80])
        #expect(waits.last == 2_000)
        #expect(limiter.trackedSources == 1)
    }

    /// Many connections from one source do not buy more guesses: their failures are answered one
    /// at a time, further apart as they go on.
    @Test func failuresFromOneSourceAreAnsweredOneAtATime() {
        let limiter = FailedAuthLimiter()
        let now: UInt64 = 1_000 * ms
        var answers: [UInt64] = []
        for _ in 0..<100 {
            answers.append(now + limiter.failed(source: "s", connectionFailures: 1, now: now))
        }
        #expect(answers == answers.sorted())
        // 100 first failures from 100 connections at the same instant take more than a minute.
        #expect(answers.last! - now > 60_000 * ms)
        // Another source is not held up by this one.
        #expect(limiter.failed(source: "t", connectionFailures: 1, now: now) == 10 * ms)
        // A source quiet for a minute starts again.
        #expect(limiter.failed(source: "t", connectionFailures: 1, now: now + 200_000 * ms) == 10 * ms)
    }

    @Test func sourcesAreBounded() {
        var settings = FailedAuthLimiter.Settings()
        settings.maxSources = 100
        let limiter = FailedAuthLimiter(settings: settings)
        for i in 0..<1_000 { _ = limiter.failed(source: "s\(i)", connectionFailures: 1, now: UInt64(i) * 1_000 * ms) }
        #expect(limiter.trackedSources <= 100)
    }
}
