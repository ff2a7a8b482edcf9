import Access
import AdminAPI
import Commands
import Logging
import Migration
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RESP
import Telemetry
import Topology
import Upstream

/// What one event loop owns: its pools to every node, and its client sessions.
/// Used only on `eventLoop`.
final class LoopUpstreams {
    let eventLoop: EventLoop
    private(set) var pools: [NodeAddress: NodePool] = [:]
    /// Each shard's (group's) current primary pool, by shard index (it changes on failover).
    private(set) var primaryPools: [NodePool?] = []
    /// Bumped whenever a primary pool changes, so sessions drop connections they cached.
    private(set) var primaryGeneration = 0
    /// Key → shard, rebuilt when the groups change.
    private(set) var router: ShardRouter
    private(set) var configuration: ProxyConfiguration
    /// Bumped by every reload (each builds its users anew): sessions look their user up again.
    private(set) var accessGeneration = 0
    /// Failed AUTHs, slowed per connection and per source (one for every loop of the server).
    let authLimiter: FailedAuthLimiter
    /// Bytes of incomplete requests this loop's clients hold, and this loop's share of
    /// `limits.max_buffered_request_bytes`.
    var heldRequestBytes = 0
    let loopCount: Int
    var requestBudget: Int { self.configuration.maxBufferedRequestBytes / self.loopCount }
    let logger: Logger
    /// The session migration's state on this loop (nil without `migration`).
    let migration: LoopMigration?
    /// The legacy Redis topology's pools on this loop (`migration.legacy.redis`).
    let legacyUpstreams: LoopUpstreams?
    private(set) var sessions: [ObjectIdentifier: ClientSession] = [:]
    var stats = ProxyStats()
    let metrics = LoopMetrics()
    /// This loop's copy of the topology, replaced whole by the health checker.
    var topology: TopologySnapshot {
        didSet {
            self.hasReplicas = self.topology.groups.contains { !$0.replicas.isEmpty }
            // A cluster's redirects patch this loop's slot map; a new map from the cluster replaces it.
            if self.topology.groups.map(\.name) != self.router.names || oldValue.slots != self.topology.slots {
                self.router = ShardRouter(topology: self.topology, configuration: self.configuration)
            }
            self.followPrimaries()
            self.followNames()
            self.retireRemovedPools()
            for session in self.holdingSessions.values { session.retryHeld() }
        }
    }
    /// Whether writes are tracked (for -READONLY, failover and durable writes): when the group can
    /// change its primary or writes wait for replicas. A lone static primary skips the cost.
    private(set) var tracksWrites: Bool
    /// `WAIT <wait_replicas> <wait_timeout>`, sent after durable writes.
    private(set) var waitRequest: RESPRequest
    /// What the sessions' write trackers follow (made once per reload).
    private(set) var writeSettings: WriteSettings
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
    /// After a takeover: until then every key counts as written (the old process knew which were).
    var everyKeyWrittenUntil = NIODeadline.uptimeNanoseconds(0)
    var readYourWritesWindow: TimeAmount { self.configuration.readYourWritesWindow }

    init(
        eventLoop: EventLoop, configuration: ProxyConfiguration, logger: Logger, topology: TopologySnapshot,
        healthChecker: HealthChecker?, migration: MigrationSettings? = nil, legacy: LegacyTopology? = nil,
        authLimiter: FailedAuthLimiter = FailedAuthLimiter(), loopCount: Int = 1
    ) {
        self.eventLoop = eventLoop
        self.authLimiter = authLimiter
        self.loopCount = max(1, loopCount)
        (self.migration, self.legacyUpstreams) = Self.migration(migration, legacy, eventLoop: eventLoop, logger: logger)
        self.topology = topology
        self.hasReplicas = topology.groups.contains { !$0.replicas.isEmpty }
        self.healthChecker = healthChecker
        self.configuration = configuration
        self.tracksWrites = Self.tracksWrites(configuration)
        self.waitRequest = Self.waitRequest(configuration)
        self.writeSettings = WriteSettings(configuration)
        self.logger = logger
        self.router = ShardRouter(topology: topology, configuration: configuration)
        self.followPrimaries()
    }

    /// Each shard's primary pool follows its group's primary (failover, discovery, reload).
    private func followPrimaries() {
        let groups = self.topology.groups
        var changed = self.primaryPools.count != groups.count
        if changed { self.primaryPools = Array(repeating: nil, count: groups.count) }
        for (shard, group) in groups.enumerated() where self.primaryPools[shard]?.address != group.primary.address {
            self.primaryPools[shard] = self.pool(for: group.primary.address)
            changed = true
        }
        if changed { self.primaryGeneration += 1 }
    }

