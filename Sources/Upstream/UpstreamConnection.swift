import Logging
import NIOCore
import NIOPosix
import RESP
import Telemetry

/// One long-lived, pipelined connection slot to a node. It survives its TCP connections: when one
/// drops, waiting requests fail, and a new one is made after a backoff.
///
/// Not thread-safe: every method runs on `eventLoop` (asserted in debug builds).
public final class UpstreamConnection {
    public let address: NodeAddress
    public let eventLoop: EventLoop
    public let profile: ConnectionProfile
    /// Changed by a configuration reload: timeouts apply from the next command, handshake settings
    /// from the next connection.
    public internal(set) var configuration: UpstreamConfiguration
    let logger: Logger
    /// Where round trips are recorded (nil for Porter's own health checks).
    let traffic: NodeTraffic?
    /// Set by `closeWhenIdle()`: close once the last waiting reply has come.
    private var closing = false
    /// One clock read per burst of replies.
    private var readTime: NIODeadline? = nil

    enum State {
        /// Not connected; a connection is made on the next send (or by the backoff timer).
        case idle
        /// TCP connect or handshake in progress; requests queue until it is done.
        case connecting
        case ready(Channel)
        /// The last attempt failed: sends fail at once until `retryAt`.
        case backoff(until: NIODeadline, error: UpstreamError)
        case closed
    }

    struct Waiting {
        /// Nil for Porter's own handshake commands.
        var receiver: UpstreamReplyReceiver?
        var sequence: UInt32
        var sentAt: NIODeadline
    }

    private(set) var state: State = .idle
    private var waiting = CircularBuffer<Waiting>(initialCapacity: 64)
    /// Bytes of requests not yet written to the socket (also holds requests while connecting).
    private var outbound: ByteBuffer
    private var flushScheduled = false
    /// Written to the channel (a large request) but not yet flushed.
    private var unflushed = false
    private var tickTime = NIODeadline.now()
    private var handshakePending = 0
    private var backoff: TimeAmount
    private var timeoutTask: Scheduled<Void>?
    private var touched: [UpstreamReplyReceiver] = []
    private var spareTouched: [UpstreamReplyReceiver] = []
    private var generation = 0
    /// Subscriber mode: sent after every (re)connect; what the node sends then goes to the handler.
    private var subscription: (request: RESPRequest, onMessage: (RESPToken) -> Void)?
    /// The client streaming a large request on this (lent) connection, until it gives it back.
    public weak var streamObserver: UpstreamStreamObserver?

    public init(
        address: NodeAddress, eventLoop: EventLoop, profile: ConnectionProfile,
        configuration: UpstreamConfiguration, logger: Logger, traffic: NodeTraffic? = nil
    ) {
        self.traffic = traffic
        self.address = address
        self.eventLoop = eventLoop
        self.profile = profile
        self.configuration = configuration
        self.logger = logger
        self.backoff = configuration.reconnectMinBackoff
        self.outbound = ByteBufferAllocator().buffer(capacity: 4096)
    }

    public var pendingCount: Int { self.waiting.count }

    /// Changes with every TCP connection made or lost: a `WAIT` counts only the writes of its own
    /// TCP connection, so it must be sent on the one its write went on.
    public var connectionGeneration: Int { self.generation }

    public var isReady: Bool {
        if case .ready = self.state { return true }
        return false
    }

    /// Starts connecting if nothing is under way (never connected, or closed by an idle timeout),
    /// so a caller waiting for `isReady` has something to wait for; a connection in backoff
    /// reconnects on its own timer.
    public func connectIfIdle() {
        if case .idle = self.state { self.connect() }
    }

    /// The IP address the connection reached (what its node's name resolved to), while ready.
    public var peerIP: String? {
        guard case .ready(let channel) = self.state else { return nil }
        return channel.remoteAddress?.ipAddress
    }

    /// True while the node is known to be unreachable (sends would fail at once).
    public var isFailing: Bool {
        if case .backoff = self.state { return true }
        return false
    }

    /// The state as a metric label: ready, connecting, backoff, idle (closed counts as idle).
    public var stateLabel: String {
        switch self.state {
        case .ready: return "ready"
        case .connecting: return "connecting"
        case .backoff: return "backoff"
        case .idle, .closed: return "idle"
        }
    }

