import Logging
import NIOCore
import RESP
import Upstream

/// `upstream.cluster`: Porter in front of a Redis Cluster, found from its seed nodes.
public struct ClusterSettings: Sendable, Hashable {
    public var seeds: [NodeAddress]
    /// How often the slot map is asked for again (also at once on a `MOVED`, and every health
    /// interval while a shard has no usable primary).
    public var refreshInterval: TimeAmount

    public init(seeds: [NodeAddress], refreshInterval: TimeAmount = .seconds(5)) {
        self.seeds = seeds
        self.refreshInterval = refreshInterval
    }
}

/// The cluster's shards as `CLUSTER SLOTS` gives them: one group per primary (with its replicas),
/// in the order of their lowest slot, so a shard keeps its index across a failover (its slots
/// stay), and the owner of every slot.
public struct ClusterAnswer: Sendable, Equatable {
    public var groups: [GroupDefinition]
    /// Slot → index into `groups`; `unassigned` for a slot no node serves.
    public var slots: [UInt16]

    public static let unassigned = UInt16.max
    public static let slotCount = 16384

    /// Parses `CLUSTER SLOTS` (`[[start, end, [host, port, id…], replica…], …]`). A node listed
    /// with an empty host is the one asked (`askedHost`).
    public init?(slotsReply reply: RESPToken, askedHost: String) {
        guard let ranges = reply.elements else { return nil }
        struct Shard {
            var primary: NodeAddress
            var replicas: [NodeAddress]
            var ranges: [(Int, Int)]
        }
        var shards: [NodeAddress: Shard] = [:]
        func node(_ token: RESPToken) -> NodeAddress? {
            guard let parts = token.elements, parts.count >= 2, let host = parts[0].string,
                let port = parts[1].integer.map(Int.init), port > 0
            else { return nil }
            return .tcp(host: host.isEmpty ? askedHost : host, port: port)
        }
        for range in ranges {
            guard let parts = range.elements, parts.count >= 3, let start = parts[0].integer.map(Int.init),
                let end = parts[1].integer.map(Int.init), 0 <= start, start <= end, end < Self.slotCount,
                let primary = node(parts[2])
            else { return nil }
            var shard = shards[primary] ?? Shard(primary: primary, replicas: [], ranges: [])
            shard.ranges.append((start, end))
            for replica in parts.dropFirst(3).compactMap(node) where !shard.replicas.contains(replica) {
                shard.replicas.append(replica)
            }
            shards[primary] = shard
        }
        let ordered = shards.values.sorted { $0.ranges.map(\.0).min()! < $1.ranges.map(\.0).min()! }
        self.slots = Array(repeating: Self.unassigned, count: Self.slotCount)
        self.groups = []
        for (index, shard) in ordered.enumerated() {
            let first = shard.ranges.min { $0.0 < $1.0 }!
            self.groups.append(
                GroupDefinition(name: "slots \(first.0)-\(first.1)", primary: shard.primary, replicas: shard.replicas))
            for (start, end) in shard.ranges {
                for slot in start...end { self.slots[slot] = UInt16(index) }
            }
        }
    }
}

/// Asks the cluster for its slot map: `CLUSTER SLOTS` on a seed, or on a node it listed, moving
/// on to the next when one fails. One question at a time; callers share its answer.
final class ClusterClient: UpstreamReplyReceiver {
    let settings: ClusterSettings
    let eventLoop: EventLoop
    private let upstream: UpstreamConfiguration
    private let logger: Logger
    private var connections: [NodeAddress: UpstreamConnection] = [:]
    /// Where to ask: the seeds, then every node the last answer named.
    private var candidates: [NodeAddress]
    private var current = 0
    private var round: UInt32 = 0
    private var asked: NodeAddress?
    private var promise: EventLoopPromise<ClusterAnswer>?

    init(settings: ClusterSettings, eventLoop: EventLoop, upstream: UpstreamConfiguration, logger: Logger) {
        self.settings = settings
        self.eventLoop = eventLoop
        var config = upstream
        config.clientName = "porter-cluster"
        config.clusterReadOnly = false
        self.upstream = config
        self.logger = logger
        self.candidates = settings.seeds
    }

    var tries: Int { Swift.max(1, self.candidates.count) }

    func ask() -> EventLoopFuture<ClusterAnswer> {
        self.eventLoop.preconditionInEventLoop()
        if let pending = self.promise { return pending.futureResult }
        let promise = self.eventLoop.makePromise(of: ClusterAnswer.self)
        self.promise = promise
        self.round &+= 1
        let address = self.candidates[self.current % self.candidates.count]
        self.asked = address
        let connection =
            self.connections[address]
            ?? {
                let made = UpstreamConnection(
                    address: address, eventLoop: self.eventLoop, profile: ConnectionProfile(),
                    configuration: self.upstream, logger: self.logger)
                self.connections[address] = made
                return made
            }()
        connection.send(Self.clusterSlots, receiver: self, sequence: self.round)
        return promise.futureResult
    }

    static let clusterSlots = RESPRequest(["CLUSTER", "SLOTS"])

    /// The nodes of an answer become candidates too (the seeds stay first).
    func learned(_ answer: ClusterAnswer) {
        var candidates = self.settings.seeds
        for group in answer.groups {
            for node in [group.primary] + group.replicas where !candidates.contains(node) { candidates.append(node) }
        }
        self.candidates = candidates
        for (address, connection) in self.connections where !candidates.contains(address) {
            connection.close()
            self.connections[address] = nil
        }
    }

    func close() {
        for connection in self.connections.values { connection.close() }
    }

    private func finish(_ result: Result<ClusterAnswer, Error>) {
        let promise = self.promise
        self.promise = nil
        if case .failure = result { self.current += 1 }
        promise?.completeWith(result)
    }

    func upstreamReply(_ reply: RESPToken, sequence: UInt32) -> Bool {
        guard sequence == self.round, self.promise != nil else { return false }
        var host = ""
        if case .tcp(let h, _) = self.asked { host = h }
        if let answer = ClusterAnswer(slotsReply: reply, askedHost: host), !answer.groups.isEmpty {
            self.finish(.success(answer))
        } else {
            let what = reply.isError ? (reply.string ?? "an error") : "no slots assigned"
            self.finish(
                .failure(
                    TopologyError(message: "\(self.asked.map { "\($0)" } ?? "?") answered CLUSTER SLOTS with \(what)")))
        }
        return false
    }

    func upstreamFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
        if sequence == self.round { self.finish(.failure(TopologyError(message: error.message))) }
        return false
    }

    func upstreamBatchComplete() {}
}