    /// A primary given by DNS name: this loop's connections that reached another IP address than
    /// its checks now reach are made again (resolving the name again), so writes follow the
    /// name as soon as the checks do instead of meeting -READONLY first. Replicas are left
    /// alone: one name for several replicas (a reader endpoint) spreads connections on purpose.
    private func followNames() {
        for group in self.topology.groups {
            guard let ip = group.primary.resolvedTo, let pool = self.pools[group.primary.address] else { continue }
            for connection in pool.allConnections where connection.peerIP.map({ $0 != ip }) ?? false {
                connection.reconnect(because: "\(group.primary.address) now leads to \(ip); resolving it again")
            }
        }
    }

    /// The pool of a shard's current primary.
    @inline(__always)
    func primaryPool(_ shard: Int) -> NodePool? { shard < self.primaryPools.count ? self.primaryPools[shard] : nil }

    static func tracksWrites(_ configuration: ProxyConfiguration) -> Bool {
        configuration.waitReplicas > 0 || configuration.writeWait > .zero || configuration.cluster != nil
            || configuration.groups.contains { group in
                if group.sentinel != nil || !group.replicas.isEmpty { return true }
                // A DNS name (an ElastiCache-style endpoint) may move to another node.
                if case .tcp(let host, _) = group.primary { return !NodeAddress.isIPLiteral(host) }
                return false
            }
    }

    static func waitRequest(_ configuration: ProxyConfiguration) -> RESPRequest {
        RESPRequest([
            "WAIT", String(configuration.waitReplicas), String(configuration.waitTimeout.nanoseconds / 1_000_000),
        ])
    }

    /// A configuration reload: sessions read policies and limits from here from their next
    /// command; pools take new timeouts and sizes without failing what is in flight.
    func reconfigure(_ configuration: ProxyConfiguration) {
        if configuration.access !== self.configuration.access { self.accessGeneration += 1 }
        self.configuration = configuration
        self.router = ShardRouter(topology: self.topology, configuration: configuration)
        self.tracksWrites = Self.tracksWrites(configuration)
        self.waitRequest = Self.waitRequest(configuration)
        self.writeSettings = WriteSettings(configuration)
        var changed = false
        for pool in self.pools.values where pool.reconfigure(configuration.upstream) { changed = true }
        // Sessions cache a primary connection; one beyond a smaller pool must not be used again.
        if changed { self.primaryGeneration += 1 }
    }

    /// Pools of nodes that are no longer in any group close once their replies are in.
    private func retireRemovedPools() {
        var live = Set<NodeAddress>()
        for group in self.topology.groups {
            live.insert(group.primary.address)
            for replica in group.replicas { live.insert(replica.address) }
        }
        for (address, pool) in self.pools where !live.contains(address) {
            pool.retire()
            self.pools[address] = nil
            self.logger.info("closing the connections to a removed node", metadata: ["node": "\(address)"])
        }
    }

    /// Uptime in nanoseconds (a vDSO clock read: cheaper than any caching that needs a task).
    @inline(__always)
    func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// This loop's counters, for the admin sampler.
    func metricsSnapshot() -> ProxyMetricsSnapshot {
        var snapshot = ProxyMetricsSnapshot()
        snapshot.stats = self.stats
        snapshot.commandCounts = self.metrics.commandCounts
        snapshot.commandLatency = self.metrics.latency.map { $0.snapshot() }
        if let migration = self.migration {
            snapshot.migration = migration.counters
            snapshot.legacyLatency = migration.legacyLatency.snapshot()
            snapshot.mismatchedSessions = migration.mismatchedIDs
        }
        for (address, pool) in self.pools {
            var node = NodeTrafficSnapshot()
            node.latency = pool.traffic.latency.snapshot()
            for connection in pool.allConnections {
                node.connections[connection.stateLabel, default: 0] += 1
                node.inFlight += connection.pendingCount
            }
            snapshot.nodes[address] = node
        }
        return snapshot
    }

    /// The pool for a node, made on first use (nodes appear on failover and discovery).
    func pool(for address: NodeAddress) -> NodePool {
        if let pool = self.pools[address] { return pool }
        let pool = NodePool(
            address: address, eventLoop: self.eventLoop, configuration: self.configuration.upstream, logger: self.logger
        )
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
        if self.everyKeyWrittenUntil.uptimeNanoseconds > 0 && NIODeadline.now() < self.everyKeyWrittenUntil {
            return true
        }
        guard let when = self.recentWrites[keyHash] else { return false }
        if NIODeadline.now() - when < self.readYourWritesWindow { return true }
        self.recentWrites[keyHash] = nil
        return false
    }