    /// Applies a reloaded configuration (timeouts, backoff; credentials from the next connect).
    public func reconfigure(_ configuration: UpstreamConfiguration) {
        self.configuration = configuration
    }

    /// Closes once every command sent has its reply (a node removed by a reload, a connection
    /// beyond a smaller pool): nothing in flight fails. New sends are not expected.
    public func closeWhenIdle() {
        self.eventLoop.preconditionInEventLoop()
        if self.waiting.isEmpty {
            self.close()
        } else {
            self.closing = true
        }
    }

    // MARK: Sending

    /// Queues `request` and arranges its reply to reach `receiver`. Fails at once (through the
    /// receiver) when the node is unreachable or this connection is full.
    public func send(_ request: RESPRequest, receiver: UpstreamReplyReceiver, sequence: UInt32) {
        self.eventLoop.preconditionInEventLoop()
        switch self.state {
        case .ready, .connecting:
            break
        case .idle:
            self.connect()
        case .backoff(let until, let error):
            if NIODeadline.now() < until {
                self.reject(error, receiver: receiver, sequence: sequence)
                return
            }
            self.connect()
        case .closed:
            self.reject(
                UpstreamError(.connectionLost, "connection to \(self.address) is closed"), receiver: receiver,
                sequence: sequence)
            return
        }
        if self.waiting.count >= self.configuration.maxPendingPerConnection {
            self.reject(
                UpstreamError(.overloaded, "\(self.waiting.count) commands already waiting on \(self.address)"),
                receiver: receiver, sequence: sequence)
            return
        }
        // One clock read per event-loop tick, not per command: deadlines need no finer grain.
        if !self.flushScheduled { self.tickTime = .now() }
        var bytes = request.bytes
        if bytes.readableBytes >= Self.directWriteBytes, case .ready(let channel) = self.state {
            // A large request is handed to NIO as the slice it arrived in: copying a 512 MiB
            // value would hold the loop (and every client on it) for as long as the copy takes.
            if self.outbound.readableBytes > 0 {
                channel.write(self.outbound, promise: nil)
                self.outbound = channel.allocator.buffer(capacity: 4096)
            }
            channel.write(bytes, promise: nil)
            self.unflushed = true
        } else {
            self.outbound.writeBuffer(&bytes)
        }
        self.waiting.append(Waiting(receiver: receiver, sequence: sequence, sentAt: self.tickTime))
        if self.waiting.count == 1 { self.armTimeout() }
        self.scheduleFlush()
    }

    private func reject(_ error: UpstreamError, receiver: UpstreamReplyReceiver, sequence: UInt32) {
        if receiver.upstreamFailed(error, sequence: sequence) {
            receiver.upstreamBatchComplete()
        }
    }

    /// Writes are coalesced: every client that sends in this event-loop tick shares one write.
    private func scheduleFlush() {
        guard !self.flushScheduled, case .ready = self.state else { return }
        self.flushScheduled = true
        self.eventLoop.assumeIsolated().execute { self.flushOutbound() }
    }

    private func flushOutbound() {
        self.flushScheduled = false
        guard case .ready(let channel) = self.state else { return }
        if self.outbound.readableBytes > 0 {
            channel.writeAndFlush(self.outbound, promise: nil)
            if self.outbound.capacity > Self.keptOutboundCapacity {
                self.outbound = channel.allocator.buffer(capacity: 4096)
            } else {
                // The socket took the bytes during the flush (unless it is full), so the buffer
                // is this connection's alone again and is reused: no allocation per flush (at
                // -c 1 -P 1, one per request).
                self.outbound.clear()
            }
        } else if self.unflushed {
            channel.flush()
        }
        self.unflushed = false
    }

    /// A request buffer larger than this (a burst) is not kept for the next flush.
    static let keptOutboundCapacity = 64 * 1024

    /// Requests this large are written as they are, not copied into `outbound`.
    static let directWriteBytes = 64 * 1024

    // MARK: Streaming a large request

