import AdminAPI
import Commands
import CoreMetrics
import Foundation
import Migration
import Proxy
import Telemetry
import Topology
import Upstream

/// Samples the proxy every `interval`: rates and p99s for the topology view, and every metric
/// for swift-metrics. Requests (a scrape, the console) read the latest sample; a scrape also
/// exports the counters as they are at that moment.
public actor Monitor {
    let proxy: ProxyServer
    let exporter: MetricsExporter
    let interval: Duration
    let readyWithoutPrimary: Bool
    let readyRequiresEveryShard: Bool
    let logLinesDropped: @Sendable () -> Int
    let started = ContinuousClock.now

    private var previous: (at: ContinuousClock.Instant, snapshot: ProxyMetricsSnapshot)?
    private var latest: PorterStatus?
    private var recentRates: [Double] = []
    private var legacyHistogram: LatencyHistogram?
    private var histograms: (commands: [LatencyHistogram], nodes: [NodeAddress: LatencyHistogram]) = ([], [:])
    private(set) var reloads = 0
    private(set) var reloadsRefused = 0
    private var lastReloadError: String?
    public var configPath: String?

    public init(
        proxy: ProxyServer, metricsFactory: any MetricsFactory, interval: Duration = .seconds(1),
        readyWithoutPrimary: Bool = false, readyRequiresEveryShard: Bool = false, configPath: String? = nil,
        logLinesDropped: @escaping @Sendable () -> Int = { 0 }
    ) {
        self.proxy = proxy
        self.exporter = MetricsExporter(factory: metricsFactory)
        self.interval = interval
        self.readyWithoutPrimary = readyWithoutPrimary
        self.readyRequiresEveryShard = readyRequiresEveryShard
        self.configPath = configPath
        self.logLinesDropped = logLinesDropped
    }

    /// Samples every `interval` until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            _ = await self.sample()
            try? await Task.sleep(for: self.interval)
        }
    }

    public func noteReload(_ outcome: ReloadOutcome) {
        if outcome.applied {
            self.reloads += 1
            self.lastReloadError = nil
        } else {
            self.reloadsRefused += 1
            self.lastReloadError = outcome.error
        }
    }

    /// The latest sample (taking one if there is none yet), with the reload counters as they
    /// are now.
    public func status() async -> PorterStatus {
        guard var status = self.latest else { return await self.sample() }
        status.config = self.configStatus
        return status
    }

    private var configStatus: ConfigStatus {
        ConfigStatus(
            path: self.configPath, reloads: self.reloads, reloadsRefused: self.reloadsRefused,
            lastReloadError: self.lastReloadError)
    }

    /// Whether Porter should get traffic, and why not.
    public func readiness() async -> (ready: Bool, reason: String?) {
        self.readiness(await self.proxy.topology())
    }

    private func readiness(_ topology: TopologySnapshot?) -> (ready: Bool, reason: String?) {
        guard self.proxy.isListening else { return (false, "not listening yet") }
        guard let topology else { return (false, "no topology yet") }
        var down: [String] = []
        for group in topology.groups where !group.primary.usable {
            let why = group.primary.lastError.map { ": \($0)" } ?? ""
            if self.readyWithoutPrimary && !group.readableReplicas.isEmpty { continue }
            down.append("group '\(group.name)': primary \(group.primary.address) is down\(why)")
        }
        if down.isEmpty { return (true, nil) }
        // One shard down is degraded, not down: the other shards' sessions still work.
        if down.count < topology.groups.count && !self.readyRequiresEveryShard {
            return (true, "degraded: " + down.joined(separator: "; "))
        }
        return (false, down.joined(separator: "; "))
    }

    /// Exports every metric as it is now (a scrape): the sample the console shows, and its rate
    /// history, stay as the sampler made them.
    public func exportNow() async {
        _ = await self.collect()
    }

    /// What the proxy counted and knows now, exported to swift-metrics.
    private func collect() async -> (ProxyMetricsSnapshot, TopologySnapshot?, [NodeAddress: Int], [String: Int], Int) {
        let snapshot = await self.proxy.metricsSnapshot()
        let topology = await self.proxy.topology()
        let (ejections, failovers) = await self.proxy.healthCounters()
        let dropped = self.logLinesDropped()
        self.export(snapshot, topology: topology, ejections: ejections, failovers: failovers, dropped: dropped)
        return (snapshot, topology, ejections, failovers, dropped)
    }

    /// Takes a sample now: exports every metric and computes rates since the previous sample.
    /// Only the sampler (every `interval`) and tests call it, so the rate window is the interval.
    @discardableResult
    public func sample() async -> PorterStatus {
        let now = ContinuousClock.now
        let (snapshot, topology, ejections, failovers, dropped) = await self.collect()
        let (ready, readyReason) = self.readiness(topology)

        let earlier = self.previous
        let elapsed = earlier.map { (now - $0.at) / .seconds(1) } ?? 0
        /// Per second since the previous sample (0 for the first); `old` is 0 for what is new.
        func rate(_ new: Int, _ old: Int) -> Double {
            guard earlier != nil, elapsed > 0 else { return 0 }
            return Double(Swift.max(0, new - old)) / elapsed
        }
        func p99(_ new: LatencyHistogram, _ old: LatencyHistogram?) -> Double? {
            let window = old.map { new.since($0) } ?? new
            return window.quantile(0.99).map { Double($0) / 1e6 }
        }
        let errors = snapshot.errorReplies
        var classP99: [String: Double] = [:]
        for commandClass in CommandClass.allCases where commandClass.rawValue < snapshot.commandLatency.count {
            let old = earlier?.snapshot.commandLatency[commandClass.rawValue]
            classP99[commandClass.label] = p99(snapshot.commandLatency[commandClass.rawValue], old)
        }
        let traffic = TrafficStatus(
            opsPerSecond: rate(snapshot.stats.commands, earlier?.snapshot.stats.commands ?? 0),
            errorsPerSecond: rate(errors, earlier?.snapshot.errorReplies ?? 0), commands: snapshot.stats.commands,
            errors: errors,
            retries: snapshot.stats.retries, heldWrites: snapshot.stats.heldWrites,
            unconfirmedWrites: snapshot.stats.unconfirmedWrites, upstreamErrors: snapshot.stats.upstreamErrors,
            protocolErrors: snapshot.stats.protocolErrors, p99Milliseconds: classP99)

        var groups: [GroupStatus] = []
        for (index, group) in (topology?.groups ?? []).enumerated() {
            var nodes: [NodeStatus] = []
            for view in [group.primary] + group.replicas {
                let traffic = snapshot.nodes[view.address] ?? NodeTrafficSnapshot()
                let old = earlier?.snapshot.nodes[view.address]?.latency
                nodes.append(
                    NodeStatus(
                        address: "\(view.address)", resolvedTo: view.resolvedTo,
                        configuredRole: view.configuredPrimary ? "primary" : "replica",
                        role: Self.roleLabel(view.role), health: view.health.rawValue, usable: view.usable,
                        readable: view.readable, lagBytes: view.usable ? view.lagBytes : nil,
                        inFlight: traffic.inFlight,
                        lastError: view.lastError,
                        opsPerSecond: rate(traffic.latency.count, old?.count ?? 0),
                        p99Milliseconds: p99(traffic.latency, old), ejections: ejections[view.address] ?? 0,
                        connections: traffic.connections))
            }
            groups.append(
                GroupStatus(
                    name: group.name, failovers: failovers[group.name] ?? 0, slots: topology?.slotRanges(of: index),
                    nodes: nodes))
        }
        if earlier != nil {
            self.recentRates.append(traffic.opsPerSecond)
            if self.recentRates.count > 120 { self.recentRates.removeFirst(self.recentRates.count - 120) }
        }
        let status = PorterStatus(
            version: topology?.version ?? 0, ready: ready, readyReason: readyReason,
            uptimeSeconds: (now - self.started) / .seconds(1),
            sampleIntervalSeconds: self.interval / .seconds(1),
            clients: ClientStatus(
                connected: snapshot.stats.clientsConnected, accepted: snapshot.stats.clientsAccepted,
                rejected: snapshot.stats.clientsRejected),
            traffic: traffic, groups: groups,
            config: self.configStatus,
            logLinesDropped: dropped, recentOpsPerSecond: self.recentRates)
        self.previous = (now, snapshot)
        self.latest = status
        return status
    }

    static func roleLabel(_ role: NodeRole) -> String {
        switch role {
        case .primary: return "primary"
        case .replica: return "replica"
        case .sentinel: return "sentinel"
        case .unknown: return "unknown"
        }
    }

    /// Prometheus text: a fresh export of every counter and gauge through swift-prometheus, and
    /// the histograms.
    public func prometheusText(registryText: @Sendable () -> String) async -> String {
        await self.exportNow()
        var text = HistogramText.addHelp(registryText())
        HistogramText.render(
            PorterMetric.commandDuration,
            series: CommandClass.allCases.compactMap { commandClass in
                guard commandClass.rawValue < self.histograms.commands.count else { return nil }
                return ([commandClass.label], self.histograms.commands[commandClass.rawValue])
            }, into: &text)
        if let legacy = self.legacyHistogram {
            HistogramText.render(PorterMetric.migrationLegacyDuration, series: [([], legacy)], into: &text)
        }
        HistogramText.render(
            PorterMetric.upstreamDuration,
            series: self.histograms.nodes.sorted { "\($0.key)" < "\($1.key)" }.map { (["\($0.key)"], $0.value) },
            into: &text)
        return text
    }

    private func export(
        _ snapshot: ProxyMetricsSnapshot, topology: TopologySnapshot?, ejections: [NodeAddress: Int],
        failovers: [String: Int], dropped: Int
    ) {
        let e = self.exporter
        let stats = snapshot.stats
        e.begin()
        e.gauge(PorterMetric.clientConnections, value: stats.clientsConnected)
        e.counter(PorterMetric.clientConnectionsAccepted, total: stats.clientsAccepted)
        e.counter(PorterMetric.clientConnectionsRejected, total: stats.clientsRejected)
        e.counter(PorterMetric.clientConnectionsMoved, ["handed_off"], total: stats.clientsHandedOff)
        e.counter(PorterMetric.clientConnectionsMoved, ["taken_over"], total: stats.clientsTakenOver)
        let all = CommandTable.shared.all
        for index in 0..<(snapshot.commandCounts.count / 2) {
            let name = index < all.count ? all[index].name : "unknown"
            let ok = snapshot.commandCounts[index * 2]
            let failed = snapshot.commandCounts[index * 2 + 1]
            if ok > 0 { e.counter(PorterMetric.commands, [name, "ok"], total: ok) }
            if failed > 0 { e.counter(PorterMetric.commands, [name, "error"], total: failed) }
        }
        var nodeGroups: [NodeAddress: (group: String, view: NodeView)] = [:]
        for group in topology?.groups ?? [] {
            for view in [group.primary] + group.replicas { nodeGroups[view.address] = (group.name, view) }
        }
        for (address, traffic) in snapshot.nodes {
            let node = "\(address)"
            for state in ["ready", "connecting", "backoff", "idle"] {
                e.gauge(PorterMetric.upstreamConnections, [node, state], value: traffic.connections[state] ?? 0)
            }
            e.gauge(PorterMetric.upstreamInFlight, [node], value: traffic.inFlight)
            e.counter(PorterMetric.upstreamCommands, [node], total: traffic.latency.count)
        }
        for (address, (group, view)) in nodeGroups {
            let node = "\(address)"
            e.gauge(PorterMetric.nodeUp, [group, node], value: view.usable ? 1 : 0)
            for role in ["primary", "replica", "sentinel", "unknown"] {
                e.gauge(PorterMetric.nodeRole, [group, node, role], value: Self.roleLabel(view.role) == role ? 1 : 0)
            }
            // A node that is down has no lag to report (its last offset only falls further behind).
            if view.usable, let lag = view.lagBytes {
                e.gauge(PorterMetric.replicaLag, [group, node], value: Int(lag))
            }
        }
        for (address, count) in ejections { e.counter(PorterMetric.ejections, ["\(address)"], total: count) }
        for (group, count) in failovers { e.counter(PorterMetric.failovers, [group], total: count) }
        e.counter(PorterMetric.retries, total: stats.retries)
        e.counter(PorterMetric.heldWrites, total: stats.heldWrites)
        e.counter(PorterMetric.unconfirmedWrites, total: stats.unconfirmedWrites)
        e.counter(PorterMetric.streamedRequests, total: stats.streamedRequests)
        e.counter(PorterMetric.clientBytes, ["in"], total: stats.bytesIn)
        e.counter(PorterMetric.clientBytes, ["out"], total: stats.bytesOut)
        e.counter(PorterMetric.protocolErrors, total: stats.protocolErrors)
        e.counter(PorterMetric.upstreamErrors, total: stats.upstreamErrors)
        e.counter(PorterMetric.authFailures, total: stats.authFailures)
        e.counter(PorterMetric.requestLimitClosures, ["budget"], total: stats.closedOverBudget)
        e.counter(PorterMetric.requestLimitClosures, ["timeout"], total: stats.closedForTimeout)
        for (key, count) in stats.aclDenied { e.counter(PorterMetric.aclDenied, [key.user, key.reason], total: count) }
        e.counter(PorterMetric.logLinesDropped, total: dropped)
        e.counter(PorterMetric.configReloads, ["applied"], total: self.reloads)
        e.counter(PorterMetric.configReloads, ["refused"], total: self.reloadsRefused)
        if let counters = snapshot.migration { self.exportMigration(counters, snapshot) }
        e.finish()
        self.histograms = (snapshot.commandLatency, snapshot.nodes.mapValues(\.latency))
        self.legacyHistogram = snapshot.migration == nil ? nil : snapshot.legacyLatency
    }

    private func exportMigration(_ c: MigrationCounters, _ snapshot: ProxyMetricsSnapshot) {
        let e = self.exporter
        if let dial = snapshot.migrationDial {
            for stage in MigrationStage.allCases {
                e.gauge(PorterMetric.migrationStage, [stage.rawValue], value: dial.stage == stage ? 1 : 0)
            }
            e.gauge(PorterMetric.migrationPercent, value: Int(dial.percent.rounded()))
        }
        e.gauge(PorterMetric.migrationDialReadable, value: snapshot.migrationDialReadable ? 1 : 0)
        e.counter(PorterMetric.migrationCommands, ["legacy", "read"], total: c.readsOnLegacy)
        e.counter(PorterMetric.migrationCommands, ["legacy", "write"], total: c.writesOnLegacy)
        e.counter(PorterMetric.migrationCommands, ["shadow", "read"], total: c.readsOnShadow)
        e.counter(PorterMetric.migrationCommands, ["shadow", "write"], total: c.writesOnShadow)
        e.counter(PorterMetric.migrationCommands, ["redis_first", "read"], total: c.readsOnRedisFirst)
        e.counter(PorterMetric.migrationCommands, ["redis_first", "write"], total: c.writesOnRedisFirst)
        e.counter(PorterMetric.migrationAlsoWritten, ["ok"], total: c.alsoWritten)
        e.counter(PorterMetric.migrationAlsoWritten, ["error"], total: c.alsoWriteErrors)
        e.counter(PorterMetric.migrationInvalidated, total: c.redisInvalidated)
        e.counter(PorterMetric.migrationShadowReads, ["match"], total: c.shadowMatches)
        e.counter(PorterMetric.migrationShadowReads, ["mismatch"], total: c.shadowMismatches)
        e.counter(PorterMetric.migrationShadowReads, ["missing"], total: c.shadowMissing)
        e.counter(PorterMetric.migrationShadowReads, ["raced"], total: c.shadowRaced)
        e.counter(PorterMetric.migrationShadowReads, ["error"], total: c.shadowErrors)
        e.counter(PorterMetric.migrationReadThroughs, ["copied"], total: c.readThroughs - c.readThroughMisses)
        e.counter(PorterMetric.migrationReadThroughs, ["miss"], total: c.readThroughMisses)
        e.counter(PorterMetric.migrationLegacyErrors, total: c.legacyErrors)
        e.counter(PorterMetric.migrationRefused, total: c.refused)
        e.counter(PorterMetric.migrationBackfilled, total: c.backfilled)
    }
}
