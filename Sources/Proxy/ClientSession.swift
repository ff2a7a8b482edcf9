import Commands
import Logging
import NIOCore
import RESP
import Topology
import Upstream

/// One client connection: decodes its commands, routes them, and writes replies back in the order
/// the commands came, whatever order upstreams answer in.
///
/// Every command takes a sequence number and a slot; a reply fills its slot, and the run of
/// filled slots at the head is written out. With one upstream connection replies come in order,
/// so the common case writes each reply as it arrives and stores nothing.
final class ClientSession: ChannelDuplexHandler, UpstreamReplyReceiver {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The loop's pools, topology and configuration: a reload changes what the loop holds, and
    /// every session reads it from there, so no client is dropped to apply it.
    let loop: LoopUpstreams
    let table: CommandTable
    let id: Int
    let processor: NIOSingleStepByteToMessageProcessor<RESPRequestDecoder>
    /// Set while the handler is in a pipeline; cleared on removal, since the context holds the
    /// handler and the pair would otherwise keep each other (and the channel) alive.
    var context: ChannelHandlerContext?

    /// Connection state, as Redis keeps it per client (local commands change it).
    var client: ClientState {
        didSet {
            if oldValue.profile != self.client.profile { self.shared.removeAll() }
        }
    }
    var profile: ConnectionProfile { self.client.profile }
    /// This client's shared connection to each shard's primary, by shard (filled on first use).
    var shared: [UpstreamConnection?] = []
    var sharedGeneration = 0

    /// In-order replies.
    var replies = ReplySlots()
    /// The command being handled (its table id, `LoopMetrics.unknownCommand` when none), and
    /// when its bytes were read.
    var currentCommand = UInt16(LoopMetrics.unknownCommand)
    var readAt: UInt64 = 0

    // Output batching.
    var outbound: ByteBuffer
    var needsFlush = false
    var batchRegistered = false

    // Flow control.
    var readPaused = false
    var readPending = false
    var closeAfterReplies = false
    var draining = false
    /// Set in a takeover: where the connection goes once drained (`+Handoff`).
    var handoff: Handoff?
    var encrypted = false
    var closed = false

    /// A connection lent to this client from WATCH/MULTI to EXEC/DISCARD/UNWATCH.
    struct Dedicated {
        let connection: UpstreamConnection
        let pool: NodePool
        /// The shard the transaction is bound to: its commands' keys must all live there.
        let shard: Int
    }
    /// Transactions: the rules are in `TransactionState`.
    var transaction = TransactionState<Dedicated>()
    /// Cluster mode: commands in flight, for redirects (`+Cluster`).
    var inCluster: [UInt32: ClusterAttempt] = [:]
    /// Session commands a migration is carrying out (`+Migration`); later commands wait for them.
    var migrating: [UInt32: MigratingCommand] = [:]
    /// A large request passed on as it arrives (`+Stream`); later commands wait for its reply.
    var stream: StreamedRequest?
    /// Users (`+Access`): the client's user's reload generation, failed AUTHs in a row, the
    /// timer of a failed AUTH's slowed answer.
    var accessGeneration = 0
    var authFailuresInRow = 0
    var authTimer: Scheduled<Void>?
    /// Requests not yet whole (`+Budget`): bytes held and charged to the loop, since when, and
    /// the timer that ends one that takes too long.
    var heldRequestBytes = 0
    var partialSince: UInt64 = 0
    var requestTimer: Scheduled<Void>?

    /// Called once when the session ends (the server's client count).
    let onClose: () -> Void

    init(loop: LoopUpstreams, id: Int, handedOff: HandedOffClient? = nil, onClose: @escaping () -> Void) {
        let configuration = loop.configuration
        self.onClose = onClose
        self.loop = loop
        self.table = CommandTable.shared
        self.id = id
        self.processor = NIOSingleStepByteToMessageProcessor(RESPRequestDecoder(limits: configuration.limits))
        self.client = handedOff.map { $0.state(configuration.access) } ?? ClientState(access: configuration.access, database: configuration.defaultDatabase)
        self.accessGeneration = loop.accessGeneration
        self.tracker = Tracker(settings: loop.writeSettings)
        self.outbound = ByteBuffer()  // shared and empty: allocated on the first reply
    }

