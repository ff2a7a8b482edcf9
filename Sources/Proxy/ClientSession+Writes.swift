import Commands
import NIOCore
import RESP
import Topology
import Upstream

// The session's side of tracked writes: it carries out what `WriteTracker` decides (send, hold,
// resend, WAIT, reply) and replays the commands that waited behind a held or durable write.

extension ClientSession {
    /// A write to its shard's primary (`write.node`, which the caller took from the topology).
    func sendWrite(_ write: consuming Tracker.Write, sequence: UInt32) {
        self.tracker.settings = self.loop.writeSettings
        let (request, durable, shard, node) = (write.request, write.durable, write.shard, write.node)
        let groups = self.loop.topology.groups
        let decision = self.tracker.write(
            write, sequence: sequence, primaryUsable: groups[shard].primary.usable, now: .now()
        ) { Tracker.primaryDown(groups[shard]) }
        switch decision {
        case .send(let attempt):
            self.transmit(request, durable: durable, node: node, shard: shard, attempt: attempt, sequence: sequence)
        case .held:
            self.afterTracker()
        case .fail(let message):
            self.loop.stats.upstreamErrors &+= 1
            self.replyErrorTo(sequence, message)
        }
    }

    /// Puts a tracked write on the wire: a durable one on a connection of its own, then WAIT.
    func transmit(
        _ request: RESPRequest, durable: Bool, node: NodeAddress, shard: Int, attempt: UInt32, sequence: UInt32
    ) {
        let connection: UpstreamConnection
        if durable {
            var profile = self.profile
            profile.purpose = .durableWrites
            connection = self.loop.pool(for: node).connection(for: profile, hint: self.id)
            self.tracker.attach(sequence, to: connection, now: .now())
        } else if let shared = self.primaryConnection(shard) {
            connection = shared
        } else {
            self.tracker.forget(sequence)
            return self.reply(sequence, Replies.noUpstream)
        }
        connection.send(request, receiver: self, sequence: sequence)
        if durable, self.tracker.isPending(sequence, attempt: attempt) {
            connection.send(
                self.loop.waitRequest, receiver: WaitReplyReceiver(session: self, attempt: attempt), sequence: sequence)
        }
    }

    /// After the tracker changed: counters, the hold timer, the loop's list of holding sessions,
    /// and the commands that waited behind what is now done.
    func afterTracker() {
        let (held, retried) = self.tracker.takeCounts()
        self.loop.stats.heldWrites &+= held
        self.loop.stats.retries &+= retried
        if self.tracker.held.isEmpty {
            if self.registeredHolding {
                self.holdTimer?.cancel()
                self.holdTimer = nil
                self.loop.holding(self, false)
                self.registeredHolding = false
            }
        } else {
            if !self.registeredHolding {
                self.loop.holding(self, true)
                self.registeredHolding = true
            }
            if self.holdTimer == nil { self.armHoldTimer() }
        }
        if !self.mustWait && self.queuedHead < self.queued.count { self.replayQueued() }
    }

    func armHoldTimer() {
        guard let at = self.tracker.nextCheck(now: .now()) else { return }
        self.holdTimer = self.loop.eventLoop.assumeIsolated().scheduleTask(deadline: at) { [weak self] in
            self?.holdTimer = nil
            self?.retryHeld()
        }
    }

    /// Called when the topology changes and when a held write's time is up.
    func retryHeld() {
        guard !self.closed else { return }
        self.tracker.settings = self.loop.writeSettings
        let groups = self.loop.topology.groups
        let ready = { (shard: Int) -> Bool in
            let primary = groups[shard].primary
            guard primary.usable else { return false }
            let connection = self.loop.pool(for: primary.address).connection(for: self.profile, hint: self.id)
            // A connection nothing has sent on yet (a database or user no client used before
            // the primary went down) would stay idle: connect it, and the next check finds it up.
            if !connection.isReady { connection.connectIfIdle() }
            return connection.isReady
        }
        for action in self.tracker.retry(groups: groups, connectionReady: ready, now: .now()) {
            switch action {
            case .send(let sequence, let write):
                self.transmit(
                    write.request, durable: write.durable, node: write.node, shard: write.shard,
                    attempt: write.attempt, sequence: sequence)
            case .fail(let sequence, let message):
                self.loop.stats.upstreamErrors &+= 1
                self.replyErrorTo(sequence, message)
            }
        }
        self.afterTracker()
        self.flushOutbound()
    }

