import Logging
import NIOCore
import RESP
import Upstream

/// Checks every node with PING and ROLE every `interval`, keeps each node's `NodeHealth`, takes
/// passive-ejection reports from live traffic, and publishes a new `TopologySnapshot` whenever
/// what the proxy may do changes. Runs on one event loop; its methods may be called from any.
///
/// Unchecked: every loop's proxy holds it and calls its public methods, each of which hops to
/// `eventLoop` before touching a stored property (probes, sentinels and views are used only
/// there). The loop-bound parts it owns (probes, sentinel clients) are not Sendable themselves.
public final class HealthChecker: @unchecked Sendable {
    /// The groups as last configured or discovered (Sentinel replaces primary and replicas).
    private(set) var groups: [GroupDefinition]
    private(set) var configuration: HealthConfiguration
    private var probeUpstream: UpstreamConfiguration
    private var sentinels: [Int: SentinelClient] = [:]
    /// Redis Cluster mode: the client asking for the slot map, and the map.
    private var cluster: ClusterClient?
    private var slots: [UInt16]?
    private var clusterTask: RepeatedTask?
    let eventLoop: EventLoop
    let logger: Logger
    let publish: @Sendable (TopologySnapshot) -> Void

    private var probes: [NodeAddress: NodeProbe] = [:]
    /// Set by `stop()`: the proxy is shutting down and its loops may be gone, so nothing more is
    /// published (a probe connection closed by the shutdown reports a failure late).
    private var stopped = false
    private var views: [GroupView]
    private var version = 0
    private var task: RepeatedTask?
    /// Times each node was taken out of service, and new primaries followed per group (metrics).
    private var ejections: [NodeAddress: Int] = [:]
    private var failovers: [String: Int] = [:]

    public init(
        groups: [GroupDefinition], configuration: HealthConfiguration, upstream: UpstreamConfiguration,
        cluster: ClusterSettings? = nil, eventLoop: EventLoop, logger: Logger,
        publish: @escaping @Sendable (TopologySnapshot) -> Void
    ) {
        self.groups = cluster == nil ? groups : []
        if let cluster {
            self.cluster = ClusterClient(settings: cluster, eventLoop: eventLoop, upstream: upstream, logger: logger)
        }
        self.configuration = configuration
        self.eventLoop = eventLoop
        self.logger = logger
        self.publish = publish
        self.views = Self.makeViews(self.groups, old: [])
        self.probeUpstream = Self.probeSettings(upstream, configuration)
        for (index, g) in self.groups.enumerated() {
            if let settings = g.sentinel {
                self.sentinels[index] = SentinelClient(
                    settings: settings, eventLoop: eventLoop, upstream: upstream, logger: logger)
            } else {
                self.ensureProbes(g)
            }
        }
    }

    /// Health checks use one connection per node, with the check's own timeout.
    static func probeSettings(_ upstream: UpstreamConfiguration, _ health: HealthConfiguration) -> UpstreamConfiguration
    {
        var probeUpstream = upstream
        probeUpstream.connectionsPerNode = 1
        probeUpstream.commandTimeout = .milliseconds(health.timeout)
        probeUpstream.connectTimeout = .milliseconds(health.timeout)
        probeUpstream.clientName = "porter-health"
        probeUpstream.reconnectMaxBackoff = .milliseconds(health.interval)
        return probeUpstream
    }

