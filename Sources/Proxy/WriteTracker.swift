import Commands
import NIOCore
import RESP
import Topology
import Upstream

/// What the tracker needs of the connection a durable write went on: `WAIT` counts only the
/// writes of its own TCP connection, so it must be asked there, and only while that is the one.
protocol TrackedConnection: AnyObject {
    var isReady: Bool { get }
    var connectionGeneration: Int { get }
}

extension UpstreamConnection: TrackedConnection {}

/// The settings the write tracker follows, taken from the configuration once per reload (not per
/// write: the configuration is a large value).
struct WriteSettings {
    var writeWait: TimeAmount
    var commandTimeout: TimeAmount
    var waitReplicas: Int
    var waitTimeout: TimeAmount

    init(_ configuration: ProxyConfiguration) {
        self.writeWait = configuration.writeWait
        self.commandTimeout = configuration.upstream.commandTimeout
        self.waitReplicas = configuration.waitReplicas
        self.waitTimeout = configuration.waitTimeout
    }

    init(writeWait: TimeAmount, commandTimeout: TimeAmount, waitReplicas: Int, waitTimeout: TimeAmount) {
        self.writeWait = writeWait
        self.commandTimeout = commandTimeout
        self.waitReplicas = waitReplicas
        self.waitTimeout = waitTimeout
    }
}

/// The writes of one client where the primary can change (failover, `-READONLY`) or replicas
/// must confirm them (`wait_replicas`): a pure state machine. Time comes in as `now:`, the
/// group as its `GroupView` snapshot, and every decision goes back to the session, which sends,
/// replies and schedules. So the hold, resend and WAIT rules are unit-tested with injected time.
///
///   write ──▶ primary usable? ── yes ─▶ .send (pending until its reply)
///                 │ no, write_wait left ─▶ held ──(retry: topology change, timer)──▶ .send
///                 └ no ─▶ .fail                         └ deadline passed ─▶ fail
///   reply -READONLY ─▶ held (resent once the node was seen down or replaced; within the first
///                    hold's time, as often as it meets -READONLY)
///   connection lost ─▶ held if it never ran, or is idempotent; else the error
///   durable reply ─▶ kept until WAIT says enough replicas have it (asked again up to write_wait)
struct WriteTracker<Connection: TrackedConnection> {
    typealias Settings = WriteSettings

    /// One write, from its first sending to its reply (and, when durable, its replicas' WAIT).
    struct Write {
        var request: RESPRequest
        var spec: CommandSpec
        var node: NodeAddress
        var durable: Bool
        /// The group (shard) it belongs to: it waits for that group's primary.
        var shard: Int
        /// Sent again after a hold (counted in `retries`; a -READONLY then holds it again while
        /// `holdUntil` lasts).
        var retried = false
        /// Durable writes: the write's own reply, sent once WAIT says the replicas have it.
        var reply: ByteBuffer? = nil
        /// Which sending this is (a stale WAIT reply from an earlier one is ignored).
        var attempt: UInt32 = 0
        /// Durable writes: the connection the write went on, its TCP generation when the reply
        /// came, and until when WAIT is asked again while too few replicas have it.
        var connection: Connection? = nil
        var generation = 0
        var confirmBy: NIODeadline = .uptimeNanoseconds(0)
        /// Set by the first hold: how long this write may wait for a primary, in all.
        var holdUntil: NIODeadline? = nil

        init(request: RESPRequest, spec: CommandSpec, node: NodeAddress, durable: Bool, shard: Int = 0) {
            self.request = request
            self.spec = spec
            self.node = node
            self.durable = durable
            self.shard = shard
        }

        /// Whether it may be held (again): before its first hold, or within the time that gave.
        func mayWaitAgain(_ now: NIODeadline) -> Bool { self.holdUntil.map { now < $0 } ?? true }
    }

    /// A write waiting for the group to have a usable primary again.
    struct Held {
        var write: Write
        var sequence: UInt32
        var deadline: NIODeadline
        /// The node that refused it with -READONLY: not written to again until it was seen down.
        var refusedBy: NodeAddress?
        var refuserSeenDown = false
        var why: String
    }

    enum Decision {
        /// Send it now (it is pending from now on); a durable write is `attach`ed to its
        /// connection before it goes on the wire.
        case send(attempt: UInt32)
        /// Held for a primary; nothing to do until `retry`.
        case held
        /// Reply this error.
        case fail(String)
    }

