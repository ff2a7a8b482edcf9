import NIOCore
import RESP
import Testing
import Upstream

@testable import Topology

@Suite("Node health state machine")
struct NodeHealthTests {
    @Test func riseAndFall() {
        var h = NodeHealth(rise: 2, fall: 3)
        #expect(h.state == .unknown && h.isUsable)
        #expect(h.checkSucceeded() == .wentUp)
        #expect(h.checkFailed("timeout") == .none)
        #expect(h.checkFailed("timeout") == .none)
        #expect(h.checkFailed("timeout") == .wentDown(reason: "timeout"))
        #expect(!h.isUsable)
        #expect(h.checkSucceeded() == .none)
        #expect(h.checkFailed("refused") == .none)  // rise counts consecutive successes
        #expect(h.checkSucceeded() == .none)
        #expect(h.checkSucceeded() == .wentUp)
        #expect(h.isUsable && h.lastError == nil)
    }

    @Test func neverSeenUpGoesDownOnFirstFailure() {
        var h = NodeHealth(rise: 2, fall: 2)
        #expect(h.checkFailed("refused") == .wentDown(reason: "refused"))
    }

    @Test func passiveEjectionNeedsAnActiveCheckToReturn() {
        var h = NodeHealth(rise: 2, fall: 2, ejectAfterErrors: 2)
        _ = h.checkSucceeded()
        #expect(h.trafficFailed("reset") == .none)
        #expect(h.checkSucceeded() == .none)
        #expect(h.trafficFailed("reset") == .none)  // the good check reset the count
        guard case .wentDown = h.trafficFailed("reset") else {
            Issue.record("not ejected")
            return
        }
        #expect(!h.isUsable)
        #expect(h.trafficFailed("reset") == .none)
        #expect(h.checkSucceeded() == .none)
        #expect(h.checkSucceeded() == .wentUp)
    }

    @Test func roleReplies() throws {
        func role(_ text: String) throws -> NodeRole {
            NodeRole(roleReply: try #require(try RESPToken(parsing: ByteBuffer(string: text))))
        }
        #expect(try role("*3\r\n$6\r\nmaster\r\n:42\r\n*0\r\n") == .primary(offset: 42))
        #expect(
            try role("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:6379\r\n$9\r\nconnected\r\n:40\r\n")
                == .replica(primaryHost: "127.0.0.1", primaryPort: 6379, linkUp: true, offset: 40))
        #expect(
            try role("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:6379\r\n$7\r\nconnect\r\n:-1\r\n")
                == .replica(primaryHost: "127.0.0.1", primaryPort: 6379, linkUp: false, offset: -1))
        #expect(try role("*2\r\n$8\r\nsentinel\r\n*0\r\n") == .sentinel)
        #expect(try role("-ERR nope\r\n") == .unknown)
    }

    @Test func aContradictedNodeIsDownUntilActiveChecksRise() {
        var health = NodeHealth(rise: 2, fall: 3, ejectAfterErrors: 5)
        #expect(health.checkSucceeded() == .wentUp)
        #expect(health.contradicted("refused a write with -READONLY") != .none)
        #expect(!health.isUsable)
        #expect(health.contradicted("again") == .none)
        #expect(health.checkSucceeded() == .none)
        #expect(health.checkSucceeded() == .wentUp)
    }

    @Test func switchMasterMessages() {
        let event = SwitchMaster(message: "sessions 127.0.0.1 6390 127.0.0.1 6391")
        #expect(event?.master == "sessions")
        #expect(event?.old == .tcp(host: "127.0.0.1", port: 6390))
        #expect(event?.new == .tcp(host: "127.0.0.1", port: 6391))
        #expect(SwitchMaster(message: "sessions 127.0.0.1 6390") == nil)
        #expect(SwitchMaster(message: "sessions a x b 1") == nil)
    }
}