    static func makeViews(_ groups: [GroupDefinition], old: [GroupView]) -> [GroupView] {
        let known = Dictionary(
            old.flatMap { [$0.primary] + $0.replicas }.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        func view(_ address: NodeAddress, primary: Bool) -> NodeView {
            if let existing = known[address], existing.configuredPrimary == primary { return existing }
            return NodeView(
                address: address, configuredPrimary: primary, health: .unknown, role: .unknown, lagBytes: nil,
                // Usable and readable until checked; a primary's reads test `readable`, which is
                // `usable` except while Sentinel fails it over (`failoverNotice`).
                lastError: nil, usable: true, readable: true)
        }
        return groups.map { g in
            GroupView(
                name: g.name, primary: view(g.primary, primary: true),
                replicas: g.replicas.map { view($0, primary: false) })
        }
    }

    /// Starts checking the group's nodes that have no probe yet. A node Sentinel reports down
    /// starts down (an old primary after a failover): listed for the operator, given no traffic
    /// until its own checks pass `rise` times.
    private func ensureProbes(_ group: GroupDefinition, downBySentinel: Set<NodeAddress> = []) {
        for address in [group.primary] + group.replicas where self.probes[address] == nil {
            var health = NodeHealth(
                rise: self.configuration.rise, fall: self.configuration.fall,
                ejectAfterErrors: self.configuration.ejectAfterErrors)
            if downBySentinel.contains(address) { _ = health.contradicted("Sentinel reports it down") }
            let probe = NodeProbe(
                address: address, eventLoop: self.eventLoop, upstream: self.probeUpstream, logger: self.logger,
                health: health)
            probe.checker = self
            self.probes[address] = probe
        }
    }

    /// Asks the sentinels of every Sentinel group until one answers for each. Called before Porter
    /// listens; fails when all of a group's sentinels fail.
    public func discover() async throws {
        if self.cluster != nil { try await self.discoverCluster() }
        // The sentinels and groups live on the checker's loop: read them there.
        let targets = try await self.eventLoop.submit {
            self.sentinels.keys.sorted().map {
                (
                    index: $0, tries: max(1, self.sentinels[$0]!.settings.nodes.count),
                    master: self.sentinels[$0]!.settings.master, group: self.groups[$0].name
                )
            }
        }.get()
        for target in targets {
            var lastError: Error = TopologyError(message: "no sentinel configured")
            var answered = false
            for _ in 0..<target.tries {
                do {
                    let answer = try await self.eventLoop.flatSubmit { self.sentinels[target.index]!.ask() }.get()
                    try await self.eventLoop.submit { self.apply(answer, group: target.index) }.get()
                    answered = true
                    break
                } catch {
                    lastError = error
                }
            }
            if !answered {
                throw TopologyError(
                    message:
                        "no sentinel answered for master '\(target.master)' of group '\(target.group)': \(lastError)"
                )
            }
        }
    }

    /// The highest Sentinel config epoch seen per group: answers from a sentinel that has not
    /// heard of a later failover are older and are ignored.
    private var epochs: [Int: Int64] = [:]
    /// Groups a sentinel is failing over (by the sentinels trying), and the timer that gives up.
    private var failingOver: [Int: (sentinels: Set<Int>, timer: Scheduled<Void>)] = [:]
    /// How long writes wait for a failover a sentinel started (a manual one takes 1–2 s).
    static let failoverHold: TimeAmount = .seconds(5)

    /// A sentinel's answer: follow a new primary, and take the replicas it lists.
    private func apply(_ answer: SentinelAnswer, group index: Int) {
        if answer.epoch < self.epochs[index, default: 0] { return }
        // The first answer is discovery, not a failover.
        let discovered = self.epochs[index] != nil
        self.epochs[index] = answer.epoch
        let old = self.groups[index]
        guard answer.primary != old.primary || Set(answer.replicas) != Set(old.replicas) else { return }
        if answer.primary != old.primary && discovered {
            self.failovers[old.name, default: 0] += 1
            self.logger.warning(
                "new primary", metadata: ["group": "\(old.name)", "old": "\(old.primary)", "new": "\(answer.primary)"])
        }
        self.groups[index].primary = answer.primary
        self.groups[index].replicas = answer.replicas
        self.ensureProbes(self.groups[index], downBySentinel: answer.down)
        if answer.primary != old.primary {
            // Failures recorded under the old roles ("ROLE says primary, but it is configured as a
            // replica") say nothing about the new ones.
            for address in [answer.primary, old.primary] {
                self.probes[address]?.health = NodeHealth(
                    rise: self.configuration.rise, fall: self.configuration.fall,
                    ejectAfterErrors: self.configuration.ejectAfterErrors)
                // The old primary, dead, stays listed (down) until its own checks pass.
                if answer.down.contains(address) {
                    _ = self.probes[address]?.health.contradicted("Sentinel reports it down")
                }
            }
        }
        self.views = Self.makeViews(self.groups, old: self.views)
        self.recompute(force: true)
    }

    /// A sentinel started failing the group's primary over, or gave up. Until the new primary
    /// is announced the primary is not usable, so writes wait (`write_wait`) instead of going to
    /// a node about to be demoted: in a manual failover (`SENTINEL FAILOVER`) the old primary keeps
    /// taking writes until Sentinel reconfigures it, its other replica confirms them (`WAIT`),
    /// and both then copy the new primary, which never had them: ~0.45 s of acknowledged writes
    /// were lost per failover (`scripts/soak.py`). Reads still go to it.
    private func failoverNotice(_ notice: FailoverNotice, from sentinel: Int, group index: Int) {
        var trying = self.failingOver[index]?.sentinels ?? []
        switch notice {
        case .started: trying.insert(sentinel)
        case .abandoned: trying.remove(sentinel)
        }
        self.failingOver[index]?.timer.cancel()
        self.failingOver[index] = nil
        if !trying.isEmpty {
            let timer = self.eventLoop.scheduleTask(in: Self.failoverHold) {
                self.failingOver[index] = nil
                self.recompute(force: true)
            }
            self.failingOver[index] = (trying, timer)
            if notice == .started {
                self.logger.warning(
                    "sentinel started a failover: writes wait for the new primary",
                    metadata: ["group": "\(self.groups[index].name)", "primary": "\(self.groups[index].primary)"])
            }
        }
        self.recompute(force: true)
    }

    /// A sentinel announced `+switch-master`: follow it at once (a failover raises the epoch, so
    /// older answers are ignored from now on), then ask that sentinel for the replicas.
    private func switched(_ event: SwitchMaster, announcedBy sentinel: Int, group index: Int) {
        self.failingOver.removeValue(forKey: index)?.timer.cancel()
        if event.new != self.groups[index].primary {
            self.logger.info(
                "sentinel announced +switch-master",
                metadata: ["group": "\(self.groups[index].name)", "old": "\(event.old)", "new": "\(event.new)"])
            var replicas = ([self.groups[index].primary] + self.groups[index].replicas).filter { $0 != event.new }
            if !replicas.contains(event.old) { replicas.append(event.old) }
            self.apply(
                SentinelAnswer(
                    primary: event.new, replicas: replicas, down: [event.old], epoch: self.epochs[index, default: 0] + 1
                ),
                group: index)
        }
        self.sentinels[index]?.ask(preferring: sentinel).whenSuccess { self.apply($0, group: index) }
    }

    // MARK: Redis Cluster

    /// Asks the seeds (then the nodes they named) for the slot map before Porter listens.
    private func discoverCluster() async throws {
        let tries = try await self.eventLoop.submit { self.cluster!.tries }.get()
        var lastError: Error = TopologyError(message: "no seed configured")
        for _ in 0..<tries {
            do {
                let answer = try await self.eventLoop.flatSubmit { self.cluster!.ask() }.get()
                try await self.eventLoop.submit { self.apply(answer) }.get()
                return
            } catch {
                lastError = error
            }
        }
        throw TopologyError(message: "no cluster node answered CLUSTER SLOTS: \(lastError)")
    }

    /// Asks for the slot map now (a `MOVED` came, or a shard lost its primary). Questions in
    /// flight are shared, so a burst of redirects asks once.
    public func refreshCluster() {
        self.eventLoop.execute {
            self.cluster?.ask().whenSuccess { self.apply($0) }
        }
    }

    /// A slot map: new shards, primaries (a failover) or slot owners (a reshard) are followed.
    private func apply(_ answer: ClusterAnswer) {
        self.cluster?.learned(answer)
        guard answer.groups != self.groups || answer.slots != self.slots else { return }
        let oldPrimaries = Dictionary(self.groups.map { ($0.name, $0.primary) }, uniquingKeysWith: { a, _ in a })
        let discovered = self.slots != nil
        for group in answer.groups {
            guard let old = oldPrimaries[group.name], old != group.primary else { continue }
            if discovered {
                self.failovers[group.name, default: 0] += 1
                self.logger.warning(
                    "new primary", metadata: ["group": "\(group.name)", "old": "\(old)", "new": "\(group.primary)"])
            }
            // Failures recorded under the old roles say nothing about the new ones.
            for address in [old, group.primary] {
                self.probes[address]?.health = NodeHealth(
                    rise: self.configuration.rise, fall: self.configuration.fall,
                    ejectAfterErrors: self.configuration.ejectAfterErrors)
            }
        }
        self.groups = answer.groups
        self.slots = answer.slots
        let wanted = Set(self.groups.flatMap { [$0.primary] + $0.replicas })
        for (address, probe) in self.probes where !wanted.contains(address) {
            probe.connection.close()
            self.probes[address] = nil
            self.logger.info("node removed", metadata: ["node": "\(address)"])
        }
        for group in self.groups { self.ensureProbes(group) }
        self.views = Self.makeViews(self.groups, old: self.views)
        self.recompute(force: true)
    }

    /// The snapshot before any check ran: every node usable, replicas readable.
    /// Read once, before `start()`, while nothing else uses the checker.
    public var initialSnapshot: TopologySnapshot {
        TopologySnapshot(version: 0, groups: self.views, slots: self.slots)
    }

    public func start() {
        self.eventLoop.execute {
            for (index, client) in self.sentinels {
                client.watch { event, sentinel in
                    self.switched(event, announcedBy: sentinel, group: index)
                } onFailover: { notice, sentinel in
                    self.failoverNotice(notice, from: sentinel, group: index)
                }
            }
            self.scheduleChecks()
            if let cluster = self.cluster {
                let bound = NIOLoopBound(cluster, eventLoop: self.eventLoop)
                self.clusterTask = self.eventLoop.scheduleRepeatedTask(
                    initialDelay: cluster.settings.refreshInterval, delay: cluster.settings.refreshInterval
                ) { _ in bound.value.ask().whenSuccess { self.apply($0) } }
            }
        }
    }

    private func scheduleChecks() {
        self.task?.cancel()
        self.task = self.eventLoop.scheduleRepeatedTask(
            initialDelay: .zero, delay: .milliseconds(self.configuration.interval)
        ) { _ in
            for probe in self.probes.values { probe.check() }
            for (index, client) in self.sentinels {
                client.ask().whenSuccess { self.apply($0, group: index) }
            }
            // While a shard has no usable primary, watch for the one the cluster promotes.
            if let cluster = self.cluster, self.views.contains(where: { !$0.primary.usable }) {
                cluster.ask().whenSuccess { self.apply($0) }
            }
        }
    }

    /// A configuration reload: static groups take their new primary and replicas (probes start
    /// for new nodes and stop for removed ones), and the health settings apply from the next
    /// check. Nodes keep their health. Sentinel groups keep what the sentinels said.
    public func reconfigure(
        groups newGroups: [GroupDefinition], configuration: HealthConfiguration, upstream: UpstreamConfiguration
    )
        -> EventLoopFuture<Void>
    {
        self.eventLoop.submit {
            let intervalChanged = configuration.interval != self.configuration.interval
            self.configuration = configuration
            self.probeUpstream = Self.probeSettings(upstream, configuration)
            for probe in self.probes.values {
                probe.connection.reconfigure(self.probeUpstream)
                probe.health.setThresholds(
                    rise: configuration.rise, fall: configuration.fall, ejectAfterErrors: configuration.ejectAfterErrors
                )
            }
            // Sentinel groups keep what the sentinels said (their settings change only on restart),
            // and a cluster's shards are what the cluster says.
            for (index, group) in newGroups.enumerated()
            where self.cluster == nil && index < self.groups.count && group.sentinel == nil
                && self.groups[index].sentinel == nil
            {
                self.groups[index] = group
            }
            let known = self.groups.indices.filter { self.sentinels[$0] == nil || self.epochs[$0] != nil }
            let wanted = Set(known.flatMap { [self.groups[$0].primary] + self.groups[$0].replicas })
            for (address, probe) in self.probes where !wanted.contains(address) {
                probe.connection.close()
                self.probes[address] = nil
                self.logger.info("node removed", metadata: ["node": "\(address)"])
            }
            for index in known { self.ensureProbes(self.groups[index]) }
            self.views = Self.makeViews(self.groups, old: self.views)
            self.recompute(force: true)
            if intervalChanged && self.task != nil { self.scheduleChecks() }
        }
    }

    /// Counters for metrics: ejections per node, new primaries followed per group.
    public func counters() -> EventLoopFuture<(ejections: [NodeAddress: Int], failovers: [String: Int])> {
        self.eventLoop.submit { (self.ejections, self.failovers) }
    }

    /// Stops, and returns once the checker has stopped on its loop: it publishes nothing after.
    public func stopAndWait() async {
        self.stop()
        try? await self.eventLoop.submit {}.get()
    }

    public func stop() {
        self.eventLoop.execute {
            self.stopped = true
            self.task?.cancel()
            self.clusterTask?.cancel()
            for probe in self.probes.values { probe.connection.close() }
            for client in self.sentinels.values { client.close() }
            self.cluster?.close()
        }
    }

    /// Live traffic to `address` failed: may eject it before the next check.
    public func reportTrafficFailure(_ address: NodeAddress, reason: String) {
        self.eventLoop.execute {
            guard let probe = self.probes[address] else { return }
            let transition = probe.health.trafficFailed(reason)
            self.apply(transition, probe)
            self.recompute()
        }
    }

    /// The primary refused a write with `-READONLY`: it is no primary. Mark it down, resolve its
    /// name again (a DNS endpoint may now point elsewhere), check it now, and ask the sentinels.
    public func primaryRefusedWrite(_ address: NodeAddress) {
        self.eventLoop.execute {
            guard let probe = self.probes[address], self.groups.contains(where: { $0.primary == address }) else {
                return
            }
            let transition = probe.health.contradicted("refused a write with -READONLY")
            guard transition != .none else { return }
            self.apply(transition, probe)
            self.recompute()
            probe.connection.reconnect(because: "\(address) refused a write with -READONLY; resolving it again")
            probe.check()
            for (index, group) in self.groups.enumerated() where group.primary == address {
                self.sentinels[index]?.ask().whenSuccess { self.apply($0, group: index) }
            }
        }
    }

    // MARK: Results (on eventLoop)

    func checked(_ probe: NodeProbe, role: NodeRole?, error: String?) {
        if let role { probe.role = role }
        let reason = error ?? self.roleProblem(probe)
        if reason == nil, case .tcp(let host, _) = probe.address, !NodeAddress.isIPLiteral(host) {
            probe.resolvedTo = probe.connection.peerIP
        }
        if error == nil, reason != nil, case .tcp(let host, _) = probe.address, !NodeAddress.isIPLiteral(host) {
            // A DNS name whose node plays the wrong role may have been moved: resolve it again.
            probe.connection.reconnect(because: "\(probe.address): \(reason!); resolving it again")
        }
        if error == nil, reason != nil, let cluster = self.cluster {
            // A role that contradicts the slot map may be the cluster's failover: ask it now.
            cluster.ask().whenSuccess { self.apply($0) }
        }
        if error == nil, reason != nil {
            // A role that contradicts what we know may be a failover: ask the sentinels now.
            for (index, group) in self.groups.enumerated()
            where group.sentinel != nil && ([group.primary] + group.replicas).contains(probe.address) {
                self.sentinels[index]?.ask().whenSuccess { self.apply($0, group: index) }
            }
        }
        let transition = reason.map { probe.health.checkFailed($0) } ?? probe.health.checkSucceeded()
        self.apply(transition, probe)
        self.recompute()
    }

    /// A node whose role contradicts the configuration gets no traffic of that kind.
    private func roleProblem(_ probe: NodeProbe) -> String? {
        let configuredPrimary = self.groups.contains { $0.primary == probe.address }
        switch probe.role {
        case .primary:
            if configuredPrimary { return nil }
            // A replica Sentinel is promoting says primary before +switch-master is announced;
            // it holds every write its primary replicated, so while that primary is down it may
            // serve reads (as a stale copy: never preferred over a linked replica).
            if self.primaryIsDown(besides: probe.address) { return nil }
            return "ROLE says primary, but it is configured as a replica"
        case .replica:
            return configuredPrimary ? "ROLE says replica, but it is configured as the primary" : nil
        case .sentinel:
            return "ROLE says sentinel"
        case .unknown:
            return "ROLE gave no usable answer"
        }
    }

    /// Whether the configured primary of the group that lists `replica` is down.
    private func primaryIsDown(besides replica: NodeAddress) -> Bool {
        guard let group = self.groups.first(where: { $0.replicas.contains(replica) }) else { return false }
        return self.probes[group.primary].map { !$0.health.isUsable } ?? false
    }

    private func apply(_ transition: NodeHealth.Transition, _ probe: NodeProbe) {
        switch transition {
        case .none:
            break
        case .wentUp:
            self.logger.info("node up", metadata: ["node": "\(probe.address)", "role": "\(probe.role)"])
        case .wentDown(let reason):
            self.ejections[probe.address, default: 0] += 1
            self.logger.warning("node down", metadata: ["node": "\(probe.address)", "reason": "\(reason)"])
        }
    }

    private func recompute(force: Bool = false) {
        guard !self.stopped else { return }
        var groups = self.views
        for (gi, group) in groups.enumerated() {
            guard let primaryProbe = self.probes[group.primary.address] else { continue }
            var primaryOffset: Int64? = nil
            if case .primary(let offset) = primaryProbe.role { primaryOffset = offset }
            groups[gi].primary = self.view(of: primaryProbe, old: group.primary, primaryOffset: nil)
            if self.failingOver[gi] != nil { groups[gi].primary.usable = false }
            for (ri, replica) in group.replicas.enumerated() {
                groups[gi].replicas[ri] = self.view(
                    of: self.probes[replica.address]!, old: replica, primaryOffset: primaryOffset)
            }
        }
        guard force || groups != self.views else { return }
        for (old, new) in zip(self.views.flatMap { $0.replicas }, groups.flatMap { $0.replicas })
        where old.readable != new.readable && old.usable == new.usable && new.usable {
            self.logger.warning(
                new.readable ? "replica readable again" : "replica not read from (stale)",
                metadata: ["node": "\(new.address)", "lag_bytes": "\(new.lagBytes.map(String.init) ?? "?")"])
        }
        self.views = groups
        self.version += 1
        self.publish(TopologySnapshot(version: self.version, groups: groups, slots: self.slots))
    }

    private func view(of probe: NodeProbe, old: NodeView, primaryOffset: Int64?) -> NodeView {
        var view = old
        view.health = probe.health.state
        view.role = probe.role
        view.lastError = probe.health.lastError
        view.usable = probe.health.isUsable
        view.resolvedTo = probe.resolvedTo
        if old.configuredPrimary {
            view.readable = view.usable
            view.lagBytes = nil
        } else if case .replica(_, _, let linkUp, let offset) = probe.role {
            let lag = primaryOffset.map { Swift.max(0, $0 - offset) }
            view.lagBytes = lag
            view.readable = view.usable && linkUp && (lag ?? 0) <= self.configuration.maxReplicaLagBytes
        } else {
            view.lagBytes = nil
            view.readable = view.usable && probe.health.state == .unknown
        }
        return view
    }
}

/// The check connection of one node.
final class NodeProbe: UpstreamReplyReceiver {
    let address: NodeAddress
    let connection: UpstreamConnection
    var health: NodeHealth
    var role: NodeRole = .unknown
    /// A DNS-named node: the IP address the last passing check reached.
    var resolvedTo: String?
    weak var checker: HealthChecker?
    private var outstanding = false
    private var round: UInt32 = 0

