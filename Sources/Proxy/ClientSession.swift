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
    private let processor: NIOSingleStepByteToMessageProcessor<RESPRequestDecoder>
    /// Set while the handler is in a pipeline; cleared on removal, since the context holds the
    /// handler and the pair would otherwise keep each other (and the channel) alive.
    private var context: ChannelHandlerContext?

    /// Connection state, as Redis keeps it per client (local commands change it).
    private var client: ClientState {
        didSet {
            if oldValue.profile != self.client.profile { self.sharedConnection = nil }
        }
    }
    private var profile: ConnectionProfile { self.client.profile }
    private var sharedConnection: UpstreamConnection?
    private var sharedGeneration = 0

    /// In-order replies.
    private var replies = ReplySlots()
    /// The command being handled (its table id, `LoopMetrics.unknownCommand` when none), and
    /// when its bytes were read.
    private var currentCommand = UInt16(LoopMetrics.unknownCommand)
    private var readAt: UInt64 = 0

    // Output batching.
    private var outbound: ByteBuffer
    private var needsFlush = false
    private var batchRegistered = false

    // Flow control.
    private var readPaused = false
    private var readPending = false
    private var closeAfterReplies = false
    private var draining = false
    private var closed = false

    /// A connection lent to this client from WATCH/MULTI to EXEC/DISCARD/UNWATCH.
    struct Dedicated {
        let connection: UpstreamConnection
        let pool: NodePool
    }
    /// Transactions: the rules are in `TransactionState`.
    private var transaction = TransactionState<Dedicated>()

    /// Called once when the session ends (the server's client count).
    private let onClose: () -> Void

    init(loop: LoopUpstreams, id: Int, onClose: @escaping () -> Void) {
        let configuration = loop.configuration
        self.onClose = onClose
        self.loop = loop
        self.table = CommandTable.shared
        self.id = id
        self.processor = NIOSingleStepByteToMessageProcessor(RESPRequestDecoder(limits: configuration.limits))
        self.client = ClientState(authenticated: configuration.requirePassword == nil)
        self.tracker = Tracker(settings: loop.writeSettings)
        self.outbound = ByteBuffer()
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
            try self.processor.process(buffer: buffer) { request in
                if !self.closeAfterReplies {
                    self.handle(request)
                }
            }
        } catch let error as RESPError {
            self.loop.stats.protocolErrors &+= 1
            self.protocolError(error.message)
        } catch {
            self.loop.stats.protocolErrors &+= 1
            self.protocolError("Protocol error: \(error)")
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.flushOutbound()
        if self.inFlight >= self.loop.configuration.maxPipeline {
            self.readPaused = true
        }
    }

    func read(context: ChannelHandlerContext) {
        if self.readPaused || self.draining {
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

    private func protocolError(_ message: String) {
        // As Redis does: say what was wrong, then close.
        var reply = ByteBuffer()
        reply.writeRESPError("ERR " + message)
        self.closeAfterReplies = true
        self.reply(self.allocateSlot(), reply)
        self.flushOutbound()
    }

    private func sessionClosed() {
        guard !self.closed else { return }
        self.closed = true
        self.onClose()
        self.endTransaction(reusable: false)
        self.holdTimer?.cancel()
        self.holdTimer = nil
        self.tracker.removeAll()
        self.queued.removeAll()
        self.queuedHead = 0
        self.loop.holding(self, false)
        self.loop.unregister(self)
    }

    // MARK: Routing

    private func handle(_ request: RESPRequest) {
        if self.mustWait {
            // An earlier write waits for a primary, or for its replicas: later commands follow it.
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
        if !self.client.authenticated {
            switch spec.route {
            case .local(.auth), .local(.hello), .local(.quit), .local(.reset):
                break
            default:
                return self.replyStatic(Replies.noAuth)
            }
        }
        switch spec.route {
        case .forward:
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
        }
    }

    /// Redis' words, with the client's bytes as they came: the name up to 128 bytes, then
    /// arguments quoted until 128 bytes of them are shown.
    private func unknownCommandMessage(_ request: RESPRequest) -> [UInt8] {
        var line = Array("ERR unknown command '".utf8)
        line += Self.bytes(request.argument(0), max: 128)
        line += Array("', with args beginning with: ".utf8)
        var args: [UInt8] = []
        var i = 1
        while i < request.count && args.count < 128 {
            args += [UInt8(ascii: "'")] + Self.bytes(request.argument(i), max: 128 - args.count) + Array("' ".utf8)
            i += 1
        }
        return line + args
    }

    private static func bytes(_ buffer: ByteBuffer?, max: Int) -> [UInt8] {
        guard let buffer else { return [] }
        return Array(buffer.readableBytesView.prefix(Swift.max(0, max)))
    }

    private func forward(_ request: RESPRequest, spec: CommandSpec? = nil) {
        let sequence = self.allocateSlot()
        guard let dedicated = self.transaction.lease else {
            if let spec, self.loop.hasReplicas, let group = self.loop.topology.groups.first {
                if spec.isReadOnly {
                    return self.sendRead(
                        request, to: self.readTarget(request, spec: spec, group: group), sequence: sequence,
                        retried: false)
                }
                if spec.isWrite { self.noteWrites(request, spec: spec) }
            }
            if let spec, spec.isWrite, self.loop.tracksWrites, let group = self.loop.topology.groups.first {
                return self.sendWrite(
                    Tracker.Write(
                        request: request, spec: spec, node: group.primary.address,
                        durable: self.isDurable(request, spec)),
                    sequence: sequence, group: group)
            }
            guard let connection = self.primaryConnection() else {
                return self.reply(sequence, Replies.noUpstream)
            }
            return connection.send(request, receiver: self, sequence: sequence)
        }
        dedicated.connection.send(request, receiver: self, sequence: sequence)
    }

    // MARK: Reads and replicas

    /// A read in flight, kept so it can be retried elsewhere (failure, LOADING, or a replica's nil).
    private struct PendingRead {
        var request: RESPRequest
        var node: NodeAddress
        var retried: Bool
    }
    private var pendingReads: [UInt32: PendingRead] = [:]

    private func sendRead(_ request: RESPRequest, to node: NodeAddress, sequence: UInt32, retried: Bool) {
        let pool = self.loop.pool(for: node)
        self.pendingReads[sequence] = PendingRead(request: request, node: node, retried: retried)
        pool.connection(for: self.profile, hint: self.id).send(request, receiver: self, sequence: sequence)
    }

    // MARK: Writes: failover, -READONLY, durable writes

    typealias Tracker = WriteTracker<UpstreamConnection>
    /// Writes where the primary can change or replicas must confirm them: the rules are in
    /// `WriteTracker`; the session sends, replies and schedules what it decides.
    private var tracker: Tracker
    private var holdTimer: Scheduled<Void>?
    /// Commands that came after a held or durable write, replayed in order once it is done.
    private var queued: [RESPRequest] = []
    private var queuedHead = 0
    private var replaying = false
    /// Whether the loop tells this session of topology changes (it has held writes).
    private var registeredHolding = false

    /// Later commands must wait: a write is held, a durable write waits for its replicas, or a
    /// transaction's last reply is not in yet.
    private var mustWait: Bool {
        if self.tracker.mustWait { return true }
        if self.transaction.isEnding { return true }
        return false
    }

    /// Durable: a write to a key with one of `wait_prefixes` (any key when there are none), but
    /// not a lock key: a lock lost in a failover costs a retry, not a session.
    private func isDurable(_ request: RESPRequest, _ spec: CommandSpec) -> Bool {
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

    private static func hasLockSuffix(_ bytes: UnsafeRawBufferPointer, _ key: (offset: Int, length: Int)) -> Bool {
        let suffix = Self.lockSuffix
        return key.length >= suffix.count
            && suffix.indices.allSatisfy { bytes[key.offset + key.length - suffix.count + $0] == suffix[$0] }
    }

    private func sendWrite(_ write: Tracker.Write, sequence: UInt32, group: GroupView) {
        self.tracker.settings = self.loop.writeSettings
        switch self.tracker.write(write, sequence: sequence, group: group, now: .now()) {
        case .send(let attempt):
            self.transmit(
                write.request, durable: write.durable, node: group.primary.address, attempt: attempt,
                sequence: sequence)
        case .held:
            self.afterTracker()
        case .fail(let message):
            self.loop.stats.upstreamErrors &+= 1
            self.replyErrorTo(sequence, message)
        }
    }

    /// Puts a tracked write on the wire: a durable one on a connection of its own, then WAIT.
    private func transmit(_ request: RESPRequest, durable: Bool, node: NodeAddress, attempt: UInt32, sequence: UInt32) {
        let connection: UpstreamConnection
        if durable {
            var profile = self.profile
            profile.purpose = .durableWrites
            connection = self.loop.pool(for: node).connection(for: profile, hint: self.id)
            self.tracker.attach(sequence, to: connection, now: .now())
        } else if let shared = self.primaryConnection() {
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
    private func afterTracker() {
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

    private func armHoldTimer() {
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
        let group = self.loop.topology.groups.first
        let ready =
            group.map {
                $0.primary.usable
                    && self.loop.pool(for: $0.primary.address).connection(for: self.profile, hint: self.id).isReady
            } ?? false
        for action in self.tracker.retry(group: group, connectionReady: ready, now: .now()) {
            switch action {
            case .send(let sequence, let write):
                self.transmit(
                    write.request, durable: write.durable, node: write.node, attempt: write.attempt, sequence: sequence)
            case .fail(let sequence, let message):
                self.loop.stats.upstreamErrors &+= 1
                self.replyErrorTo(sequence, message)
            }
        }
        self.afterTracker()
        self.flushOutbound()
    }

    /// Runs the commands that waited behind a held or durable write, in order.
    private func replayQueued() {
        guard !self.replaying else { return }
        self.replaying = true
        defer { self.replaying = false }
        while !self.mustWait, self.queuedHead < self.queued.count {
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
    private func writeReplied(_ reply: RESPToken, sequence: UInt32) -> Bool {
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
    private func writeFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
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

    private func confirm(_ confirmation: Tracker.Confirmation, sequence: UInt32, attempt: UInt32) -> Bool {
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

    /// The first key of a request, as a range of its bytes.
    private func firstKey(_ request: RESPRequest, spec: CommandSpec) -> (offset: Int, length: Int)? {
        var index: Int? = nil
        spec.forEachKeyIndex(in: request) { if index == nil { index = $0 } }
        return index.flatMap { request.argumentRange($0) }
    }

    private func keyHash(_ request: RESPRequest, _ key: (offset: Int, length: Int)) -> UInt64 {
        request.bytes.withUnsafeReadableBytes { bytes in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in key.offset..<(key.offset + key.length) {
                h ^= UInt64(bytes[i])
                h = h &* 0x100_0000_01b3
            }
            return h
        }
    }

    private func noteWrites(_ request: RESPRequest, spec: CommandSpec) {
        guard self.loop.readYourWritesWindow > .zero else { return }
        spec.forEachKeyIndex(in: request) { index in
            if let range = request.argumentRange(index) { self.loop.noteWrite(self.keyHash(request, range)) }
        }
    }

    /// This client's shared connection to the current primary. Looked up once per (profile,
    /// primary, failure), not per command: writes and the reachability test of reads share it.
    private func primaryConnection() -> UpstreamConnection? {
        if let connection = self.sharedConnection, !connection.isFailing,
            self.sharedGeneration == self.loop.primaryGeneration
        {
            return connection
        }
        guard let pool = self.loop.primaryPool else { return nil }
        let connection = pool.connection(for: self.profile, hint: self.id)
        self.sharedConnection = connection
        self.sharedGeneration = self.loop.primaryGeneration
        return connection
    }

    private func isPrimaryReachable(_ group: GroupView) -> Bool {
        group.primary.usable && !(self.primaryConnection()?.isFailing ?? true)
    }

    /// phpredis re-reads `<session key>_LOCK` before writing the session and compares it.
    private static let lockSuffix: [UInt8] = Array("_LOCK".utf8)

    /// Where a read goes: by the policy of its key's prefix; lock keys, and keys this Porter just
    /// wrote, always to the primary while it is reachable.
    private func readTarget(_ request: RESPRequest, spec: CommandSpec, group: GroupView) -> NodeAddress {
        let configuration = self.loop.configuration
        var policy = configuration.readPolicy
        var preferPrimary = false
        if let key = self.firstKey(request, spec: spec) {
            preferPrimary = request.bytes.withUnsafeReadableBytes { bytes -> Bool in
                let keyBytes = UnsafeRawBufferPointer(rebasing: bytes[key.offset..<(key.offset + key.length)])
                policy = ReadRouting.policy(key: keyBytes, routes: configuration.readRoutes, defaultPolicy: policy)
                return Self.hasLockSuffix(bytes, key)
            }
            if !preferPrimary && policy != .primary && self.loop.wroteRecently(self.keyHash(request, key)) {
                preferPrimary = true
            }
        }
        return ReadRouting.target(
            group: group, policy: policy, preferPrimary: preferPrimary, cursor: &self.loop.readCursor,
            primaryReachable: { self.isPrimaryReachable(group) })
    }

    /// Another node for a read that failed on `node`.
    private func alternateReadTarget(excluding node: NodeAddress) -> NodeAddress? {
        guard let group = self.loop.topology.groups.first else { return nil }
        return ReadRouting.alternate(
            group: group, excluding: node, cursor: &self.loop.readCursor,
            primaryReachable: { self.isPrimaryReachable(group) })
    }

    private static func isNil(_ reply: RESPToken) -> Bool {
        reply.base.withUnsafeReadableBytes { b in
            (b[0] == UInt8(ascii: "_"))
                || ((b[0] == UInt8(ascii: "$") || b[0] == UInt8(ascii: "*")) && b[1] == UInt8(ascii: "-"))
        }
    }

    private static func isRetryableError(_ reply: RESPToken) -> Bool {
        guard reply.isError, let code = reply.errorCode else { return false }
        return code == "LOADING" || code == "MASTERDOWN" || code == "TRYAGAIN"
    }

    /// Handles a reply to a tracked read. Returns true when the read was sent again instead.
    private func retriedRead(_ reply: RESPToken, sequence: UInt32) -> Bool {
        guard let pending = self.pendingReads.removeValue(forKey: sequence) else { return false }
        guard !pending.retried, let group = self.loop.topology.groups.first else { return false }
        let fromReplica = pending.node != group.primary.address
        // A replica's nil may be a write it has not received yet: ask the primary before saying
        // the session does not exist.
        if fromReplica && Self.isNil(reply) && self.isPrimaryReachable(group) {
            self.sendRead(pending.request, to: group.primary.address, sequence: sequence, retried: true)
            return true
        }
        if self.loop.configuration.retryReads && Self.isRetryableError(reply),
            let other = self.alternateReadTarget(excluding: pending.node)
        {
            self.sendRead(pending.request, to: other, sequence: sequence, retried: true)
            return true
        }
        return false
    }

    /// A command refused by Porter inside MULTI makes EXEC fail, as a refused command does in Redis.
    private func rejectInTransaction() {
        self.transaction.reject()
    }

    // MARK: Replies

    @inline(__always)
    private func allocateSlot() -> UInt32 {
        self.replies.allocate(command: self.currentCommand, readAt: self.readAt)
    }

    /// Stores or writes the reply of `sequence`; writes every reply that is now in order.
    private func reply(_ sequence: UInt32, _ bytes: ByteBuffer) {
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
        if self.replayAfterTransaction {
            self.replayAfterTransaction = false
            self.replayQueued()
        }
        if self.readPaused && self.inFlight < self.loop.configuration.maxPipeline / 2 {
            self.resumeReadingIfPossible()
        }
        if self.inFlight == 0 {
            if self.closeAfterReplies || self.draining {
                self.flushOutbound()
                self.context?.close(promise: nil)
            }
        }
    }

    /// Counts the command by name and result, and its latency by class.
    @inline(__always)
    private func recordMetrics(_ slot: ReplySlots.Slot, _ reply: ByteBuffer) {
        let now = self.loop.now()
        let first = reply.readableBytesView.first
        let failed = first == UInt8(ascii: "-") || first == UInt8(ascii: "!")
        self.loop.metrics.record(
            command: Int(slot.command), failed: failed,
            nanoseconds: Int64(truncatingIfNeeded: now &- slot.readAt))
    }

    private func emit(_ bytes: ByteBuffer, sequence: UInt32) {
        if let dedicated = self.transaction.replied(sequence) {
            self.release(dedicated, reusable: true)
        }
        guard !self.closed, let context = self.context else { return }
        var bytes = bytes
        self.loop.stats.bytesOut &+= bytes.readableBytes
        if bytes.readableBytes >= self.loop.configuration.copyThreshold {
            if self.outbound.readableBytes > 0 {
                context.write(self.wrapOutboundOut(self.outbound), promise: nil)
                self.outbound = context.channel.allocator.buffer(capacity: 512)
            }
            context.write(self.wrapOutboundOut(bytes), promise: nil)
        } else {
            self.outbound.writeBuffer(&bytes)
        }
        self.needsFlush = true
    }

    private func flushOutbound() {
        guard self.needsFlush, !self.closed, let context = self.context else { return }
        self.needsFlush = false
        if self.outbound.readableBytes > 0 {
            let chunk = self.outbound
            self.outbound = context.channel.allocator.buffer(
                capacity: Swift.max(512, Swift.min(chunk.readableBytes, 64 * 1024)))
            context.write(self.wrapOutboundOut(chunk), promise: nil)
        }
        context.flush()
    }

    private func resumeReadingIfPossible() {
        guard self.readPaused, !self.draining, self.queued.isEmpty, self.context?.channel.isWritable ?? false else {
            return
        }
        self.readPaused = false
        if self.readPending {
            self.readPending = false
            self.context?.read()
        }
    }

    private func replyErrorTo(_ sequence: UInt32, _ message: String) {
        var buffer = ByteBuffer()
        buffer.writeRESPError(message)
        self.reply(sequence, buffer)
    }

    private func replyError(_ message: String) {
        var buffer = ByteBuffer()
        buffer.writeRESPError(message)
        self.reply(self.allocateSlot(), buffer)
    }

    private func replyError(bytes: [UInt8]) {
        var buffer = ByteBuffer()
        buffer.writeRESPError(bytes: bytes)
        self.reply(self.allocateSlot(), buffer)
    }

    private func replyStatic(_ buffer: ByteBuffer) {
        self.reply(self.allocateSlot(), buffer)
    }

    private func replyValue(_ value: RESPValue) {
        self.reply(self.allocateSlot(), value.encoded(self.profile.proto))
    }

    // MARK: UpstreamReplyReceiver

    func upstreamReply(_ reply: RESPToken, sequence: UInt32) -> Bool {
        if !self.pendingReads.isEmpty && self.retriedRead(reply, sequence: sequence) { return false }
        if !self.tracker.pending.isEmpty && self.writeReplied(reply, sequence: sequence) { return false }
        self.reply(sequence, reply.base)
        return self.wantsBatchComplete()
    }

    func upstreamFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
        if !self.tracker.pending.isEmpty && self.writeFailed(error, sequence: sequence) { return false }
        if let pending = self.pendingReads.removeValue(forKey: sequence) {
            if error.code != .overloaded {
                self.loop.healthChecker?.reportTrafficFailure(pending.node, reason: error.message)
            }
            if self.loop.configuration.retryReads && !pending.retried,
                let other = self.alternateReadTarget(excluding: pending.node)
            {
                self.loop.stats.retries &+= 1
                self.sendRead(pending.request, to: other, sequence: sequence, retried: true)
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

    private func wantsBatchComplete() -> Bool {
        if self.batchRegistered || !self.needsFlush { return false }
        self.batchRegistered = true
        return true
    }

    func upstreamBatchComplete() {
        self.batchRegistered = false
        self.flushOutbound()
    }

    // MARK: Drain

    /// Stop reading; close once every command in flight has its reply.
    func drain() {
        self.draining = true
        if self.inFlight == 0 {
            self.flushOutbound()
            self.context?.close(promise: nil)
        }
    }

    // MARK: Local commands

    private func handleLocal(_ command: LocalCommand, spec: CommandSpec, request: RESPRequest) {
        switch command {
        case .multi, .exec, .discard, .watch, .unwatch:
            return self.handleTransaction(command, request: request)
        default:
            break
        }
        let local = LocalCommands(configuration: self.loop.configuration, table: self.table, id: self.id)
        switch local.run(command, request, state: &self.client, phase: self.transactionPhase) {
        case .reply(let bytes):
            self.replyStatic(bytes)
        case .value(let value):
            self.replyValue(value)
        case .error(let line):
            self.replyError(bytes: line)
        case .authFailed(let bytes):
            self.loop.stats.authFailures &+= 1
            self.replyStatic(bytes)
        case .forward:
            self.forward(request)
        case .refusedInMulti(let line):
            self.rejectInTransaction()
            self.replyError(bytes: line)
        case .quit:
            self.replyStatic(Replies.ok)
            self.closeAfterReplies = true
            if self.inFlight == 0 {
                self.flushOutbound()
                self.context?.close(promise: nil)
            }
        case .reset:
            self.endTransaction(reusable: false)
            self.replyValue(.simple("RESET"))
        }
    }

    private var transactionPhase: TransactionPhase {
        switch self.transaction.phase {
        case .none, .ending: return .none
        case .watching: return .watching
        case .multi: return .multi
        }
    }

    private func handleTransaction(_ command: LocalCommand, request: RESPRequest) {
        switch self.transaction.step(command, sequence: self.replies.next) {
        case .forward:
            self.forward(request)
        case .lease(let multi):
            guard let pool = self.loop.primaryPool else { return self.replyStatic(Replies.noUpstream) }
            self.transaction.began(
                Dedicated(connection: pool.leaseDedicated(for: self.profile), pool: pool), multi: multi)
            self.forward(request)
        case .end(_, let abort):
            if abort {
                // Redis would refuse EXEC; make the upstream drop the queue, then say so.
                self.slotOverride = (self.replies.next, Replies.execAbort)
                self.forward(RESPRequest(["DISCARD"]))
            } else {
                self.forward(request)
            }
        case .reply(let bytes):
            self.replyStatic(bytes)
        case .error(let message):
            self.replyError(message)
        }
    }

    /// A reply Porter substitutes for the upstream's (EXEC after a refused command).
    private var slotOverride: (UInt32, ByteBuffer)? = nil

    /// The transaction is over (RESET, its connection failed, the client went).
    private func endTransaction(reusable: Bool) {
        if let dedicated = self.transaction.abandon() { self.release(dedicated, reusable: reusable) }
    }

    /// Gives the dedicated connection back; what waited behind the transaction's last reply runs
    /// next (from `reply`, once the replies in order are written).
    private func release(_ dedicated: Dedicated, reusable: Bool) {
        dedicated.pool.release(dedicated.connection, reusable: reusable)
        self.replayAfterTransaction = !self.queued.isEmpty
    }
    private var replayAfterTransaction = false
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

/// Replies that never change, built once.
enum Replies {
    static let ok = ByteBuffer(string: "+OK\r\n")
    static let pong = ByteBuffer(string: "+PONG\r\n")
    static let noAuth = ByteBuffer(string: "-NOAUTH Authentication required.\r\n")
    static let noAuthHello = ByteBuffer(
        string:
            "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n"
    )
    static let wrongPass = ByteBuffer(string: "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
    static let noProto = ByteBuffer(string: "-NOPROTO unsupported protocol version\r\n")
    static let execAbort = ByteBuffer(string: "-EXECABORT Transaction discarded because of previous errors.\r\n")
    static let noUpstream = ByteBuffer(string: "-ERR Porter: no upstream group is configured\r\n")
}
