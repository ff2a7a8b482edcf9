import Commands
import Migration
import RESP
import Testing

@testable import Proxy

/// Which commands the migration takes, and what it makes of them.
@Suite("Migration: session commands")
struct SessionCommandTests {
    let patterns = [SessionKeyPattern("PHPREDIS_SESSION:{id}")!]

    func parse(_ args: String...) -> SessionCommand.Parse {
        let request = RESPRequest(args)
        return SessionCommand.parse(request, spec: CommandTable.shared.lookup(request)!, patterns: self.patterns)
    }

    func operation(_ parse: SessionCommand.Parse) -> SessionCommand.Operation? {
        if case .session(let command) = parse {
            #expect(command.id == Array("abc".utf8))
            #expect(command.key == Array("PHPREDIS_SESSION:abc".utf8))
            return command.operation
        }
        return nil
    }

    @Test func theSessionHandlersCommandsAreTaken() {
        let key = "PHPREDIS_SESSION:abc"
        #expect(operation(parse("GET", key)) == .get)
        #expect(operation(parse("get", key)) == .get)
        #expect(operation(parse("EXISTS", key)) == .exists)
        #expect(operation(parse("TTL", key)) == .ttl(milliseconds: false))
        #expect(operation(parse("PTTL", key)) == .ttl(milliseconds: true))
        #expect(operation(parse("SETEX", key, "600", "v")) == .set(value: Array("v".utf8), ttl: 600))
        #expect(operation(parse("PSETEX", key, "1500", "v")) == .set(value: Array("v".utf8), ttl: 2))
        #expect(operation(parse("SET", key, "")) == .set(value: [], ttl: nil))
        #expect(operation(parse("SET", key, "v", "EX", "60")) == .set(value: Array("v".utf8), ttl: 60))
        #expect(operation(parse("SET", key, "v", "px", "60001")) == .set(value: Array("v".utf8), ttl: 61))
        #expect(operation(parse("EXPIRE", key, "900")) == .expire(ttl: 900))
        #expect(operation(parse("PEXPIRE", key, "1")) == .expire(ttl: 1))
        #expect(operation(parse("EXPIRE", key, "0")) == .delete)
        #expect(operation(parse("DEL", key)) == .delete)
        #expect(operation(parse("UNLINK", key)) == .delete)
    }

    @Test func otherKeysAndCommandsCostNothing() {
        for parse in [
            parse("GET", "PHPREDIS_SESSION:abc_LOCK"), parse("SET", "PHPREDIS_SESSION:abc_LOCK", "1", "NX", "EX", "30"),
            parse("GET", "cache:abc"), parse("DEL", "a", "b"), parse("INCR", "cache:abc"),
            parse("SETEX", "PHPREDIS_SESSION:abc", "notanumber", "v"), parse("GETEX", "cache:abc", "EX", "6"),
            parse("MGET", "a", "b"), parse("MSET", "a", "PHPREDIS_SESSION:abc"),
        ] {
            guard case .other = parse else {
                Issue.record("taken: \(parse)")
                continue
            }
        }
    }

    @Test func formsALegacyStoreCannotTakeAreRefused() {
        for parse in [
            parse("SET", "PHPREDIS_SESSION:abc", "v", "NX"), parse("SET", "PHPREDIS_SESSION:abc", "v", "KEEPTTL"),
            parse("EXPIRE", "PHPREDIS_SESSION:abc", "60", "GT"), parse("DEL", "a", "PHPREDIS_SESSION:abc"),
            parse("EXISTS", "PHPREDIS_SESSION:abc", "PHPREDIS_SESSION:def"),
            parse("GETEX", "PHPREDIS_SESSION:abc", "EX", "600"), parse("GETDEL", "PHPREDIS_SESSION:abc"),
            parse("MGET", "cache:a", "PHPREDIS_SESSION:abc"), parse("MSET", "a", "1", "PHPREDIS_SESSION:abc", "2"),
            parse("RENAME", "cache:a", "PHPREDIS_SESSION:abc"), parse("PERSIST", "PHPREDIS_SESSION:abc"),
            parse("INCR", "PHPREDIS_SESSION:abc"),
        ] {
            guard case .refused = parse else {
                Issue.record("not refused: \(parse)")
                continue
            }
        }
    }
}
