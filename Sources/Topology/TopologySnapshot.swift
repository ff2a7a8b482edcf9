import Upstream

/// One node as the proxy sees it at one moment.
public struct NodeView: Sendable, Hashable {
    public let address: NodeAddress
    /// The role the configuration gives it.
    public let configuredPrimary: Bool
    public var health: NodeHealth.State
    public var role: NodeRole
    /// Bytes the replica is behind its primary (nil when unknown).
    public var lagBytes: Int64?
    public var lastError: String?
    /// May it get traffic at all?
    public var usable: Bool
    /// May it serve reads (a replica must also be linked to its primary and not lag too far)?
    public var readable: Bool
    /// A node given by DNS name: the IP address its last passing check reached (nil for an
    /// IP address or a socket path, and before a check passed). The proxy's connections follow it.
    public var resolvedTo: String? = nil
}

public struct GroupView: Sendable, Hashable {
    public let name: String
    public var primary: NodeView
    public var replicas: [NodeView]

    /// Replicas that may serve reads now, in configuration order.
    public var readableReplicas: [NodeAddress] { self.replicas.filter(\.readable).map(\.address) }
}

/// Every group at one moment. Immutable: the health checker makes a new one on every change and
/// each event loop swaps its copy, so the hot path reads it without a lock.
public struct TopologySnapshot: Sendable, Hashable {
    public let version: Int
    public let groups: [GroupView]
    /// Redis Cluster: the group (index into `groups`) of every slot; nil outside cluster mode.
    public let slots: [UInt16]?

    public init(version: Int, groups: [GroupView], slots: [UInt16]? = nil) {
        self.version = version
        self.groups = groups
        self.slots = slots
    }

    /// The slot ranges group `index` serves (cluster mode), e.g. `0-5460, 10923-11000`.
    public func slotRanges(of index: Int) -> String? {
        guard let slots else { return nil }
        var ranges: [String] = []
        var start: Int? = nil
        for slot in 0...slots.count {
            let mine = slot < slots.count && Int(slots[slot]) == index
            if mine && start == nil { start = slot }
            if !mine, let first = start {
                ranges.append(first == slot - 1 ? "\(first)" : "\(first)-\(slot - 1)")
                start = nil
            }
        }
        return ranges.joined(separator: ", ")
    }
}

/// A group as configured.
public struct GroupDefinition: Sendable, Hashable {
    public var name: String
    /// With `sentinel`, the sentinels' answer replaces this (and `replicas`) before Porter listens.
    public var primary: NodeAddress
    public var replicas: [NodeAddress]
    public var sentinel: SentinelSettings?
    /// Its share of keys on the ring (nutcracker's server weight).
    public var weight: Int

    public init(
        name: String, primary: NodeAddress, replicas: [NodeAddress] = [], sentinel: SentinelSettings? = nil,
        weight: Int = 1
    ) {
        self.name = name
        self.primary = primary
        self.replicas = replicas
        self.sentinel = sentinel
        self.weight = weight
    }
}

public struct HealthConfiguration: Sendable, Hashable {
    public var interval: Int64 = 500  // milliseconds
    public var timeout: Int64 = 250
    public var rise = 2
    public var fall = 2
    public var ejectAfterErrors = 3
    /// A replica further behind its primary than this many bytes is not read from.
    public var maxReplicaLagBytes: Int64 = 1024 * 1024

    public init() {}
}
