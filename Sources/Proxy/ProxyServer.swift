import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RESP
import Topology
import Upstream

/// Counters of one event loop, summed by `ProxyServer.stats()`.
public struct ProxyStats: Sendable {
    public var commands = 0
    public var bytesIn = 0
    public var bytesOut = 0
    public var protocolErrors = 0
    public var upstreamErrors = 0
    public var unsupported = 0
    public var authFailures = 0
    public var clientsAccepted = 0
    public var clientsRejected = 0
    public var clientsConnected = 0
    public var retries = 0
    /// Writes held for a primary (failover, -READONLY).
    public var heldWrites = 0
    /// Durable writes whose replicas did not confirm them in time.
    public var unconfirmedWrites = 0

    mutating func add(_ other: ProxyStats) {
        self.commands += other.commands
        self.bytesIn += other.bytesIn
        self.bytesOut += other.bytesOut
        self.protocolErrors += other.protocolErrors
        self.upstreamErrors += other.upstreamErrors
        self.unsupported += other.unsupported
        self.authFailures += other.authFailures
        self.clientsAccepted += other.clientsAccepted
        self.clientsRejected += other.clientsRejected
        self.clientsConnected += other.clientsConnected
        self.retries += other.retries
        self.heldWrites += other.heldWrites
        self.unconfirmedWrites += other.unconfirmedWrites
    }
}

/// What one event loop owns: its pools to every node, and its client sessions.
/// Used only on `eventLoop`.
final class LoopUpstreams: @unchecked Sendable {
    let eventLoop: EventLoop
    private(set) var pools: [NodeAddress: NodePool] = [:]
    /// The pool of the first group's current primary (it changes on failover).
    private(set) var primaryPool: NodePool?
    /// Bumped whenever `primaryPool` changes, so sessions drop connections they cached.
    private(set) var primaryGeneration = 0
    private let upstreamConfiguration: UpstreamConfiguration
    private let logger: Logger
    private var sessions: [ObjectIdentifier: ClientSession] = [:]
    var stats = ProxyStats()
    /// This loop's copy of the topology, replaced whole by the health checker.
    var topology: TopologySnapshot {
        didSet {
            self.hasReplicas = self.topology.groups.contains { !$0.replicas.isEmpty }
            if let primary = self.topology.groups.first?.primary.address, primary != self.primaryPool?.address {
                self.primaryPool = self.pool(for: primary)
                self.primaryGeneration += 1
            }
            for session in self.holdingSessions.values { session.retryHeld() }
        }
    }
    /// Whether writes are tracked (for -READONLY, failover and durable writes): when the group can
    /// change its primary or writes wait for replicas. A lone static primary skips the cost.
    let tracksWrites: Bool
    /// `WAIT <wait_replicas> <wait_timeout>`, sent after durable writes.
    let waitRequest: RESPRequest
    /// Sessions with writes held for a primary: told of every topology change.
    private var holdingSessions: [ObjectIdentifier: ClientSession] = [:]
    /// Whether reads may need routing at all (checked per command, so kept as a plain flag).
    private(set) var hasReplicas = false
    /// Reports live-traffic failures (passive health).
    let healthChecker: HealthChecker?
    /// Round robin over readable replicas.
    var readCursor = 0
    /// Keys this loop wrote recently (FNV-1a hash → when), for read-your-writes. Bounded.
    private var recentWrites: [UInt64: NIODeadline] = [:]
    let readYourWritesWindow: TimeAmount

    init(
        eventLoop: EventLoop, configuration: ProxyConfiguration, logger: Logger, topology: TopologySnapshot,
        healthChecker: HealthChecker?
    ) {
        self.eventLoop = eventLoop
        self.topology = topology
        self.hasReplicas = topology.groups.contains { !$0.replicas.isEmpty }
        self.healthChecker = healthChecker
        self.readYourWritesWindow = configuration.readYourWritesWindow
        self.upstreamConfiguration = configuration.upstream
        self.tracksWrites =
            configuration.waitReplicas > 0 || configuration.writeWait > .zero
            || configuration.groups.contains { group in
                if group.sentinel != nil || !group.replicas.isEmpty { return true }
                // A DNS name (an ElastiCache-style endpoint) may move to another node.
                if case .tcp(let host, _) = group.primary { return !NodeAddress.isIPLiteral(host) }
                return false
            }
        self.waitRequest = RESPRequest([
            "WAIT", String(configuration.waitReplicas),
            String(configuration.waitTimeout.nanoseconds / 1_000_000),
        ])
        self.logger = logger
        if let group = topology.groups.first { self.primaryPool = self.pool(for: group.primary.address) }
    }