    var inFlight: Int { self.replies.inFlight }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.loop.register(self)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.sessionClosed()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.sessionClosed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.closeAfterReplies && !self.closed else { return }
        let buffer = self.unwrapInboundIn(data)
        self.loop.stats.bytesIn &+= buffer.readableBytes
        self.readAt = self.loop.now()
        do {
            try self.processor.process(buffer: buffer) { part in
                guard !self.closeAfterReplies else { return }
                switch part {
                case .request(let request): self.handle(request)
                case .streamStart(let head, let arguments): self.streamStarted(head, arguments: arguments)
                case .streamBytes(let bytes, let last): self.streamBytes(bytes, last: last)
                }
            }
        } catch let error as RESPError {
            self.loop.stats.protocolErrors &+= 1
            self.protocolError(error.message)
        } catch {
            self.loop.stats.protocolErrors &+= 1
            self.protocolError("Protocol error: \(error)")
        }
        if !self.closeAfterReplies { self.accountHeldRequestBytes() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.flushOutbound()
        if self.inFlight >= self.loop.configuration.maxPipeline {
            self.readPaused = true
        }
    }

    func read(context: ChannelHandlerContext) {
        if self.readPaused || (self.draining && !self.midRequest) {
            self.readPending = true
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // A client that does not read its replies stops being read from: its output is bounded.
        if context.channel.isWritable {
            self.resumeReadingIfPossible()
        } else {
            self.readPaused = true
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? IdleStateHandler.IdleStateEvent, event == .all, self.inFlight == 0 {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func protocolError(_ message: String) {
        // As Redis does: say what was wrong, then close.
        var reply = ByteBuffer()
        reply.writeRESPError("ERR " + message)
        self.closeAfterReplies = true
        self.reply(self.allocateSlot(), reply)
        self.flushOutbound()
    }

    func sessionClosed() {
        guard !self.closed else { return }
        self.closed = true
        self.onClose()
        self.endTransaction(reusable: false)
        self.holdTimer?.cancel()
        self.holdTimer = nil
        self.authTimer?.cancel()
        self.authTimer = nil
        self.releaseHeldRequestBytes()
        self.tracker.removeAll()
        self.abandonStream()
        self.inCluster.removeAll()
        self.migrating.removeAll()
        self.queued.removeAll()
        self.queuedHead = 0
        self.loop.holding(self, false)
        self.loop.unregister(self)
    }

    // MARK: Routing

    func handle(_ request: RESPRequest) {
        if self.mustWait || self.inFlight >= self.loop.configuration.maxPipeline
            || (!self.replaying && !self.queued.isEmpty)
        {
            // A write waits (primary, replicas) or max_pipeline are in flight: later ones wait here.
            self.queued.append(request)
            self.readPaused = true
            return
        }
        self.loop.stats.commands &+= 1
        self.currentCommand = UInt16(LoopMetrics.unknownCommand)
        guard let spec = self.table.lookup(request) else {
            self.rejectInTransaction()
            return self.replyError(bytes: self.unknownCommandMessage(request))
        }
        self.currentCommand = UInt16(truncatingIfNeeded: spec.id)
        guard spec.acceptsArgumentCount(request.count) else {
            self.rejectInTransaction()
            let name = spec.parentName != nil ? spec.name : (request.string(0)?.lowercased() ?? spec.name)
            return self.replyError("ERR wrong number of arguments for '\(name)' command")
        }
        if self.accessGeneration != self.loop.accessGeneration { self.followReloadedUsers() }
        if let user = self.client.user {
            // A command Porter never runs says so, whoever asks.
            if let denial = user.check(spec, request), !spec.isRefusedByPorter {
                return self.refuse(spec, denial, user: user)
            }
        } else {
            switch spec.route {
            case .local(.auth), .local(.hello), .local(.quit), .local(.reset):
                break
            default:
                return self.replyStatic(Replies.noAuth)
            }
        }
        switch spec.route {
        case .forward:
            if let migration = self.loop.migration, self.migrate(request, spec: spec, migration) { return }
            self.forward(request, spec: spec)
        case .forwardUnlessBlockOption:
            if CommandSpec.findKeyword("BLOCK", in: request, startFrom: 1) != nil {
                self.rejectInTransaction()
                return self.replyError(
                    "ERR Porter does not support '\(spec.name)' with BLOCK: blocking commands would hold a shared upstream connection"
                )
            }
            self.forward(request)
        case .unsupported(let reason):
            self.rejectInTransaction()
            self.replyError("ERR Porter does not support '\(spec.fullName)': \(reason)")
        case .local(let command):
            self.handleLocal(command, spec: spec, request: request)
        case .control:
            self.sendControl(request, spec: spec)
        }
    }

    /// Redis' words, with the client's bytes as they came: the name up to 128 bytes, then
    /// arguments quoted until 128 bytes of them are shown.
    func unknownCommandMessage(_ request: RESPRequest) -> [UInt8] {
        var line = Array("ERR unknown command '".utf8)
        line += LocalCommands.bytes(request.argument(0), max: 128)
        line += Array("', with args beginning with: ".utf8)
        var args: [UInt8] = []
        var i = 1
        while i < request.count && args.count < 128 {
            args +=
                [UInt8(ascii: "'")] + LocalCommands.bytes(request.argument(i), max: 128 - args.count) + Array("' ".utf8)
            i += 1
        }
        return line + args
    }

    func forward(_ request: RESPRequest, spec: CommandSpec? = nil) {
        var shard = 0
        if self.loop.router.isSharded {
            // Split, fanned out, refused, or bound to a transaction's shard: `+Shards`.
            guard let routed = self.routeSharded(request, spec: spec) else { return }
            shard = routed
        }
        self.forward(request, spec: spec, shard: shard, sequence: self.allocateSlot())
    }

    /// Sends a routed command (its shard known, its reply slot taken) to where it goes: the
    /// transaction's connection, a replica or the primary for a read, the write tracker for a
    /// write that may need holding.
    func forward(_ request: RESPRequest, spec: CommandSpec?, shard: Int, sequence: UInt32) {
        guard let dedicated = self.transaction.lease else {
            if self.loop.router.isCluster { self.inCluster[sequence] = ClusterAttempt(request: request) }
            let groups = self.loop.topology.groups
            guard shard < groups.count else { return self.reply(sequence, Replies.noUpstream) }
            if let spec, self.loop.hasReplicas {
                if spec.isReadOnly {
                    return self.sendRead(
                        request, to: self.readTarget(request, spec: spec, group: groups[shard], shard: shard),
                        shard: shard, sequence: sequence, retried: false)
                }
                if spec.mayWrite { self.noteWrites(request, spec: spec) }
            }
            if let spec, spec.mayWrite, self.loop.tracksWrites {
                return self.sendWrite(
                    Tracker.Write(
                        request: request, spec: spec, node: groups[shard].primary.address,
                        durable: self.isDurable(request, spec), shard: shard),
                    sequence: sequence)
            }
            guard let connection = self.primaryConnection(shard) else {
                return self.reply(sequence, Replies.noUpstream)
            }
            return connection.send(request, receiver: self, sequence: sequence)
        }
        dedicated.connection.send(request, receiver: self, sequence: sequence)
    }

    // MARK: Reads and replicas

    /// A read in flight, kept so it can be retried elsewhere (failure, LOADING, or a replica's nil).
    struct PendingRead {
        var request: RESPRequest
        var node: NodeAddress
        var shard: Int
        var retried: Bool
    }
    var pendingReads: [UInt32: PendingRead] = [:]

    func sendRead(_ request: RESPRequest, to node: NodeAddress, shard: Int, sequence: UInt32, retried: Bool) {
        let pool = self.loop.pool(for: node)
        self.pendingReads[sequence] = PendingRead(request: request, node: node, shard: shard, retried: retried)
        pool.connection(for: self.profile, hint: self.id).send(request, receiver: self, sequence: sequence)
    }

    // MARK: Writes: failover, -READONLY, durable writes

    typealias Tracker = WriteTracker<UpstreamConnection>
    /// Writes where the primary can change or replicas must confirm them: the rules are in
    /// `WriteTracker`; the session sends, replies and schedules what it decides.
    var tracker: Tracker
    var holdTimer: Scheduled<Void>?
    /// Commands that came after a held or durable write, replayed in order once it is done.
    var queued: [RESPRequest] = []
    var queuedHead = 0
    var replaying = false
    /// Whether the loop tells this session of topology changes (it has held writes).
    var registeredHolding = false

    /// Later commands must wait: a write is held, a durable write waits for its replicas, or a
    /// transaction's last reply is not in yet.
    var mustWait: Bool {
        if self.tracker.mustWait { return true }
        if self.transaction.isEnding { return true }
        if !self.migrating.isEmpty { return true }
        if let stream = self.stream, !stream.isGathering { return true }
        if self.authTimer != nil { return true }
        return false
    }

    /// Durable: a write to a key with one of `wait_prefixes` (any key when there are none), but
    /// not a lock key: a lock lost in a failover costs a retry, not a session.
    func isDurable(_ request: RESPRequest, _ spec: CommandSpec) -> Bool {
        guard self.loop.configuration.waitReplicas > 0 else { return false }
        guard let key = self.firstKey(request, spec: spec) else { return self.loop.configuration.waitPrefixes.isEmpty }
        return request.bytes.withUnsafeReadableBytes { bytes in
            if Self.hasLockSuffix(bytes, key) { return false }
            if self.loop.configuration.waitPrefixes.isEmpty { return true }
            return self.loop.configuration.waitPrefixes.contains { prefix in
                key.length >= prefix.count && prefix.indices.allSatisfy { bytes[key.offset + $0] == prefix[$0] }
            }
        }
    }

    static func hasLockSuffix(_ bytes: UnsafeRawBufferPointer, _ key: (offset: Int, length: Int)) -> Bool {
        let suffix = Self.lockSuffix
        return key.length >= suffix.count
            && suffix.indices.allSatisfy { bytes[key.offset + key.length - suffix.count + $0] == suffix[$0] }
    }

    /// A command refused by Porter inside MULTI makes EXEC fail, as a refused command does in Redis.
    func rejectInTransaction() {
        self.transaction.reject()
    }

    // MARK: Replies

    @inline(__always)
    func allocateSlot() -> UInt32 {
        self.replies.allocate(command: self.currentCommand, readAt: self.readAt)
    }

    /// Stores or writes the reply of `sequence`; writes every reply that is now in order.
    func reply(_ sequence: UInt32, _ bytes: ByteBuffer) {
        // A command answered here (refused, failed before it went out) keeps no cluster attempt.
        if !self.inCluster.isEmpty { self.inCluster[sequence] = nil }
        if !self.migrating.isEmpty && self.migratingReplied(sequence, bytes) { return }
        var bytes = bytes
        if let (overridden, replacement) = self.slotOverride, overridden == sequence {
            self.slotOverride = nil
            bytes = replacement
        }
        switch self.replies.complete(sequence, bytes) {
        case .unknown:
            return
        case .stored(let slot):
            self.recordMetrics(slot, bytes)
            return
        case .head(let slot):
            self.recordMetrics(slot, bytes)
        }
        self.emit(bytes, sequence: sequence)
        while let (readySequence, ready) = self.replies.nextReady() {
            self.emit(ready, sequence: readySequence)
        }
        if self.replayWhenInOrder {
            self.replayWhenInOrder = false
            self.replayQueued()
        }
        if self.readPaused && self.inFlight < self.loop.configuration.maxPipeline / 2 {
            if !self.queued.isEmpty && !self.mustWait { self.replayQueued() }
            self.resumeReadingIfPossible()
        }
        if self.inFlight == 0 {
            if self.closeAfterReplies {
                self.flushOutbound()
                self.context?.close(promise: nil)
            } else if self.draining {
                self.drainedIdle()
            }
        }
    }

    /// Counts the command by name and result, and its latency by class.
    @inline(__always)
    func recordMetrics(_ slot: ReplySlots.Slot, _ reply: ByteBuffer) {
        let now = self.loop.now()
        let first = reply.getInteger(at: reply.readerIndex, as: UInt8.self)
        let failed = first == UInt8(ascii: "-") || first == UInt8(ascii: "!")
        self.loop.metrics.record(
            command: Int(slot.command), failed: failed,
            nanoseconds: Int64(truncatingIfNeeded: now &- slot.readAt))
    }

    func emit(_ bytes: ByteBuffer, sequence: UInt32) {
        if let dedicated = self.transaction.replied(sequence) {
            self.release(dedicated, reusable: true)
        }
        guard !self.closed, let context = self.context else { return }
        var bytes = bytes
        self.loop.stats.bytesOut &+= bytes.readableBytes
        if bytes.readableBytes >= self.loop.configuration.copyThreshold {
            if self.outbound.readableBytes > 0 {
                context.write(self.wrapOutboundOut(self.outbound), promise: nil)
                self.outbound = ByteBuffer()
            }
            context.write(self.wrapOutboundOut(bytes), promise: nil)
        } else {
            self.outbound.writeBuffer(&bytes)
        }
        self.needsFlush = true
    }

    func flushOutbound() {
        guard self.needsFlush, !self.closed, let context = self.context else { return }
        self.needsFlush = false
        guard self.outbound.readableBytes > 0 else { return context.flush() }
        context.writeAndFlush(self.wrapOutboundOut(self.outbound), promise: nil)
        if self.outbound.capacity > Self.keptOutboundCapacity {
            self.outbound = ByteBuffer()
        } else {
            // The socket took the bytes during the flush (unless it is full), so the buffer is
            // this session's alone again and is reused without allocating.
            self.outbound.clear()
        }
    }

    /// A reply buffer larger than this is not kept between flushes (an idle client holds little).
    static let keptOutboundCapacity = 4096

    func resumeReadingIfPossible() {
        guard self.readPaused, !self.draining, self.queued.isEmpty, self.context?.channel.isWritable ?? false,
            self.streamAllowsReading
        else {
            return
        }
        self.readPaused = false
        if self.readPending {
            self.readPending = false
            self.context?.read()
        }
    }

    func replyErrorTo(_ sequence: UInt32, _ message: String) {
        var buffer = ByteBuffer()
        buffer.writeRESPError(message)
        self.reply(sequence, buffer)
    }

    func replyError(_ message: String) {
        var buffer = ByteBuffer()
        buffer.writeRESPError(message)
        self.reply(self.allocateSlot(), buffer)
    }

    func replyError(bytes: [UInt8]) {
        var buffer = ByteBuffer()
        buffer.writeRESPError(bytes: bytes)
        self.reply(self.allocateSlot(), buffer)
    }

    func replyStatic(_ buffer: ByteBuffer) {
        self.reply(self.allocateSlot(), buffer)
    }

    func replyValue(_ value: RESPValue) {
        self.reply(self.allocateSlot(), value.encoded(self.profile.proto))
    }

    // MARK: UpstreamReplyReceiver

    func upstreamReply(_ reply: RESPToken, sequence: UInt32) -> Bool {
        if self.stream != nil, self.endStream(sequence: sequence, connectionReusable: true) {
            self.reply(sequence, self.streamedReply(reply))
            return self.wantsBatchComplete()
        }
        if !self.inCluster.isEmpty && self.clusterReplied(reply, sequence: sequence) { return false }
        if !self.pendingReads.isEmpty && self.retriedRead(reply, sequence: sequence) { return false }
        if !self.tracker.pending.isEmpty && self.writeReplied(reply, sequence: sequence) { return false }
        self.reply(sequence, reply.base)
        return self.wantsBatchComplete()
    }

    func upstreamFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
        if self.stream != nil, self.endStream(sequence: sequence, connectionReusable: false) {
            self.loop.stats.upstreamErrors &+= 1
            self.reply(sequence, error.reply)
            return self.wantsBatchComplete()
        }
        let clusterAttempt = self.inCluster.isEmpty ? nil : self.inCluster.removeValue(forKey: sequence)
        if !self.tracker.pending.isEmpty && self.writeFailed(error, sequence: sequence) {
            // Held: it is sent again later, and may be redirected then.
            if let clusterAttempt { self.inCluster[sequence] = clusterAttempt }
            return false
        }
        if let pending = self.pendingReads.removeValue(forKey: sequence) {
            if error.code != .overloaded {
                self.loop.healthChecker?.reportTrafficFailure(pending.node, reason: error.message)
            }
            if self.loop.configuration.retryReads && !pending.retried,
                let other = self.alternateReadTarget(excluding: pending.node, shard: pending.shard)
            {
                self.loop.stats.retries &+= 1
                self.sendRead(pending.request, to: other, shard: pending.shard, sequence: sequence, retried: true)
                return false
            }
        }
        self.loop.stats.upstreamErrors &+= 1
        if let dedicated = self.transaction.lease, !dedicated.connection.isReady {
            // The dedicated connection is gone, and with it the transaction.
            self.endTransaction(reusable: false)
        }
        self.reply(sequence, error.reply)
        return self.wantsBatchComplete()
    }

    func wantsBatchComplete() -> Bool {
        if self.batchRegistered || !self.needsFlush { return false }
        self.batchRegistered = true
        return true
    }

    func upstreamBatchComplete() {
        self.batchRegistered = false
        self.flushOutbound()
    }

    /// A reply Porter substitutes for the upstream's (EXEC after a refused command).
    var slotOverride: (UInt32, ByteBuffer)? = nil

    /// Set when what later commands waited for (a transaction's last reply, a streamed request's
    /// reply) is in: they run once the replies before them are written.
    var replayWhenInOrder = false
}