    /// Whether the next bytes of a streamed request may be written now (connected, the send buffer
    /// under its high-water mark); if not, the client waits for `upstreamStreamWritable()`.
    public var acceptsStreamBytes: Bool {
        if case .ready(let channel) = self.state { return channel.isWritable }
        return false
    }

    /// Writes the next bytes of a request that is passed on as it arrives, on a connection lent to
    /// one client (nothing else is sent on it meanwhile). Bytes written while connecting wait in
    /// the outbound buffer. Returns false when the node is unreachable (the bytes are dropped).
    public func writeStreamBytes(_ bytes: ByteBuffer) -> Bool {
        self.eventLoop.preconditionInEventLoop()
        switch self.state {
        case .ready(let channel):
            if self.outbound.readableBytes > 0 {
                channel.write(self.outbound, promise: nil)
                self.outbound = channel.allocator.buffer(capacity: 4096)
            }
            channel.writeAndFlush(bytes, promise: nil)
            return true
        case .idle:
            self.connect()
        case .connecting:
            break
        case .backoff, .closed:
            return false
        }
        var bytes = bytes
        self.outbound.writeBuffer(&bytes)
        return true
    }

    /// The streamed request is all written: its reply goes to `receiver` as `sequence`, and its
    /// deadline (`command_timeout`) starts now, not when its first bytes went.
    public func finishStream(receiver: UpstreamReplyReceiver, sequence: UInt32) {
        self.eventLoop.preconditionInEventLoop()
        self.waiting.append(Waiting(receiver: receiver, sequence: sequence, sentAt: .now()))
        if self.waiting.count == 1 { self.armTimeout() }
    }

    func channelWritabilityChanged(generation: Int, writable: Bool) {
        guard generation == self.generation, writable else { return }
        self.streamObserver?.upstreamStreamWritable()
    }

    /// Puts the connection in subscriber mode: `request` (e.g. SUBSCRIBE) is sent after each
    /// connect and handshake, and every message that follows goes to `onMessage`. The connection
    /// reconnects with backoff on its own.
    public func subscribe(_ request: RESPRequest, onMessage: @escaping (RESPToken) -> Void) {
        self.eventLoop.preconditionInEventLoop()
        self.subscription = (request, onMessage)
        if case .ready(let channel) = self.state {
            channel.writeAndFlush(request.bytes, promise: nil)
        } else if case .idle = self.state {
            self.connect()
        }
    }

    /// Drops the TCP connection (failing what waits on it) and makes a new one at once: after a
    /// `-READONLY`, so a DNS name is resolved again.
    public func reconnect(because reason: String) {
        self.eventLoop.preconditionInEventLoop()
        switch self.state {
        case .ready, .connecting:
            self.failConnection(UpstreamError(.connectionLost, reason), retryAtOnce: true)
        case .backoff:
            self.state = .idle
        case .idle, .closed:
            break
        }
    }

    // MARK: Connecting