    /// The pool for a node, made on first use (nodes appear on failover and discovery).
    func pool(for address: NodeAddress) -> NodePool {
        if let pool = self.pools[address] { return pool }
        let pool = NodePool(
            address: address, eventLoop: self.eventLoop, configuration: self.upstreamConfiguration, logger: self.logger)
        self.pools[address] = pool
        return pool
    }

    func noteWrite(_ keyHash: UInt64) {
        guard self.readYourWritesWindow > .zero else { return }
        if self.recentWrites.count >= 100_000 {
            let now = NIODeadline.now()
            self.recentWrites = self.recentWrites.filter { now - $0.value < self.readYourWritesWindow }
            if self.recentWrites.count >= 100_000 { self.recentWrites.removeAll(keepingCapacity: true) }
        }
        self.recentWrites[keyHash] = .now()
    }

    func wroteRecently(_ keyHash: UInt64) -> Bool {
        guard let when = self.recentWrites[keyHash] else { return false }
        if NIODeadline.now() - when < self.readYourWritesWindow { return true }
        self.recentWrites[keyHash] = nil
        return false
    }

    func holding(_ session: ClientSession, _ isHolding: Bool) {
        if isHolding {
            self.holdingSessions[ObjectIdentifier(session)] = session
        } else {
            self.holdingSessions[ObjectIdentifier(session)] = nil
        }
    }

    /// The primary answered a write with -READONLY: its connections here are made again when it
    /// is a DNS name (resolved again, it may lead to the new primary), and the health checker finds out what the node is now.
    func primaryRefusedWrite(_ address: NodeAddress) {
        // Only a name can lead elsewhere when resolved again; an IP address would only lose the
        // commands in flight.
        if case .tcp(let host, _) = address, !NodeAddress.isIPLiteral(host), let pool = self.pools[address] {
            for connection in pool.allConnections {
                connection.reconnect(because: "\(address) refused a write with -READONLY")
            }
        }
        self.healthChecker?.primaryRefusedWrite(address)
    }

    func register(_ session: ClientSession) {
        self.sessions[ObjectIdentifier(session)] = session
        self.stats.clientsConnected += 1
    }

    func unregister(_ session: ClientSession) {
        if self.sessions.removeValue(forKey: ObjectIdentifier(session)) != nil {
            self.stats.clientsConnected -= 1
        }
    }

    var sessionCount: Int { self.sessions.count }

    func drainSessions() {
        for session in self.sessions.values { session.drain() }
    }

    /// Connects to every node of the current topology, so the first requests do not wait.
    func warmUp() {
        for group in self.topology.groups {
            for node in [group.primary] + group.replicas { self.pool(for: node.address).warmUp() }
        }
    }

    func close() {
        for pool in self.pools.values { pool.close() }
    }
}

/// Listens for clients and serves them. Build it, `start()` it, `shutdown()` it.
public final class ProxyServer: Sendable {
    public let configuration: ProxyConfiguration
    let group: EventLoopGroup
    let logger: Logger
    let loops: [ObjectIdentifier: LoopUpstreams]
    let healthChecker: HealthChecker?
    private let state = NIOLockedValueBox(State())

    struct State {
        var listeners: [Channel] = []
        var clients = 0
        var nextID = 1
    }

    public init(configuration: ProxyConfiguration, group: EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        // The checker publishes each new snapshot to every loop; it starts with `start()`.
        let box = NIOLockedValueBox<[LoopUpstreams]>([])
        let checker: HealthChecker? =
            configuration.groups.isEmpty
            ? nil
            : HealthChecker(
                groups: configuration.groups, configuration: configuration.health, upstream: configuration.upstream,
                eventLoop: group.next(), logger: logger
            ) { snapshot in
                for upstreams in box.withLockedValue({ $0 }) {
                    upstreams.eventLoop.execute { upstreams.topology = snapshot }
                }
            }
        let initial = checker?.initialSnapshot ?? TopologySnapshot(version: 0, groups: [])
        var loops: [ObjectIdentifier: LoopUpstreams] = [:]
        for loop in group.makeIterator() {
            loops[ObjectIdentifier(loop)] = LoopUpstreams(
                eventLoop: loop, configuration: configuration, logger: logger, topology: initial, healthChecker: checker
            )
        }
        box.withLockedValue { $0 = Array(loops.values) }
        self.loops = loops
        self.healthChecker = checker
    }

