import Topology
import Upstream

/// Where a read goes within one group (shard): a pure decision over the group's snapshot, the
/// read's policy and what the session knows of the key. The session supplies whether the primary
/// is reachable lazily (it costs a pool lookup), and a round-robin cursor.
///
///   policy of the key's prefix ──┐
///   lock key / written moments ago ──▶ primary, while reachable
///   otherwise by policy: primary | readable replicas then primary | any readable node
///   primary unreachable ──▶ a readable replica, else an up-but-stale one (the freshest copy)
enum ReadRouting {
    /// The policy of the first route whose prefix starts the key, else `defaultPolicy`.
    static func policy(
        key: UnsafeRawBufferPointer, routes: [ReadRoute], defaultPolicy: ReadPolicy
    ) -> ReadPolicy {
        for route in routes where key.count >= route.prefix.count {
            if route.prefix.indices.allSatisfy({ key[$0] == route.prefix[$0] }) { return route.policy }
        }
        return defaultPolicy
    }

    /// The node for a read. `preferPrimary`: a lock key, or one this Porter wrote moments ago.
    @inline(__always)
    static func target(
        group: GroupView, policy: ReadPolicy, preferPrimary: Bool, cursor: inout Int,
        primaryReachable: () -> Bool
    ) -> NodeAddress {
        let primary = group.primary.address
        if preferPrimary && primaryReachable() { return primary }
        switch policy {
        case .primary:
            return primaryReachable() ? primary : (self.replica(group, orStale: true, cursor: &cursor) ?? primary)
        case .replicasThenPrimary:
            if let replica = self.replica(group, cursor: &cursor) { return replica }
            return primaryReachable() ? primary : (self.replica(group, orStale: true, cursor: &cursor) ?? primary)
        case .any:
            return self.roundRobin(
                group.replicas, includePrimary: primaryReachable() ? primary : nil, cursor: &cursor, where: \.readable)
                ?? primary
        }
    }

    /// Another node for a read that failed on `node`: the primary for a replica, a replica for
    /// the primary (a stale one too, when the primary failed: the freshest copy there is).
    static func alternate(
        group: GroupView, excluding node: NodeAddress, cursor: inout Int, primaryReachable: () -> Bool
    ) -> NodeAddress? {
        if node != group.primary.address && primaryReachable() { return group.primary.address }
        return self.replica(group, excluding: node, orStale: node == group.primary.address, cursor: &cursor)
    }

    /// The next replica to read from, round robin: a readable one; when `orStale`, one that is
    /// up but behind or unlinked.
    static func replica(
        _ group: GroupView, excluding: NodeAddress? = nil, orStale: Bool = false, cursor: inout Int
    ) -> NodeAddress? {
        if let replica = self.roundRobin(
            group.replicas, includePrimary: nil, cursor: &cursor, where: { $0.readable && $0.address != excluding })
        {
            return replica
        }
        guard orStale else { return nil }
        return self.roundRobin(
            group.replicas, includePrimary: nil, cursor: &cursor, where: { $0.usable && $0.address != excluding })
    }

    /// Round robin over the nodes that pass `accept` (and `includePrimary`, when given), without
    /// building a list: this runs for every read.
    static func roundRobin(
        _ replicas: [NodeView], includePrimary primary: NodeAddress?, cursor: inout Int,
        where accept: (NodeView) -> Bool
    ) -> NodeAddress? {
        var count = primary == nil ? 0 : 1
        for replica in replicas where accept(replica) { count += 1 }
        guard count > 0 else { return nil }
        cursor &+= 1
        var pick = cursor % count
        if let primary {
            if pick == 0 { return primary }
            pick -= 1
        }
        for replica in replicas where accept(replica) {
            if pick == 0 { return replica.address }
            pick -= 1
        }
        return nil
    }
}