    func connect() {
        self.state = .connecting
        self.generation += 1
        let generation = self.generation
        let bound = NIOLoopBound(self, eventLoop: self.eventLoop)
        let bootstrap = ClientBootstrap(group: self.eventLoop)
            .connectTimeout(self.configuration.connectTimeout)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { [tls = self.configuration.tls(for: self.address), address = self.address] channel in
                // Made on the channel's loop (this connection's), so no handler crosses threads.
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try tls.handler(for: address)) }
                    try channel.pipeline.syncOperations.addHandler(
                        UpstreamChannelHandler(connection: bound.value, generation: generation))
                }
            }
        let future: EventLoopFuture<Channel>
        switch self.address {
        case .tcp(let host, let port):
            if let address = try? SocketAddress(ipAddress: host, port: port) {
                future = bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1).connect(to: address)
            } else {
                future = bootstrap.channelOption(.socketOption(.tcp_nodelay), value: 1).connect(host: host, port: port)
            }
        case .unix(let path):
            future = bootstrap.connect(unixDomainSocketPath: path)
        }
        future.assumeIsolated().whenComplete { result in
            guard generation == self.generation else {
                if case .success(let channel) = result { channel.close(promise: nil) }
                return
            }
            switch result {
            case .success(let channel):
                self.startHandshake(channel)
            case .failure(let error):
                self.failConnection(
                    UpstreamError(.unreachable, "\(self.address) is unreachable (\(Self.describe(error)))"))
            }
        }
    }

    static func describe(_ error: Error) -> String {
        if let io = error as? IOError { return io.description }
        if let tls = UpstreamTLS.describe(error) { return tls }
        if error is ChannelError, case .connectTimeout(let t) = error as! ChannelError {
            return "connect timed out after \(t.nanoseconds / 1_000_000)ms"
        }
        return "\(error)"
    }

    private func startHandshake(_ channel: Channel) {
        var hello = ByteBuffer()
        let commands = Self.handshake(self.profile, self.configuration)
        for command in commands {
            var bytes = RESPRequest(command).bytes
            hello.writeBuffer(&bytes)
        }
        let count = commands.count
        if count == 0 {
            self.becomeReady(channel)
            return
        }
        self.handshakePending = count
        // Handshake entries go in front of any client requests queued while connecting.
        let now = NIODeadline.now()
        for _ in 0..<count {
            self.waiting.prepend(Waiting(receiver: nil, sequence: 0, sentAt: now))
        }
        self.armTimeout()
        channel.writeAndFlush(hello, promise: nil)
        // The state stays .connecting until the handshake replies are in.
        self.handshakeChannel = channel
    }

    private var handshakeChannel: Channel?
    /// A failure was logged and the recovery is not yet: log each outage once.
    private var reportedDown = false

    private func becomeReady(_ channel: Channel) {
        self.handshakeChannel = nil
        self.state = .ready(channel)
        self.backoff = self.configuration.reconnectMinBackoff
        if self.reportedDown {
            self.reportedDown = false
            self.logger.info("upstream connection restored", metadata: ["node": "\(self.address)"])
        }
        if let subscription = self.subscription {
            channel.writeAndFlush(subscription.request.bytes, promise: nil)
        }
        if self.outbound.readableBytes > 0 {
            self.scheduleFlush()
        }
        self.streamObserver?.upstreamStreamWritable()
    }

    // MARK: Replies (called by the channel handler)

    func channelRead(_ token: RESPToken, generation: Int) {
        guard generation == self.generation else { return }
        if let subscription = self.subscription, self.waiting.isEmpty {
            subscription.onMessage(token)
            return
        }
        if token.isPush {
            // Out-of-band RESP3 data (e.g. invalidations) is not a reply to anything we sent.
            return
        }
        guard let entry = self.waiting.popFirst() else {
            self.failConnection(UpstreamError(.protocolError, "\(self.address) sent a reply to no request"))
            return
        }
        guard let receiver = entry.receiver else {
            self.handshakeReply(token)
            return
        }
        if let traffic = self.traffic {
            let now: NIODeadline
            if let readTime = self.readTime {
                now = readTime
            } else {
                now = .now()
                self.readTime = now
            }
            traffic.latency.record(nanoseconds: (now - entry.sentAt).nanoseconds)
        }
        if receiver.upstreamReply(token, sequence: entry.sequence) {
            self.touched.append(receiver)
        }
    }

    private func handshakeReply(_ token: RESPToken) {
        if token.isError {
            let text = token.string ?? "error"
            self.logger.warning(
                "upstream handshake refused", metadata: ["node": "\(self.address)", "reply": "\(text)"])
            self.failConnection(UpstreamError(.handshakeFailed, "\(self.address) refused the handshake: \(text)"))
            return
        }
        self.handshakePending -= 1
        if self.handshakePending == 0, let channel = self.handshakeChannel {
            self.becomeReady(channel)
        }
    }

    func channelReadComplete(generation: Int) {
        guard generation == self.generation else { return }
        self.readTime = nil
        self.deliverBatchComplete()
        if self.closing && self.waiting.isEmpty {
            self.close()
            return
        }
        // The deadline timer is not cancelled when the last reply comes: it fires once, finds
        // nothing waiting (or a newer head, and re-arms for it). Cancelling and scheduling it per
        // request cost 6 % of the instructions of a request at `-c 1 -P 1`.
        if !self.waiting.isEmpty && self.timeoutTask == nil {
            self.armTimeout()
        }
    }

    private func deliverBatchComplete() {
        guard !self.touched.isEmpty else { return }
        // Swapped with a spare, not copied: emptying a copied array allocates a new one.
        var batch = self.spareTouched
        self.spareTouched = []
        swap(&batch, &self.touched)
        for receiver in batch {
            receiver.upstreamBatchComplete()
        }
        batch.removeAll(keepingCapacity: true)
        self.spareTouched = batch
    }

    func channelClosed(generation: Int, error: Error?) {
        guard generation == self.generation else { return }
        let reason = error.map { Self.describe($0) } ?? "closed by the server"
        self.failConnection(UpstreamError(.connectionLost, "lost the connection to \(self.address) (\(reason))"))
    }

    // MARK: Deadlines

    private func armTimeout() {
        guard self.timeoutTask == nil, let head = self.waiting.first else { return }
        let deadline = head.sentAt + self.configuration.commandTimeout
        let generation = self.generation
        self.timeoutTask = self.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timeoutTask = nil
            guard generation == self.generation, let head = self.waiting.first else { return }
            let elapsed = NIODeadline.now() - head.sentAt
            if elapsed >= self.configuration.commandTimeout {
                let ms = self.configuration.commandTimeout.nanoseconds / 1_000_000
                if !self.reportedDown {
                    self.logger.warning(
                        "upstream command timed out", metadata: ["node": "\(self.address)", "timeout_ms": "\(ms)"])
                }
                // The stream is still in sync, but a node that does not answer in time is not to be
                // trusted with more: drop the connection and make a new one.
                let tls =
                    self.handshakePending > 0 && self.configuration.tls(for: self.address) != nil
                    ? " (TLS: no handshake answer; does the node speak TLS on this port?)" : ""
                self.failConnection(
                    UpstreamError(.timeout, "\(self.address) did not answer within \(ms)ms\(tls)"), retryAtOnce: true)
            } else {
                self.armTimeout()
            }
        }
    }

    // MARK: Failure

    /// Fails every waiting request with `error`, closes the channel and schedules a reconnect.
    func failConnection(_ error: UpstreamError, retryAtOnce: Bool = false) {
        let channel: Channel?
        switch self.state {
        case .ready(let c): channel = c
        case .connecting: channel = self.handshakeChannel
        default: channel = nil
        }
        self.generation += 1
        self.handshakeChannel = nil
        self.handshakePending = 0
        self.timeoutTask?.cancel()
        self.timeoutTask = nil
        self.outbound.clear()
        self.unflushed = false
        channel?.close(promise: nil)
        if self.closing { self.state = .closed }

        if case .closed = self.state {
            // Shut down: nothing to retry.
        } else {
            let delay = retryAtOnce ? TimeAmount.zero : self.backoff
            self.state = .backoff(until: .now() + delay, error: error)
            if !self.reportedDown {
                self.reportedDown = true
                self.logger.warning(
                    "upstream connection failed", metadata: ["node": "\(self.address)", "error": "\(error.message)"])
            }
            self.backoff = Swift.min(self.backoff * 2, self.configuration.reconnectMaxBackoff)
            let generation = self.generation
            self.eventLoop.assumeIsolated().scheduleTask(in: delay) {
                if generation == self.generation, case .backoff = self.state {
                    self.connect()
                }
            }
        }

        // A request streaming on this connection has lost its bytes written so far.
        if let observer = self.streamObserver {
            self.streamObserver = nil
            observer.upstreamStreamFailed(error)
        }
        let failed = self.waiting
        self.waiting.removeAll()
        for entry in failed {
            guard let receiver = entry.receiver else { continue }
            if receiver.upstreamFailed(error, sequence: entry.sequence) {
                self.touched.append(receiver)
            }
        }
        self.deliverBatchComplete()
    }

    /// Closes for good (shutdown, or a dedicated connection that is not reused). Waiting requests
    /// fail.
    public func close() {
        self.eventLoop.preconditionInEventLoop()
        if case .closed = self.state { return }
        let channel: Channel?
        if case .ready(let c) = self.state { channel = c } else { channel = self.handshakeChannel }
        self.state = .closed
        self.failConnection(UpstreamError(.connectionLost, "connection to \(self.address) closed by Porter"))
        channel?.close(promise: nil)
    }
}