    /// What the session does with an upstream reply or failure of a tracked write.
    enum Disposition: Equatable {
        /// Not tracked, or done: give the client the reply (or error) as it is.
        case passThrough
        /// Kept (a durable write waiting for WAIT): the client gets nothing yet.
        case kept
        /// Held for another try: the client gets nothing yet.
        case held
        /// Held after `-READONLY`: also ask what the node is now.
        case heldAfterReadonly(NodeAddress)
    }

    /// What WAIT's answer means for a durable write.
    enum Confirmation {
        /// Not this write's current WAIT: ignore it.
        case stale
        case deliver(ByteBuffer)
        /// Too few replicas confirmed in time; `unconfirmed` counts it.
        case fail(String)
        /// Ask WAIT again after this long on the same connection (`waitDue`).
        case askAgain(after: TimeAmount)
        /// The connection went, so WAIT could count nothing of it: the write is held to be sent
        /// again (it is idempotent).
        case rewrite
    }

    /// A retry pass's results, in order.
    enum RetryAction {
        case send(UInt32, Write)
        case fail(UInt32, String)
    }

    var settings: Settings
    private(set) var pending = PendingWrites<Write>()
    // Plain arrays, empty until first used: rarely used, and idle clients pay for every field.
    private(set) var held: [Held] = []
    private(set) var durableInFlight = 0
    private var attempts: UInt32 = 0
    /// Writes held, and held writes sent again, since `takeCounts()` (for the loop's counters).
    private var heldCount = 0
    private var retryCount = 0

    /// How often held writes are looked at again: a connection may come back without any
    /// change of topology (a killed connection, not a dead node).
    static var recheck: TimeAmount { .milliseconds(50) }
    /// The pause before WAIT is asked again.
    static var waitRetryDelay: TimeAmount { .milliseconds(50) }

    init(settings: Settings) {
        self.settings = settings
    }

    /// Later commands must wait: a write is held or a durable write waits for its replicas.
    var mustWait: Bool { !self.held.isEmpty || self.durableInFlight > 0 }

    /// When the hold timer should fire next, if any write is held.
    func nextCheck(now: NIODeadline) -> NIODeadline? {
        self.held.first.map { Swift.min($0.deadline, now + Self.recheck) }
    }

    // MARK: Sending

    /// A write to the group's primary (a held write sent again: its group may have a new one).
    mutating func write(_ write: consuming Write, sequence: UInt32, group: GroupView, now: NIODeadline) -> Decision {
        write.node = group.primary.address
        return self.write(write, sequence: sequence, primaryUsable: group.primary.usable, now: now) {
            Self.primaryDown(group)
        }
    }

    /// A write to its group's primary, `write.node`. The hot path of tracked writes: the write is
    /// moved into `pending`, not copied, and the group is not touched unless its primary is down.
    mutating func write(
        _ write: consuming Write, sequence: UInt32, primaryUsable: Bool, now: NIODeadline, whyDown: () -> String
    ) -> Decision {
        guard primaryUsable else {
            let why = whyDown()
            if self.settings.writeWait > .zero && write.mayWaitAgain(now) {
                self.hold(write, sequence: sequence, refusedBy: nil, wait: self.settings.writeWait, why: why, now: now)
                return .held
            }
            return .fail("ERR Porter: \(why)")
        }
        self.attempts &+= 1
        write.attempt = self.attempts
        self.pending.append(sequence, write)
        return .send(attempt: self.attempts)
    }

    static func primaryDown(_ group: GroupView) -> String {
        let primary = group.primary
        return
            "the primary of group '\(group.name)' (\(primary.address)) is down: \(primary.lastError ?? "failed its health checks")"
    }

    /// A durable write goes on `connection`: WAIT must follow it there, until `write_wait`.
    mutating func attach(_ sequence: UInt32, to connection: Connection, now: NIODeadline) {
        guard let index = self.pending.index(of: sequence), self.pending[at: index].durable else { return }
        self.pending[at: index].connection = connection
        self.pending[at: index].confirmBy = now + self.settings.writeWait
        self.durableInFlight += 1
    }

    /// A cluster redirected the write to `connection` (MOVED, ASK): a durable write's WAIT must
    /// now be asked there. Returns the attempt to send WAIT for, when it is durable.
    mutating func redirected(_ sequence: UInt32, to connection: Connection) -> UInt32? {
        guard let index = self.pending.index(of: sequence), self.pending[at: index].durable,
            self.pending[at: index].connection != nil
        else { return nil }
        self.pending[at: index].connection = connection
        return self.pending[at: index].attempt
    }

    /// The write could not be sent at all (no connection): the client gets the error.
    mutating func forget(_ sequence: UInt32) {
        _ = self.pending.removeValue(forKey: sequence)
    }

