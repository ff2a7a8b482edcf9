import Commands
import NIOCore
import Testing

@testable import Proxy

/// The transaction rules, called directly: a lease is just a name here.
@Suite("Transactions")
struct TransactionStateTests {
    typealias State = TransactionState<String>

    func name(_ step: State.Step) -> String {
        switch step {
        case .forward(let lease): return "forward on \(lease)"
        case .lease(let multi): return multi ? "lease for MULTI" : "lease for WATCH"
        case .end(let lease, let abort): return abort ? "abort on \(lease)" : "end on \(lease)"
        case .reply: return "reply"
        case .error(let message): return message
        case .forwardPending: return "forward as the pending transaction's first command"
        }
    }

    @Test func multiExecLeasesAndGivesBackAfterTheLastReply() {
        var state = State()
        #expect(name(state.step(.multi, sequence: 1)) == "lease for MULTI")
        state.began("c1", multi: true)
        #expect(state.lease == "c1")
        #expect(name(state.step(.exec, sequence: 3)) == "end on c1")
        #expect(state.isEnding)
        // Replies before EXEC's do not end it; EXEC's does, once.
        #expect(state.replied(2) == nil)
        #expect(state.replied(3) == "c1")
        #expect(state.lease == nil && !state.isEnding)
        #expect(state.replied(3) == nil)
    }

    @Test func watchThenMultiKeepTheSameConnection() {
        var state = State()
        #expect(name(state.step(.watch, sequence: 1)) == "lease for WATCH")
        state.began("c1", multi: false)
        #expect(name(state.step(.watch, sequence: 2)) == "forward on c1")
        #expect(name(state.step(.multi, sequence: 3)) == "forward on c1")
        #expect(name(state.step(.discard, sequence: 4)) == "end on c1")
        #expect(state.replied(4) == "c1")
    }

    @Test func unwatchEndsOnlyAWatch() {
        var state = State()
        #expect(name(state.step(.unwatch, sequence: 1)) == "reply")
        _ = state.step(.watch, sequence: 2)
        state.began("c1", multi: false)
        #expect(name(state.step(.unwatch, sequence: 3)) == "end on c1")
        #expect(state.replied(3) == "c1")
        _ = state.step(.multi, sequence: 4)
        state.began("c2", multi: true)
        // Inside MULTI, UNWATCH is queued by Redis like any command.
        #expect(name(state.step(.unwatch, sequence: 5)) == "forward on c2")
    }

    @Test func aRefusedCommandMakesExecAbort() {
        var state = State()
        _ = state.step(.multi, sequence: 1)
        state.began("c1", multi: true)
        state.reject()
        #expect(name(state.step(.exec, sequence: 3)) == "abort on c1")
        // DISCARD after a refusal is a plain DISCARD.
        var other = State()
        _ = other.step(.multi, sequence: 1)
        other.began("c2", multi: true)
        other.reject()
        #expect(name(other.step(.discard, sequence: 2)) == "end on c2")
    }

    @Test func withoutMultiRedisWordsAndNoLease() {
        var state = State()
        #expect(name(state.step(.exec, sequence: 1)) == "ERR EXEC without MULTI")
        #expect(name(state.step(.discard, sequence: 1)) == "ERR DISCARD without MULTI")
        _ = state.step(.watch, sequence: 2)
        state.began("c1", multi: false)
        #expect(name(state.step(.exec, sequence: 3)) == "ERR EXEC without MULTI")
        #expect(state.lease == "c1")
    }

    @Test func abandonGivesTheLeaseBackFromAnyState() {
        var state = State()
        #expect(state.abandon() == nil)
        _ = state.step(.multi, sequence: 1)
        state.began("c1", multi: true)
        _ = state.step(.exec, sequence: 2)
        #expect(state.abandon() == "c1")
        #expect(state.replied(2) == nil, "an abandoned transaction's last reply releases nothing")
    }
}