    init(
        address: NodeAddress, eventLoop: EventLoop, upstream: UpstreamConfiguration, logger: Logger, health: NodeHealth
    ) {
        self.address = address
        self.health = health
        self.connection = UpstreamConnection(
            address: address, eventLoop: eventLoop, profile: ConnectionProfile(), configuration: upstream,
            logger: logger)
    }

    static let ping = RESPRequest(["PING"])
    static let role = RESPRequest(["ROLE"])

    func check() {
        // A check still waiting is failed by the connection's own timeout; do not pile up more.
        guard !self.outstanding else { return }
        self.outstanding = true
        self.round &+= 2
        self.connection.send(Self.ping, receiver: self, sequence: self.round)
        self.connection.send(Self.role, receiver: self, sequence: self.round &+ 1)
    }

    func upstreamReply(_ reply: RESPToken, sequence: UInt32) -> Bool {
        guard sequence == self.round &+ 1 || sequence == self.round else { return false }
        if reply.isError {
            // LOADING, MASTERDOWN, or anything else: not healthy.
            self.finish(role: nil, error: reply.string ?? "error")
            return false
        }
        if sequence == self.round &+ 1 {
            self.finish(role: NodeRole(roleReply: reply), error: nil)
        }
        return false
    }

    func upstreamFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
        if self.outstanding { self.finish(role: nil, error: error.message) }
        return false
    }

    func upstreamBatchComplete() {}

    private func finish(role: NodeRole?, error: String?) {
        guard self.outstanding else { return }
        self.outstanding = false
        self.checker?.checked(self, role: role, error: error)
    }
}
