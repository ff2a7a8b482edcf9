import Commands
import NIOCore
import RESP
import Topology
import Upstream

// Large requests, passed on as they arrive. A request with a bulk argument of
// `limits.stream_bulk_bytes` or more is not gathered in memory: once the arguments before the
// large one are in (the command and its key), it goes on a connection lent to this client alone,
// and every read of the client's bytes is written there as it comes. Other clients' commands keep
// flowing on the shared connection meanwhile (a 512 MiB value gathered and then sent on it held
// them all up behind it in Redis' input), and Porter holds at most one read of it at a time.
//
//   streamStart ──▶ streamable? ── yes ─▶ .forwarding (lent connection) ──last bytes──▶ .awaitingReply
//        │                          └ no (MULTI, a held write, a session key, several keys, …)
//        │                               ─▶ .gathering ──last bytes──▶ handled as a whole request
//        └ the connection fails part way ─▶ the client gets the error ─▶ .discarding until the end
//
// Later commands wait for the streamed request's reply: on another connection they could
// otherwise run before it. The connection goes back to the pool with the reply.

/// A streamed request's state (boxed: rare, and idle clients pay for every stored field).
final class StreamedRequest {
    enum State {
        /// Written to `connection` as its bytes come; its reply fills `sequence`.
        case forwarding
        /// All written; later commands wait for its reply.
        case awaitingReply
        /// Not streamed: its bytes are gathered, then it is handled as any whole request.
        case gathering(ByteBuffer, arguments: Int)
        /// Its connection failed part way (the client has the error): the rest is dropped.
        case discarding
    }

    var state: State
    /// Gathering holds nothing up: commands queued before it (past max_pipeline) run meanwhile,
    /// and none after it can arrive before its last byte.
    var isGathering: Bool {
        if case .gathering = self.state { return true }
        return false
    }
    /// Bytes of it are still to come from the client.
    var isIncomplete: Bool {
        if case .awaitingReply = self.state { return false }
        return true
    }
    let sequence: UInt32
    let connection: UpstreamConnection?
    let pool: NodePool?

    init(state: State, sequence: UInt32 = 0, connection: UpstreamConnection? = nil, pool: NodePool? = nil) {
        self.state = state
        self.sequence = sequence
        self.connection = connection
        self.pool = pool
    }
}

extension ClientSession: UpstreamStreamObserver {
    /// The start of a large request: stream it if it can go straight to one primary, else gather it.
    func streamStarted(_ head: RESPRequest, arguments: Int) {
        guard let (spec, shard) = self.streamTarget(head, arguments: arguments), let pool = self.loop.primaryPool(shard)
        else {
            self.stream = StreamedRequest(state: .gathering(head.bytes, arguments: arguments))
            return
        }
        let connection = pool.leaseDedicated(for: self.profile)
        self.loop.stats.commands &+= 1
        self.loop.stats.streamedRequests &+= 1
        self.currentCommand = UInt16(truncatingIfNeeded: spec.id)
        let sequence = self.allocateSlot()
        self.stream = StreamedRequest(state: .forwarding, sequence: sequence, connection: connection, pool: pool)
        connection.streamObserver = self
        self.writeStreamed(head.bytes, to: connection)
    }

    /// The next bytes of the streamed request.
    func streamBytes(_ bytes: ByteBuffer, last: Bool) {
        guard let stream = self.stream else { return }
        switch stream.state {
        case .forwarding:
            guard let connection = stream.connection else { return }
            self.writeStreamed(bytes, to: connection)
            if last, case .forwarding = stream.state {
                stream.state = .awaitingReply
                connection.finishStream(receiver: self, sequence: stream.sequence)
            }
        case .gathering(var gathered, let arguments):
            // Taken out of the state first, so the buffer is not shared while it grows: appending
            // to a copy would copy everything gathered so far, once per read.
            stream.state = .discarding
            var bytes = bytes
            gathered.writeBuffer(&bytes)
            if last {
                self.stream = nil
                self.handle(RESPRequest(bytes: gathered, count: arguments))
            } else {
                stream.state = .gathering(gathered, arguments: arguments)
            }
        case .discarding:
            if last {
                self.stream = nil
                self.replayQueued()
            }
        case .awaitingReply:
            break
        }
    }

    private func writeStreamed(_ bytes: ByteBuffer, to connection: UpstreamConnection) {
        guard connection.writeStreamBytes(bytes) else {
            return self.upstreamStreamFailed(
                UpstreamError(.unreachable, "\(connection.address) is unreachable"))
        }
        // The node reads slower than the client sends: stop reading the client until it catches
        // up (unless the write just failed: the rest is then read and dropped).
        if case .forwarding = self.stream?.state, !connection.acceptsStreamBytes { self.readPaused = true }
    }

