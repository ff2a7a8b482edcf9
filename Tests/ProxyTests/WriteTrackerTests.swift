import Commands
import NIOCore
import RESP
import Testing
import Upstream

@testable import Proxy
@testable import Topology

/// The hold, resend and WAIT rules with injected time: what took real Sentinel failovers to
/// test now takes microseconds.
@Suite("Held, resent and durable writes")
struct WriteTrackerTests {
    final class Connection: TrackedConnection {
        var isReady = true
        var connectionGeneration = 1
    }
    typealias Tracker = WriteTracker<Connection>

    static let old = NodeAddress.tcp(host: "127.0.0.1", port: 7000)
    static let new = NodeAddress.tcp(host: "127.0.0.1", port: 7001)
    let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    func tracker(writeWait: TimeAmount = .seconds(5), waitReplicas: Int = 0) -> Tracker {
        Tracker(
            settings: .init(
                writeWait: writeWait, commandTimeout: .seconds(1), waitReplicas: waitReplicas,
                waitTimeout: .milliseconds(200)))
    }

    func write(_ args: [String], durable: Bool = false) -> Tracker.Write {
        let request = RESPRequest(args)
        return Tracker.Write(
            request: request, spec: CommandTable.shared.lookup(request)!, node: Self.old, durable: durable)
    }

    /// The group as the tracker sees it: its primary at `address`, usable or not.
    func group(_ address: NodeAddress = Self.old, usable: Bool = true) -> GroupView {
        GroupView(
            name: "sessions",
            primary: NodeView(
                address: address, configuredPrimary: true, health: usable ? .up : .down, role: .unknown,
                lagBytes: nil, lastError: usable ? nil : "connection refused", usable: usable, readable: usable),
            replicas: [])
    }

    /// Sends `write` to a usable primary, as the session does; returns its attempt.
    func send(
        _ tracker: inout Tracker, _ write: Tracker.Write, _ sequence: UInt32, on connection: Connection? = nil
    ) -> UInt32? {
        guard case .send(let attempt) = tracker.write(write, sequence: sequence, group: group(), now: t0) else {
            return nil
        }
        if let connection { tracker.attach(sequence, to: connection, now: t0) }
        return attempt
    }

