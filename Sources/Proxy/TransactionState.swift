import Commands
import NIOCore

/// MULTI, EXEC, DISCARD, WATCH and UNWATCH as a pure state machine: which connection each
/// command of a transaction goes on, and when the dedicated connection (`Lease`) goes back.
/// The session leases and releases connections and sends; this decides.
///
///   none ──WATCH/MULTI: lease──▶ watching ──MULTI──▶ multi ──EXEC/DISCARD──▶ ending ──reply──▶ none
///     ▲                            └──UNWATCH──────────────────────────────▶ ending ──reply──┘
///   (a connection that fails abandons it from any state)
///
/// While `ending`, the commands behind wait (the session queues them): on a shared connection
/// they could overtake the EXEC on the dedicated one.
///
/// With several shards, MULTI cannot lease yet (the shard is not known): it is answered at once
/// and the transaction is `multiPending` until its first command, whose shard it binds to
/// (the session leases there and sends MULTI first). EXEC or DISCARD before any command are
/// answered by Porter, as Redis would answer them.
struct TransactionState<Lease> {
    enum Phase {
        case none
        case watching(Lease)
        case multi(Lease, aborted: Bool)
        case ending(Lease)
        case multiPending(aborted: Bool)
    }

    private(set) var phase: Phase = .none
    /// The sequence whose reply ends the transaction.
    private(set) var releaseAfter: UInt32? = nil

    enum Step {
        /// Send the command on the transaction's connection.
        case forward(Lease)
        /// No connection yet: lease one, `began(_:multi:)`, then send the command on it.
        case lease(multi: Bool)
        /// Send the command (or, when `abort`, a DISCARD whose reply becomes EXECABORT) on the
        /// connection; its reply ends the transaction.
        case end(Lease, abort: Bool)
        case reply(ByteBuffer)
        case error(String)
        /// A pending transaction's first command (UNWATCH): send it as a command of it.
        case forwardPending
    }

    /// The connection commands go on while a transaction is open.
    var lease: Lease? {
        switch self.phase {
        case .none, .multiPending: return nil
        case .watching(let lease), .multi(let lease, _), .ending(let lease): return lease
        }
    }

    var isMultiPending: Bool {
        if case .multiPending = self.phase { return true }
        return false
    }

    /// MULTI answered without a connection yet (several shards): see the type's comment.
    mutating func deferMulti() {
        self.phase = .multiPending(aborted: false)
    }

    var isEnding: Bool {
        if case .ending = self.phase { return true }
        return false
    }

    /// What to do with a transaction command whose reply will have `sequence`.
    mutating func step(_ command: LocalCommand, sequence: UInt32) -> Step {
        switch (command, self.phase) {
        case (.multi, .none):
            return .lease(multi: true)
        case (.multi, .watching(let lease)):
            self.phase = .multi(lease, aborted: false)
            return .forward(lease)
        case (.multi, .multi(let lease, _)), (.multi, .ending(let lease)):
            // Redis answers "MULTI calls can not be nested" and keeps the transaction.
            return .forward(lease)
        case (.exec, .multi(let lease, let aborted)), (.discard, .multi(let lease, let aborted)):
            self.phase = .ending(lease)
            self.releaseAfter = sequence
            return .end(lease, abort: aborted && command == .exec)
        case (.multi, .multiPending):
            return .error("ERR MULTI calls can not be nested")
        case (.exec, .multiPending(let aborted)):
            self.phase = .none
            return .reply(aborted ? Replies.execAbort : Replies.emptyArray)
        case (.discard, .multiPending):
            self.phase = .none
            return .reply(Replies.ok)
        case (.watch, .multiPending):
            return .error("ERR WATCH inside MULTI is not allowed")
        case (.unwatch, .multiPending):
            return .forwardPending
        case (.exec, _):
            return .error("ERR EXEC without MULTI")
        case (.discard, _):
            return .error("ERR DISCARD without MULTI")
        case (.watch, .none):
            return .lease(multi: false)
        case (.watch, .watching(let lease)), (.watch, .multi(let lease, _)), (.watch, .ending(let lease)):
            // Inside MULTI Redis answers "WATCH inside MULTI is not allowed".
            return .forward(lease)
        case (.unwatch, .watching(let lease)):
            self.phase = .ending(lease)
            self.releaseAfter = sequence
            return .end(lease, abort: false)
        case (.unwatch, .multi(let lease, _)), (.unwatch, .ending(let lease)):
            return .forward(lease)
        case (.unwatch, .none):
            return .reply(Replies.ok)
        default:
            preconditionFailure("\(command) is not a transaction command")
        }
    }

    /// The connection leased for `step`'s `.lease`.
    mutating func began(_ lease: Lease, multi: Bool) {
        if case .multiPending(let aborted) = self.phase {
            self.phase = .multi(lease, aborted: aborted)
            return
        }
        self.phase = multi ? .multi(lease, aborted: false) : .watching(lease)
    }

    /// A command Porter refused inside MULTI: EXEC will fail, as a refused command makes it in Redis.
    mutating func reject() {
        switch self.phase {
        case .multi(let lease, _): self.phase = .multi(lease, aborted: true)
        case .multiPending: self.phase = .multiPending(aborted: true)
        default: break
        }
    }

    /// The reply of `sequence` is out: the lease to give back when it ended the transaction.
    @inline(__always)
    mutating func replied(_ sequence: UInt32) -> Lease? {
        guard let end = self.releaseAfter, end == sequence else { return nil }
        return self.abandon()
    }

    /// The transaction is over whatever state it was in (its connection failed, RESET, the
    /// client went): the lease to give back, if any.
    mutating func abandon() -> Lease? {
        let lease = self.lease
        self.phase = .none
        self.releaseAfter = nil
        return lease
    }
}