    /// Where a large request can go as it arrives: a write whose keys are all among the
    /// arguments already in, to a shard whose primary is up, with nothing that needs the whole
    /// request first (a transaction, a held or durable write, a session a migration handles).
    func streamTarget(_ head: RESPRequest, arguments: Int) -> (CommandSpec, Int)? {
        guard let user = self.client.user, user.check(self.table.lookup(head) ?? CommandTable.shared.all[0], head) == nil,
            !self.mustWait, self.queued.isEmpty, self.transaction.lease == nil,
            !self.transaction.isMultiPending, let spec = self.table.lookup(head), case .forward = spec.route,
            spec.acceptsArgumentCount(arguments), spec.isWrite, !spec.flags.contains(.movablekeys)
        else { return nil }
        let (first, last, step) = spec.legacyKeys
        guard first >= 1, first == last || (last > 0 && step > 0), last < head.count,
            let key = head.argumentRange(first)
        else { return nil }
        if self.loop.configuration.waitReplicas > 0 && self.isDurable(head, spec) { return nil }
        if let migration = self.loop.migration {
            let isSession = head.bytes.withUnsafeReadableBytes { bytes in
                let name = UnsafeRawBufferPointer(rebasing: bytes[key.offset..<(key.offset + key.length)])
                return migration.settings.patterns.contains { $0.id(in: name) != nil }
            }
            if isSession { return nil }
        }
        var shard = 0
        if self.loop.router.isSharded {
            guard case .one(let one) = self.loop.router.placement(head, spec: spec) else { return nil }
            shard = one
        }
        let groups = self.loop.topology.groups
        guard shard < groups.count, groups[shard].primary.usable else { return nil }
        return (spec, shard)
    }

    /// The streamed request's reply (or failure) came: its connection goes back to the pool, and
    /// the commands that waited behind it run once the reply is written. False when `sequence`
    /// is not the streamed request's.
    func endStream(sequence: UInt32, connectionReusable: Bool) -> Bool {
        guard let stream = self.stream, case .awaitingReply = stream.state, stream.sequence == sequence else {
            return false
        }
        self.stream = nil
        if let connection = stream.connection, let pool = stream.pool {
            connection.streamObserver = nil
            pool.release(connection, reusable: connectionReusable)
        }
        self.replayWhenInOrder = !self.queued.isEmpty
        return true
    }

    /// What the client gets for the streamed request's reply. A cluster that moved the key's slot
    /// while the value was on its way redirects it, but the value is not kept to be sent again:
    /// the client is told to send it again.
    func streamedReply(_ reply: RESPToken) -> ByteBuffer {
        guard let redirect = ClusterRedirect(reply), redirect != .tryAgain else { return reply.base }
        if case .moved(let slot, let node) = redirect { self.loop.clusterMoved(slot: slot, to: node) }
        return Self.streamMoved
    }

    static let streamMoved = ByteBuffer(
        string: "-TRYAGAIN Porter: the key's slot moved while its large value was on its way; send it again\r\n")

    func upstreamStreamWritable() {
        guard let stream = self.stream, case .forwarding = stream.state else { return }
        self.resumeReadingIfPossible()
    }

    /// The connection failed part way: the client gets the error now; the rest of the request is
    /// read and dropped.
    func upstreamStreamFailed(_ error: UpstreamError) {
        guard let stream = self.stream, case .forwarding = stream.state else { return }
        stream.state = .discarding
        if let connection = stream.connection, let pool = stream.pool {
            connection.streamObserver = nil
            pool.release(connection, reusable: false)
        }
        self.loop.stats.upstreamErrors &+= 1
        self.replyErrorTo(
            stream.sequence, "ERR Porter: \(error.message) while a large request was being sent; it was not run")
        self.resumeReadingIfPossible()
        self.flushOutbound()
    }

    /// The client went with a request part way or awaiting its reply: its connection is closed.
    func abandonStream() {
        guard let stream = self.stream else { return }
        self.stream = nil
        if let connection = stream.connection, let pool = stream.pool {
            connection.streamObserver = nil
            switch stream.state {
            case .forwarding, .awaitingReply: pool.release(connection, reusable: false)
            case .gathering, .discarding: break
            }
        }
    }

    /// Whether a streamed request lets the client be read: not while its node is behind.
    var streamAllowsReading: Bool {
        guard let stream = self.stream, case .forwarding = stream.state, let connection = stream.connection else {
            return true
        }
        return connection.acceptsStreamBytes
    }
}