    /// When this loop last asked the cluster for its slot map after a `MOVED`.
    private var lastClusterRefresh = NIODeadline.uptimeNanoseconds(0)

    /// A `MOVED`: the slot is served by `node` now. This loop's map takes it at once (when the
    /// node is a shard's primary), and the cluster is asked for the whole new map (at most every
    /// 100 ms per loop: a reshard moves slots one key at a time).
    func clusterMoved(slot: Int, to node: NodeAddress) {
        if let shard = self.topology.groups.firstIndex(where: { $0.primary.address == node }) {
            self.router.moved(slot: slot, to: shard)
        }
        let now = NIODeadline.now()
        if now - self.lastClusterRefresh > .milliseconds(100) {
            self.lastClusterRefresh = now
            self.healthChecker?.refreshCluster()
        }
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
        self.legacyUpstreams?.warmUp()
    }

    func close() {
        for pool in self.pools.values { pool.close() }
        self.migration?.store.closeOnLoop()
        self.legacyUpstreams?.close()
    }
}

/// Listens for clients and serves them. Build it, `start()` it, `shutdown()` it.
public final class ProxyServer: Sendable {
    /// The configuration in force (a reload replaces it).
    public var configuration: ProxyConfiguration { self.state.withLockedValue { $0.configuration } }
    let group: EventLoopGroup
    let logger: Logger
    /// Each loop's state, usable only on that loop (`NIOLoopBound` checks it).
    let loops: [ObjectIdentifier: NIOLoopBoundBox<LoopUpstreams>]
    let healthChecker: HealthChecker?
    /// The session migration's shared dial (nil without `migration`), on its own loop.
    let dial: NIOLoopBoundBox<DialService>?
    let migration: MigrationSettings?
    /// Follows the legacy Redis topology (`migration.legacy.redis`).
    let legacyChecker: HealthChecker?
    let state: NIOLockedValueBox<State>

    struct State {
        var configuration: ProxyConfiguration
        var listeners: [Listener] = []
        var clients = 0
        var nextID = 1
        var listening = false
    }

    public init(
        configuration: ProxyConfiguration, group: EventLoopGroup, logger: Logger, migration: MigrationSettings? = nil
    ) {
        self.state = NIOLockedValueBox(State(configuration: configuration))
        self.group = group
        self.logger = logger
        // The checker publishes each new snapshot to every loop; it starts with `start()`.
        let box = NIOLockedValueBox<[NIOLoopBoundBox<LoopUpstreams>]>([])
        let checker = Self.healthChecker(configuration, logger: logger) { snapshot in
            for upstreams in box.withLockedValue({ $0 }) {
                upstreams.eventLoop.execute { upstreams.value.topology = snapshot }
            }
        }
        let initial = checker?.initialSnapshot ?? TopologySnapshot(version: 0, groups: [])
        let legacy = Self.legacyTopology(migration, logger: logger, loops: box)
        var loops: [ObjectIdentifier: NIOLoopBoundBox<LoopUpstreams>] = [:]
        var dial: NIOLoopBoundBox<DialService>? = nil
        let authLimiter = FailedAuthLimiter()
        let loopCount = Array(group.makeIterator()).count
        for loop in group.makeIterator() {
            // Made here and sent into its box: from now on only its loop touches it.
            let bound = NIOLoopBoundBox.makeBoxSendingValue(
                LoopUpstreams(
                    eventLoop: loop, configuration: configuration, logger: logger, topology: initial,
                    healthChecker: checker, migration: migration, legacy: legacy, authLimiter: authLimiter,
                    loopCount: loopCount),
                eventLoop: loop)
            loops[ObjectIdentifier(loop)] = bound
            if let migration, dial == nil {
                dial = NIOLoopBoundBox.makeBoxSendingValue(
                    DialService(settings: migration, home: bound, everyLoop: box, logger: logger), eventLoop: loop)
            }
        }
        box.withLockedValue { $0 = Array(loops.values) }
        self.loops = loops
        self.healthChecker = checker
        self.migration = migration
        self.dial = dial
        self.legacyChecker = legacy?.checker
    }

    /// The checker of a topology's groups or cluster (nil without either); it hands each new
    /// snapshot to `publish`.
    static func healthChecker(
        _ configuration: ProxyConfiguration, logger: Logger,
        publish: @escaping @Sendable (TopologySnapshot) -> Void
    ) -> HealthChecker? {
        guard !configuration.groups.isEmpty || configuration.cluster != nil else { return nil }
        // Not on a loop of the proxy's: a client that keeps its loop busy (a huge value, a burst
        // of connections) must not make a probe time out and a healthy node look down.
        return HealthChecker(
            groups: configuration.groups, configuration: configuration.health, upstream: configuration.upstream,
            cluster: configuration.cluster, eventLoop: Self.checkerLoops.next(), logger: logger, publish: publish)
    }

