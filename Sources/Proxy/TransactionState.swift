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
struct TransactionState<Lease> {
    enum Phase {
        case none
        case watching(Lease)
        case multi(Lease, aborted: Bool)
        case ending(Lease)
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
    }

    /// The connection commands go on while a transaction is open.
    var lease: Lease? {
        switch self.phase {
        case .none: return nil
        case .watching(let lease), .multi(let lease, _), .ending(let lease): return lease
        }
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
        self.phase = multi ? .multi(lease, aborted: false) : .watching(lease)
    }

    /// A command Porter refused inside MULTI: EXEC will fail, as a refused command makes it in Redis.
    mutating func reject() {
        if case .multi(let lease, _) = self.phase { self.phase = .multi(lease, aborted: true) }
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