    /// The newest topology (for operators and tests).
    public func topology() async -> TopologySnapshot? {
        guard let any = self.loops.values.first else { return nil }
        return try? await any.eventLoop.submit { any.topology }.get()
    }

    /// Binds every listen address; returns the addresses bound (port 0 becomes a real port).
    @discardableResult
    public func start() async throws -> [SocketAddress] {
        // Sentinel groups learn their primary and replicas before Porter takes a client.
        do {
            try await self.healthChecker?.discover()
        } catch {
            throw ProxyError(message: "\(error)")
        }
        for upstreams in self.loops.values {
            try await upstreams.eventLoop.submit { upstreams.warmUp() }.get()
        }
        self.healthChecker?.start()
        var bound: [SocketAddress] = []
        for address in self.configuration.listen {
            let bootstrap = ServerBootstrap(group: self.group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                // Accept many connections per wake-up: clients that connect per request are common.
                .serverChannelOption(.maxMessagesPerRead, value: 64)
                .childChannelOption(.maxMessagesPerRead, value: 16)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try self.initializeClient(channel) }
                }
            let channel: Channel
            do {
                switch address {
                case .tcp(let host, let port):
                    channel = try await bootstrap.childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                        .bind(host: host, port: port).get()
                case .unix(let path):
                    channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
                        .get()
                }
            } catch {
                throw ProxyError(message: "cannot listen on \(address): \(error)")
            }
            if let local = channel.localAddress { bound.append(local) }
            self.state.withLockedValue { $0.listeners.append(channel) }
            self.logger.info("listening", metadata: ["address": "\(address)"])
        }
        return bound
    }

    private func initializeClient(_ channel: Channel) throws {
        let admitted: Int? = self.state.withLockedValue { state in
            guard state.clients < self.configuration.maxClients else { return nil }
            state.clients += 1
            state.nextID += 1
            return state.nextID
        }
        guard let upstreams = self.loops[ObjectIdentifier(channel.eventLoop)] else {
            throw ProxyError(message: "no upstreams for this event loop")
        }
        guard let id = admitted else {
            upstreams.stats.clientsRejected += 1
            let reply = ByteBuffer(string: "-ERR max number of clients reached\r\n")
            channel.writeAndFlush(reply).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        upstreams.stats.clientsAccepted += 1
        let sync = channel.pipeline.syncOperations
        if self.configuration.clientIdleTimeout > .zero {
            try sync.addHandler(IdleStateHandler(allTimeout: self.configuration.clientIdleTimeout))
        }
        try sync.addHandler(
            ClientSession(loop: upstreams, configuration: self.configuration, id: id) { [state = self.state] in
                state.withLockedValue { $0.clients -= 1 }
            })
    }

    /// Stops accepting, lets every client's in-flight commands finish (up to `drainTimeout`),
    /// then closes clients and upstream connections.
    public func shutdown() async {
        let listeners = self.state.withLockedValue { state -> [Channel] in
            defer { state.listeners = [] }
            return state.listeners
        }
        for listener in listeners {
            try? await listener.close()
        }
        for upstreams in self.loops.values {
            try? await upstreams.eventLoop.submit { upstreams.drainSessions() }.get()
        }
        let deadline = NIODeadline.now() + self.configuration.drainTimeout
        while NIODeadline.now() < deadline {
            var open = 0
            for upstreams in self.loops.values {
                open += (try? await upstreams.eventLoop.submit { upstreams.sessionCount }.get()) ?? 0
            }
            if open == 0 { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
        self.healthChecker?.stop()
        for upstreams in self.loops.values {
            try? await upstreams.eventLoop.submit { upstreams.close() }.get()
        }
        self.logger.info("proxy stopped")
    }

    /// Counters summed over every event loop.
    public func stats() async -> ProxyStats {
        var total = ProxyStats()
        for upstreams in self.loops.values {
            if let s = try? await upstreams.eventLoop.submit({ upstreams.stats }).get() {
                total.add(s)
            }
        }
        return total
    }

    public var connectedClients: Int { self.state.withLockedValue { $0.clients } }
}

public struct ProxyError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