    /// Whether `sequence` is still pending in its `attempt` (a send may fail at once).
    func isPending(_ sequence: UInt32, attempt: UInt32) -> Bool {
        self.pending.index(of: sequence).map { self.pending[at: $0].attempt == attempt } ?? false
    }

    private mutating func hold(
        _ write: Write, sequence: UInt32, refusedBy: NodeAddress?, wait: TimeAmount, why: String, now: NIODeadline
    ) {
        self.heldCount += 1
        var write = write
        let deadline = write.holdUntil ?? (now + wait)
        write.holdUntil = deadline
        self.held.append(Held(write: write, sequence: sequence, deadline: deadline, refusedBy: refusedBy, why: why))
    }

    // MARK: Replies

    /// The reply of a write: `-READONLY` holds it for the real primary; a durable write's reply
    /// is kept for WAIT.
    mutating func replied(
        _ sequence: UInt32, isError: Bool, errorCode: Substring?, reply: ByteBuffer, now: NIODeadline
    ) -> Disposition {
        guard let index = self.pending.index(of: sequence) else { return .passThrough }
        if isError, errorCode == "READONLY", self.pending[at: index].mayWaitAgain(now) {
            // Not executed: the node is no primary (any more). Rediscover, then send it once more.
            // A write sent again may meet -READONLY again (the health checks saw the name move
            // before this connection did): it waits again, within the time its first hold gave.
            let write = self.pending[at: index]
            self.pending.remove(at: index)
            if write.durable { self.durableInFlight -= 1 }
            self.hold(
                write, sequence: sequence, refusedBy: write.node,
                wait: Swift.max(self.settings.writeWait, self.settings.commandTimeout),
                why: "\(write.node) refused the write with -READONLY", now: now)
            return .heldAfterReadonly(write.node)
        }
        if self.pending[at: index].durable {
            if !isError {
                self.pending[at: index].reply = reply
                self.pending[at: index].generation = self.pending[at: index].connection?.connectionGeneration ?? 0
                return .kept
            }
            self.durableInFlight -= 1
        }
        self.pending.remove(at: index)
        return .passThrough
    }

    /// A write failed before any reply. A write that never ran (unreachable, overloaded), or
    /// that may run twice, is held for a primary (Sentinel also closes client connections
    /// around a failover).
    mutating func failed(
        _ sequence: UInt32, code: UpstreamError.Code, message: String, now: NIODeadline
    ) -> (Disposition, node: NodeAddress?) {
        guard let write = self.pending.removeValue(forKey: sequence) else { return (.passThrough, nil) }
        if write.durable { self.durableInFlight -= 1 }
        let notExecuted = code == .unreachable || code == .overloaded
        if write.reply == nil && write.mayWaitAgain(now) && (notExecuted || write.spec.isIdempotent(write.request)) {
            let wait =
                notExecuted
                ? self.settings.writeWait : Swift.max(self.settings.writeWait, self.settings.commandTimeout)
            if wait > .zero {
                self.hold(write, sequence: sequence, refusedBy: nil, wait: wait, why: message, now: now)
                return (.held, write.node)
            }
        }
        return (.passThrough, write.node)
    }

    // MARK: WAIT

    /// WAIT answered (`acknowledged`, -1 for none; `what` says what came) for a durable write.
    mutating func waitReplied(
        _ sequence: UInt32, attempt: UInt32, acknowledged: Int64, what: @autoclosure () -> String, now: NIODeadline
    ) -> Confirmation {
        guard let write = self.pending[sequence], write.attempt == attempt, let writeReply = write.reply else {
            return .stale
        }
        let needed = self.settings.waitReplicas
        // A WAIT on another TCP connection than the write's would count nothing of it.
        let sameConnection = write.connection.map { $0.isReady && $0.connectionGeneration == write.generation } ?? false
        let timeLeft = now + Self.waitRetryDelay < write.confirmBy
        if acknowledged < needed, !sameConnection, timeLeft, write.spec.isIdempotent(write.request) {
            // The connection went (Sentinel closes client connections when it promotes or
            // reconfigures a node), and WAIT counts only its own writes: write it again.
            _ = self.pending.removeValue(forKey: sequence)
            self.durableInFlight -= 1
            var again = write
            again.reply = nil
            again.holdUntil = again.holdUntil ?? write.confirmBy
            self.hold(
                again, sequence: sequence, refusedBy: nil, wait: self.settings.writeWait,
                why: "the connection closed before \(needed) replica(s) confirmed the write", now: now)
            return .rewrite
        }
        if acknowledged < needed, sameConnection, timeLeft {
            // Too few replicas now (one is resyncing after a failover): ask again, up to write_wait.
            return .askAgain(after: Self.waitRetryDelay)
        }
        _ = self.pending.removeValue(forKey: sequence)
        self.durableInFlight -= 1
        if acknowledged >= needed { return .deliver(writeReply) }
        let ms = self.settings.waitTimeout.nanoseconds / 1_000_000
        return .fail(
            "ERR Porter: the write ran on the primary but \(needed) replica(s) did not confirm it within \(ms)ms (\(what())); it may not survive a failover"
        )
    }