    /// Runs the commands that waited behind a held or durable write, in order.
    func replayQueued() {
        guard !self.replaying else { return }
        self.replaying = true
        defer { self.replaying = false }
        let maxPipeline = self.loop.configuration.maxPipeline
        while !self.mustWait, self.inFlight < maxPipeline, self.queuedHead < self.queued.count {
            let request = self.queued[self.queuedHead]
            self.queuedHead += 1
            self.handle(request)
        }
        if self.queuedHead == self.queued.count {
            self.queued.removeAll()
            self.queuedHead = 0
        }
        if self.queued.isEmpty && self.inFlight < self.loop.configuration.maxPipeline {
            self.resumeReadingIfPossible()
        }
    }

    /// The reply to a tracked write. Returns true when Porter took it over (held, or waiting for
    /// WAIT) and the client gets nothing yet.
    func writeReplied(_ reply: RESPToken, sequence: UInt32) -> Bool {
        let isError = reply.isError
        switch self.tracker.replied(
            sequence, isError: isError, errorCode: isError ? reply.errorCode : nil, reply: reply.base, now: .now())
        {
        case .passThrough:
            return false
        case .kept, .held:
            self.afterTracker()
            return true
        case .heldAfterReadonly(let node):
            self.loop.primaryRefusedWrite(node)
            self.afterTracker()
            return true
        }
    }

    /// A tracked write failed before any reply. Returns true when it was held for another try.
    func writeFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
        let (disposition, node) = self.tracker.failed(sequence, code: error.code, message: error.message, now: .now())
        guard let node else { return false }
        self.loop.healthChecker?.reportTrafficFailure(node, reason: error.message)
        self.afterTracker()
        return disposition == .held
    }

    /// WAIT answered for a durable write: the client gets the write's reply if enough replicas
    /// have it, and an error saying so if not.
    func waitReplied(_ reply: RESPToken?, error: UpstreamError?, sequence: UInt32, attempt: UInt32) -> Bool {
        let confirmation = self.tracker.waitReplied(
            sequence, attempt: attempt, acknowledged: reply?.integer ?? -1,
            what: reply.flatMap { $0.integer.map { "\($0) did" } ?? $0.string } ?? error?.message ?? "no answer",
            now: .now())
        return self.confirm(confirmation, sequence: sequence, attempt: attempt)
    }

    func confirm(_ confirmation: Tracker.Confirmation, sequence: UInt32, attempt: UInt32) -> Bool {
        switch confirmation {
        case .stale:
            return false
        case .rewrite:
            self.afterTracker()
            return false
        case .askAgain(let delay):
            self.loop.eventLoop.assumeIsolated().scheduleTask(in: delay) { [weak self] in
                guard let self else { return }
                let (connection, confirmation) = self.tracker.waitDue(sequence, attempt: attempt, now: .now())
                if let connection {
                    connection.send(
                        self.loop.waitRequest, receiver: WaitReplyReceiver(session: self, attempt: attempt),
                        sequence: sequence)
                } else {
                    _ = self.confirm(confirmation, sequence: sequence, attempt: attempt)
                    self.flushOutbound()
                }
            }
            return false
        case .deliver(let reply):
            self.reply(sequence, reply)
            self.afterTracker()
            return self.wantsBatchComplete()
        case .fail(let message):
            self.loop.stats.unconfirmedWrites &+= 1
            self.replyErrorTo(sequence, message)
            self.afterTracker()
            return self.wantsBatchComplete()
        }
    }
}

/// Takes the reply to the WAIT sent after a durable write (one per sending, so a stale reply from
/// an earlier try is told apart).
final class WaitReplyReceiver: UpstreamReplyReceiver {
    /// Weak: the client may be gone before its WAIT returns.
    weak var session: ClientSession?
    let attempt: UInt32

    init(session: ClientSession, attempt: UInt32) {
        self.session = session
        self.attempt = attempt
    }

    func upstreamReply(_ reply: RESPToken, sequence: UInt32) -> Bool {
        self.session?.waitReplied(reply, error: nil, sequence: sequence, attempt: self.attempt) ?? false
    }

    func upstreamFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
        self.session?.waitReplied(nil, error: error, sequence: sequence, attempt: self.attempt) ?? false
    }

    func upstreamBatchComplete() { self.session?.upstreamBatchComplete() }
}