    @Test func aWriteWithoutAPrimaryWaitsThenFailsWithTheReason() {
        var tracker = tracker()
        let decision = tracker.write(write(["SET", "k", "v"]), sequence: 1, group: group(usable: false), now: t0)
        guard case .held = decision else {
            Issue.record("\(decision)")
            return
        }
        #expect(tracker.mustWait)
        #expect(tracker.nextCheck(now: t0) == t0 + .milliseconds(50))
        #expect(tracker.retry(group: group(usable: false), connectionReady: false, now: t0 + .seconds(4)).isEmpty)
        let actions = tracker.retry(group: group(usable: false), connectionReady: false, now: t0 + .seconds(5))
        guard case .fail(1, let message) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        #expect(
            message
                == "ERR Porter: no writable primary came in time; the primary of group 'sessions' (127.0.0.1:7000) is down: connection refused"
        )
        #expect(!tracker.mustWait)
        #expect(tracker.takeCounts() == (held: 1, retried: 0))
    }

    @Test func withoutWriteWaitItFailsAtOnce() {
        var tracker = tracker(writeWait: .zero)
        let decision = tracker.write(write(["SET", "k", "v"]), sequence: 1, group: group(usable: false), now: t0)
        guard case .fail(let message) = decision else {
            Issue.record("\(decision)")
            return
        }
        #expect(message.hasPrefix("ERR Porter: the primary of group 'sessions' (127.0.0.1:7000) is down"))
    }

    @Test func aHeldWriteGoesToTheNewPrimaryInOrder() {
        var tracker = tracker()
        for sequence in UInt32(1)...3 {
            _ = tracker.write(
                write(["SET", "k\(sequence)", "v"]), sequence: sequence, group: group(usable: false), now: t0)
        }
        let actions = tracker.retry(group: group(Self.new), connectionReady: true, now: t0 + .seconds(2))
        let sent = actions.compactMap { action -> (UInt32, Tracker.Write)? in
            if case .send(let s, let w) = action { return (s, w) }
            return nil
        }
        #expect(sent.map(\.0) == [1, 2, 3])
        #expect(sent.allSatisfy { $0.1.node == Self.new && $0.1.retried })
        #expect(tracker.takeCounts() == (held: 3, retried: 3))
    }

    @Test func readonlyHoldsUntilTheRefuserWasSeenDown() {
        var tracker = tracker()
        _ = send(&tracker, write(["INCR", "n"]), 1)
        let disposition = tracker.replied(
            1, isError: true, errorCode: "READONLY", reply: ByteBuffer(string: "-READONLY x\r\n"), now: t0)
        #expect(disposition == .heldAfterReadonly(Self.old))
        // The same node, still "usable": it refused the write, so not again until checked.
        #expect(tracker.retry(group: group(), connectionReady: true, now: t0 + .milliseconds(50)).isEmpty)
        // Seen down, then up again: the write goes.
        #expect(
            tracker.retry(group: group(usable: false), connectionReady: false, now: t0 + .milliseconds(100)).isEmpty)
        let actions = tracker.retry(group: group(), connectionReady: true, now: t0 + .milliseconds(150))
        guard case .send(1, _) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        // Sent again on a connection that still leads to the old node (the checks saw the name
        // move first): -READONLY again holds it again, within the first hold's time.
        #expect(
            tracker.replied(1, isError: true, errorCode: "READONLY", reply: ByteBuffer(), now: t0 + .milliseconds(200))
                == .heldAfterReadonly(Self.old))
        _ = tracker.retry(group: group(usable: false), connectionReady: false, now: t0 + .milliseconds(250))
        guard case .send(1, _) = tracker.retry(group: group(), connectionReady: true, now: t0 + .milliseconds(300)).first
        else {
            Issue.record("not sent a third time")
            return
        }
        // Once that time is up, -READONLY is the client's: no endless loop.
        #expect(
            tracker.replied(1, isError: true, errorCode: "READONLY", reply: ByteBuffer(), now: t0 + .seconds(6))
                == .passThrough)
    }

    @Test func aLostConnectionResendsOnlyWhatIsSafe() {
        var tracker = tracker()
        _ = send(&tracker, write(["INCR", "n"]), 1)
        _ = send(&tracker, write(["SETEX", "s", "60", "v"]), 2)
        _ = send(&tracker, write(["INCR", "m"]), 3)
        // INCR may have run: the client gets the error.
        #expect(tracker.failed(1, code: .connectionLost, message: "lost", now: t0).0 == .passThrough)
        // SETEX may run twice: held.
        #expect(tracker.failed(2, code: .connectionLost, message: "lost", now: t0).0 == .held)
        // Unreachable: it never ran, so even INCR is held.
        #expect(tracker.failed(3, code: .unreachable, message: "refused", now: t0).0 == .held)
        // A failure of something not tracked says so.
        #expect(tracker.failed(9, code: .timeout, message: "x", now: t0).node == nil)
    }

    @Test func aHeldWriteWaitsOnlyWithinItsFirstHold() {
        var tracker = tracker()
        _ = tracker.write(write(["SET", "k", "v"]), sequence: 1, group: group(usable: false), now: t0)
        var actions = tracker.retry(group: group(), connectionReady: true, now: t0 + .seconds(4))
        guard case .send(1, _) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        // Lost again after the time its first hold gave: no second wait.
        #expect(tracker.failed(1, code: .unreachable, message: "refused", now: t0 + .seconds(6)).0 == .passThrough)
        // Within it, it may wait again.
        tracker = self.tracker()
        _ = tracker.write(write(["SET", "k", "v"]), sequence: 1, group: group(usable: false), now: t0)
        actions = tracker.retry(group: group(), connectionReady: true, now: t0 + .seconds(1))
        guard case .send(1, _) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        #expect(tracker.failed(1, code: .unreachable, message: "refused", now: t0 + .seconds(2)).0 == .held)
    }

    @Test func durableWritesWaitForTheirReplicas() {
        var tracker = tracker(waitReplicas: 1)
        let connection = Connection()
        let attempt = send(&tracker, write(["SETEX", "s", "60", "v"], durable: true), 1, on: connection)!
        #expect(tracker.mustWait)
        let ok = ByteBuffer(string: "+OK\r\n")
        #expect(tracker.replied(1, isError: false, errorCode: nil, reply: ok, now: t0) == .kept)
        // Too few replicas, time left, same connection: ask again.
        guard case .askAgain = tracker.waitReplied(1, attempt: attempt, acknowledged: 0, what: "0 did", now: t0)
        else {
            Issue.record("no second WAIT")
            return
        }
        #expect(tracker.waitDue(1, attempt: attempt, now: t0).askOn === connection)
        // A stale WAIT (an earlier attempt) is ignored.
        guard case .stale = tracker.waitReplied(1, attempt: attempt &+ 7, acknowledged: 1, what: "", now: t0)
        else {
            Issue.record("a stale WAIT was taken")
            return
        }
        guard
            case .deliver(let reply) = tracker.waitReplied(1, attempt: attempt, acknowledged: 1, what: "", now: t0)
        else {
            Issue.record("not delivered")
            return
        }
        #expect(reply == ok)
        #expect(!tracker.mustWait)
    }

    @Test func anUnconfirmedDurableWriteFailsSayingSo() {
        var tracker = tracker(waitReplicas: 1)
        let attempt = send(&tracker, write(["SETEX", "s", "60", "v"], durable: true), 1, on: Connection())!
        _ = tracker.replied(1, isError: false, errorCode: nil, reply: ByteBuffer(string: "+OK\r\n"), now: t0)
        let late = t0 + .seconds(5)
        guard
            case .fail(let message) = tracker.waitReplied(
                1, attempt: attempt, acknowledged: 0, what: "0 did", now: late)
        else {
            Issue.record("not failed")
            return
        }
        #expect(
            message
                == "ERR Porter: the write ran on the primary but 1 replica(s) did not confirm it within 200ms (0 did); it may not survive a failover"
        )
    }

    @Test func aDurableWriteWhoseConnectionWentIsWrittenAgain() {
        var tracker = tracker(waitReplicas: 1)
        let connection = Connection()
        let attempt = send(&tracker, write(["SETEX", "s", "60", "v"], durable: true), 1, on: connection)!
        _ = tracker.replied(1, isError: false, errorCode: nil, reply: ByteBuffer(string: "+OK\r\n"), now: t0)
        connection.connectionGeneration = 2  // Sentinel closed it; a new TCP connection is up
        guard case .rewrite = tracker.waitReplied(1, attempt: attempt, acknowledged: 0, what: "", now: t0)
        else {
            Issue.record("not written again")
            return
        }
        #expect(tracker.held.count == 1 && tracker.held[0].write.reply == nil)
        // When it is due to ask WAIT again on a gone connection, the same rule applies.
        var other = self.tracker(waitReplicas: 1)
        let c2 = Connection()
        let a2 = send(&other, write(["SETEX", "s", "60", "v"], durable: true), 1, on: c2)!
        _ = other.replied(1, isError: false, errorCode: nil, reply: ByteBuffer(string: "+OK\r\n"), now: t0)
        c2.isReady = false
        let (askOn, confirmation) = other.waitDue(1, attempt: a2, now: t0)
        #expect(askOn == nil)
        guard case .rewrite = confirmation else {
            Issue.record("\(confirmation)")
            return
        }
    }
}