    /// The time to ask WAIT again has come: the connection to ask it on, or (the connection went)
    /// what that means for the write.
    mutating func waitDue(
        _ sequence: UInt32, attempt: UInt32, now: NIODeadline
    ) -> (askOn: Connection?, confirmation: Confirmation) {
        guard let pending = self.pending[sequence], pending.attempt == attempt else { return (nil, .stale) }
        if let connection = pending.connection, connection.isReady,
            connection.connectionGeneration == pending.generation
        {
            return (connection, .stale)
        }
        return (
            nil,
            self.waitReplied(
                sequence, attempt: attempt, acknowledged: -1, what: "the connection of the write closed before WAIT",
                now: now)
        )
    }

    // MARK: Held writes

    /// The topology changed or a held write's time is up: sends what may go, fails what waited
    /// too long. `groups` are the shards by index (a held write waits for its own shard's
    /// primary; a shard that is gone fails its writes once their time is up);
    /// `connectionReady(shard)`: whether this client's connection to that shard's primary is up
    /// (a held write goes back to the node it failed on only then). Held writes leave in the
    /// order they came, as the client's commands must.
    mutating func retry(groups: [GroupView], connectionReady: (Int) -> Bool, now: NIODeadline) -> [RetryAction] {
        // A node that refused a write with -READONLY is written to again only after it was seen
        // down (checked again) or replaced.
        for i in self.held.indices {
            let shard = self.held[i].write.shard
            guard shard < groups.count else { continue }
            let primary = groups[shard].primary
            if !primary.usable || primary.address != self.held[i].refusedBy { self.held[i].refuserSeenDown = true }
        }
        var actions: [RetryAction] = []
        var ready: [Int: Bool] = [:]
        while let first = self.held.first {
            let shard = first.write.shard
            let group = shard < groups.count ? groups[shard] : nil
            let isReady = { () -> Bool in
                if let known = ready[shard] { return known }
                let value = connectionReady(shard)
                ready[shard] = value
                return value
            }
            if let group, Self.mayRetry(first, on: group.primary, connectionReady: isReady) {
                self.held.removeFirst()
                var write = first.write
                write.retried = true
                self.retryCount += 1
                switch self.write(write, sequence: first.sequence, group: group, now: now) {
                case .send:
                    actions.append(.send(first.sequence, self.pending[first.sequence]!))
                case .fail(let message): actions.append(.fail(first.sequence, message))
                case .held: break
                }
            } else if first.deadline <= now {
                self.held.removeFirst()
                actions.append(.fail(first.sequence, "ERR Porter: no writable primary came in time; \(first.why)"))
            } else {
                break
            }
        }
        return actions
    }

    /// One group (the tests' and an unsharded Porter's case).
    mutating func retry(group: GroupView?, connectionReady: Bool, now: NIODeadline) -> [RetryAction] {
        self.retry(groups: group.map { [$0] } ?? [], connectionReady: { _ in connectionReady }, now: now)
    }

    /// A held write goes to a primary the health checks accept: to another node than the one it
    /// failed on, or to that node once a connection to it is up again (and, after -READONLY,
    /// once it was seen down, i.e. checked again).
    private static func mayRetry(_ held: Held, on primary: NodeView, connectionReady: () -> Bool) -> Bool {
        guard primary.usable else { return false }
        if primary.address != held.write.node { return true }
        guard held.refusedBy == nil || held.refuserSeenDown else { return false }
        return connectionReady()
    }

    /// Writes held and held writes sent again since the last call.
    mutating func takeCounts() -> (held: Int, retried: Int) {
        defer {
            self.heldCount = 0
            self.retryCount = 0
        }
        return (self.heldCount, self.retryCount)
    }

    /// The client went: forget everything.
    mutating func removeAll() {
        self.pending.removeAll()
        self.held.removeAll()
        self.durableInFlight = 0
    }
}
