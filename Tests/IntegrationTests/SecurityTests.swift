import Foundation
import PorterTestHarness
import Testing

/// Issue 13: what a proxy must not pass through, users and ACLs, and bounded memory.
@Suite struct SecurityTests {
    /// A runaway script makes Redis answer -BUSY to all but a few commands, and Porter's shared
    /// connections wait behind it: SCRIPT KILL reaches the node on a connection of its own.
    @Test func scriptKillReachesABusyNode() async throws {
        try await withPorter(redisArguments: ["--busy-reply-threshold", "100"]) { porter in
            let idle = try porter.client()
            #expect(try idle.command("SCRIPT", "KILL").errorText.hasPrefix("NOTBUSY"))
            #expect(try idle.command("FUNCTION", "KILL").errorText.hasPrefix("NOTBUSY"))

            let runaway = try porter.client()
            try runaway.send(raw: Array("*3\r\n$4\r\nEVAL\r\n$14\r\nwhile 1 do end\r\n$1\r\n0\r\n".utf8))
            try await Task.sleep(for: .milliseconds(400))
            let started = Date()
            // On a database no connection uses yet: a new shared connection would say SELECT,
            // which a busy node refuses.
            let killer = try porter.client()
            #expect(try killer.command("SELECT", "1") == .simple("OK"))
            #expect(try killer.command("SCRIPT", "KILL") == .simple("OK"))
            #expect(Date().timeIntervalSince(started) < 2)
            #expect(try runaway.readReply().errorText.contains("killed"))
            #expect(try killer.command("SET", "after", "1") == .simple("OK"))
            #expect(try runaway.command("SELECT", "1") == .simple("OK"))
            #expect(try runaway.command("GET", "after") == .bulk(Array("1".utf8)))

            // Inside MULTI it is refused, and EXEC fails as for any refused command.
            #expect(try killer.command("MULTI") == .simple("OK"))
            #expect(try killer.command("SCRIPT", "KILL").errorText.contains("inside MULTI"))
            #expect(try killer.command("EXEC").errorText.hasPrefix("EXECABORT"))
        }
    }
}