    /// The health checkers' event loops: NIO's process-wide group, which the admin server also
    /// uses and which is never shut down, so a probe's late timer has a loop to run on.
    static var checkerLoops: EventLoopGroup { MultiThreadedEventLoopGroup.singleton }

    /// The newest topology (for operators and tests).
    public func topology() async -> TopologySnapshot? {
        guard let any = self.loops.values.first else { return nil }
        return try? await any.eventLoop.submit { any.value.topology }.get()
    }

    struct Listener {
        let channel: Channel
        let address: ListenAddress
        let tls: Bool
        let inherited: Bool
    }

    /// Binds every listen address; returns the addresses bound (port 0 becomes a real port).
    /// An address among `inherited` (a takeover's) is not bound: its socket is used as it is.
    @discardableResult
    public func start(inheriting inherited: [InheritedListener] = []) async throws -> [SocketAddress] {
        // Sentinel groups learn their primary and replicas before Porter takes a client.
        do {
            try await self.healthChecker?.discover()
            try await self.legacyChecker?.discover()
        } catch {
            throw ProxyError(message: "\(error)")
        }
        // A restarted Porter takes the fleet's migration dial before its first client.
        if let dial = self.dial { try? await dial.eventLoop.flatSubmit { dial.value.start() }.get() }
        var bound: [SocketAddress] = []
        let listeners = self.configuration.listen.map { ($0, false) } + (self.configuration.clientTLS?.listen ?? []).map { ($0, true) }
        for (address, tls) in listeners {
            let bootstrap = ServerBootstrap(group: self.group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                // Accept many connections per wake-up: clients that connect per request are common.
                .serverChannelOption(.maxMessagesPerRead, value: 64)
                // Client options are set in the initializer, synchronously: as bootstrap child
                // options each one was a future, a quarter of NIO's work per accepted connection.
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try self.initializeClient(channel, tls: tls) }
                }
            let channel: Channel
            let socket = inherited.first { $0.address == "\(address)" && $0.tls == tls }?.descriptor
            do {
                switch address {
                case _ where socket != nil:
                    // Accepting starts once the previous process has stopped (`acceptOnInherited`):
                    // two processes woken for one connection make one of them read nothing.
                    channel = try await bootstrap.serverChannelOption(.autoRead, value: false)
                        .withBoundSocket(socket!).get()
                case .tcp(let host, let port):
                    // Accepted sockets take TCP_NODELAY from the listener (Linux), so no client
                    // pays a setsockopt for it; NIO sets it too, this says it is relied on.
                    channel = try await bootstrap.serverChannelOption(.socketOption(.tcp_nodelay), value: 1)
                        .bind(host: host, port: port).get()
                case .unix(let path):
                    channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
                        .get()
                }
            } catch {
                // Nothing is left half started: the addresses bound so far are closed.
                let opened = self.state.withLockedValue { state -> [Listener] in
                    defer { state.listeners = [] }
                    return state.listeners
                }
                for listener in opened { try? await listener.channel.close() }
                if let dial = self.dial { try? await dial.eventLoop.submit { dial.value.stop() }.get() }
                throw ProxyError(message: "cannot listen on \(address): \(Self.describe(error))")
            }
            if let local = channel.localAddress { bound.append(local) }
            self.state.withLockedValue {
                $0.listeners.append(Listener(channel: channel, address: address, tls: tls, inherited: socket != nil))
            }
            self.logger.info(
                "listening",
                metadata: ["address": "\(address)", "tls": "\(tls)", "socket": socket == nil ? "bound" : "inherited"])
        }
        // Upstream connections and health checks start once every address is bound, so a bind
        // failure leaves nothing to tear down.
        for upstreams in self.loops.values {
            try await upstreams.eventLoop.submit { upstreams.value.warmUp() }.get()
        }
        self.healthChecker?.start()
        self.legacyChecker?.start()
        self.state.withLockedValue { $0.listening = true }
        return bound
    }

    func initializeClient(_ channel: Channel, tls: Bool, handedOff: HandedOffClient? = nil) throws {
        // Each client keeps its receive buffer between reads: start it small (NIO's is 2 KiB) and
        // let it grow with the client's requests. (TCP_NODELAY is the listener's: see `start`.)
        try channel.syncOptions?.setOption(.recvAllocator, value: Self.clientReceiveBuffers)
        let admitted: (id: Int, idleTimeout: TimeAmount, tls: ClientTLS?)? = self.state.withLockedValue { state in
            guard state.clients < state.configuration.maxClients else { return nil }
            state.clients += 1
            state.nextID += 1
            // The certificates in force now: a reload's new ones are for the connections after it.
            return (state.nextID, state.configuration.clientIdleTimeout, tls ? state.configuration.clientTLS : nil)
        }
        guard let upstreams = self.loops[ObjectIdentifier(channel.eventLoop)]?.value else {
            throw ProxyError(message: "no upstreams for this event loop")
        }
        guard let (id, idleTimeout, clientTLS) = admitted else {
            upstreams.stats.clientsRejected += 1
            let reply = ByteBuffer(string: "-ERR max number of clients reached\r\n")
            channel.writeAndFlush(reply).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        if handedOff == nil { upstreams.stats.clientsAccepted += 1 } else { upstreams.stats.clientsTakenOver += 1 }
        let sync = channel.pipeline.syncOperations
        if let clientTLS { try sync.addHandler(clientTLS.handler()) }
        if idleTimeout > .zero {
            try sync.addHandler(IdleStateHandler(allTimeout: idleTimeout))
        }
        let session = ClientSession(loop: upstreams, id: id, handedOff: handedOff) { [state = self.state] in
            state.withLockedValue { $0.clients -= 1 }
        }
        session.encrypted = clientTLS != nil
        try sync.addHandler(session)
    }

    static let clientReceiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 64 * 1024)

    /// Counters summed over every event loop.
    public func stats() async -> ProxyStats {
        await self.metricsSnapshot().stats
    }

    public var connectedClients: Int { self.state.withLockedValue { $0.clients } }

    /// True from the moment every listen address is bound until shutdown begins.
    public var isListening: Bool { self.state.withLockedValue { $0.listening } }

    /// Applies a reloaded configuration without dropping a client: every event loop takes the
    /// new policies, limits and pool settings, and the health checker the new nodes and health
    /// settings (new nodes are checked and connected; removed nodes' connections close once
    /// their replies are in). Listen addresses are not changed here (they need a restart).
    public func apply(_ configuration: ProxyConfiguration) async {
        self.state.withLockedValue { $0.configuration = configuration }
        for upstreams in self.loops.values {
            try? await upstreams.eventLoop.submit { upstreams.value.reconfigure(configuration) }.get()
        }
        try? await self.healthChecker?.reconfigure(
            groups: configuration.groups, configuration: configuration.health, upstream: configuration.upstream
        ).get()
    }

    /// Every loop's counters, summed.
    public func metricsSnapshot() async -> ProxyMetricsSnapshot {
        var total = ProxyMetricsSnapshot()
        if let dial = self.dial, let follower = try? await dial.eventLoop.submit({ dial.value.follower }).get() {
            total.migrationDial = follower.current
            total.migrationDialReadable = follower.problem == nil
        }
        for upstreams in self.loops.values {
            guard let s = try? await upstreams.eventLoop.submit({ upstreams.value.metricsSnapshot() }).get() else {
                continue
            }
            total.stats.add(s.stats)
            if let migration = s.migration {
                var sum = total.migration ?? MigrationCounters()
                sum.add(migration)
                total.migration = sum
                total.legacyLatency.add(s.legacyLatency)
                total.mismatchedSessions += s.mismatchedSessions
            }
            if total.commandCounts.isEmpty {
                total.commandCounts = s.commandCounts
                total.commandLatency = s.commandLatency
            } else {
                for i in total.commandCounts.indices { total.commandCounts[i] += s.commandCounts[i] }
                for i in total.commandLatency.indices { total.commandLatency[i].add(s.commandLatency[i]) }
            }
            for (address, node) in s.nodes {
                var merged = total.nodes[address] ?? NodeTrafficSnapshot()
                merged.latency.add(node.latency)
                merged.connections.merge(node.connections, uniquingKeysWith: +)
                merged.inFlight += node.inFlight
                total.nodes[address] = merged
            }
        }
        return total
    }

    /// Times nodes were taken out of service, and new primaries followed per group.
    public func healthCounters() async -> (ejections: [NodeAddress: Int], failovers: [String: Int]) {
        (try? await self.healthChecker?.counters().get()) ?? ([:], [:])
    }
}

extension ProxyServer {
    /// An error as an operator reads it: NIO's I/O errors carry their errno text.
    static func describe(_ error: Error) -> String {
        if let io = error as? IOError { return io.description }
        return "\(error)"
    }
}

public struct ProxyError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
