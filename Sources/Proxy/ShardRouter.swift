import Commands
import Hashing
import RESP
import Topology

/// Which shard (group) a command goes to: a pure decision over the command's key bytes. With one
/// group nothing is hashed. With several, each key is hashed once, by twemproxy's ring
/// (`KeyRing`), so a ring moved from nutcracker keeps every key where it was.
///
///   no keys ──▶ .keyless (a fan-out strategy, shard 0, or an error: `Splitter`)
///   keys ──hash each──▶ all on one shard ──▶ .one(shard)
///                      └ on several ──▶ .many (split when the command can be, else -CROSSSLOT)
struct ShardRouter {
    /// nil with one group, and in cluster mode.
    let ring: KeyRing?
    /// Redis Cluster: slot → shard (`ClusterAnswer.unassigned` for none), patched by `MOVED`.
    private(set) var slots: [UInt16]?
    /// The groups, in topology order (a shard is an index into it).
    let names: [String]

    enum Placement: Equatable {
        case keyless
        case one(Int)
        case many
    }

    init(names: [String], weights: [String: Int], sharding: ShardingConfiguration, slots: [UInt16]? = nil) {
        self.names = names
        self.slots = slots
        if slots == nil && names.count > 1 {
            self.ring = KeyRing(
                servers: names.map { KeyRing.Server(identity: $0, weight: weights[$0] ?? 1) }, hash: sharding.hash,
                distribution: sharding.distribution, hashTag: sharding.hashTag)
        } else {
            self.ring = nil
        }
    }

    init(topology: TopologySnapshot, configuration: ProxyConfiguration) {
        var weights: [String: Int] = [:]
        for group in configuration.groups { weights[group.name] = group.weight }
        self.init(
            names: topology.groups.map(\.name), weights: weights, sharding: configuration.sharding,
            slots: configuration.cluster == nil ? nil : (topology.slots ?? []))
    }

    var isSharded: Bool { self.ring != nil || self.slots != nil }
    var isCluster: Bool { self.slots != nil }

    /// A `MOVED`: the slot is served by `shard` now.
    mutating func moved(slot: Int, to shard: Int) {
        guard let count = self.slots?.count, slot < count else { return }
        self.slots![slot] = UInt16(shard)
    }

    /// The slot of a key (cluster mode).
    @inline(__always)
    func slot(_ request: RESPRequest, _ key: (offset: Int, length: Int)) -> Int {
        request.bytes.withUnsafeReadableBytes { bytes in
            ClusterSlot.slot(UnsafeRawBufferPointer(rebasing: bytes[key.offset..<(key.offset + key.length)]))
        }
    }

    /// The shard serving `slot` (shard 0 while the slot map is not known).
    @inline(__always)
    func shard(ofSlot slot: Int) -> Int {
        guard let slots = self.slots, slot < slots.count, slots[slot] != ClusterAnswer.unassigned else { return 0 }
        return Int(slots[slot])
    }
    var count: Int { Swift.max(self.names.count, 1) }

    /// The shard of the key at `key` in `request`'s bytes.
    @inline(__always)
    func shard(_ request: RESPRequest, _ key: (offset: Int, length: Int)) -> Int {
        if self.slots != nil { return self.shard(ofSlot: self.slot(request, key)) }
        guard let ring = self.ring else { return 0 }
        return request.bytes.withUnsafeReadableBytes { bytes in
            ring.server(for: UnsafeRawBufferPointer(rebasing: bytes[key.offset..<(key.offset + key.length)]))
        }
    }

    func shard(of key: [UInt8]) -> Int {
        if self.slots != nil { return key.withUnsafeBytes { self.shard(ofSlot: ClusterSlot.slot($0)) } }
        return self.ring?.server(for: key) ?? 0
    }

    /// The part of a split command a key goes in, and its shard: in cluster mode keys of one
    /// slot go together (a node refuses a multi-key command over several slots, even its own),
    /// else keys of one shard.
    @inline(__always)
    func part(_ request: RESPRequest, _ key: (offset: Int, length: Int)) -> (part: Int, shard: Int) {
        if self.slots != nil {
            let slot = self.slot(request, key)
            return (slot, self.shard(ofSlot: slot))
        }
        let shard = self.shard(request, key)
        return (shard, shard)
    }

    /// Where the keys of `request` live: every key in one part (one slot in cluster mode, one
    /// shard on a ring) is `.one`, else `.many`.
    func placement(_ request: RESPRequest, spec: CommandSpec) -> Placement {
        guard self.isSharded else { return spec.hasKeys ? .one(0) : .keyless }
        var first: (part: Int, shard: Int)? = nil
        var many = false
        spec.forEachKeyRange(in: request) { _, offset, length in
            guard !many else { return }
            let place = self.part(request, (offset, length))
            if let first, first.part != place.part { many = true } else { first = place }
        }
        // With `random`, keys have no fixed place: the command goes wherever its first key went.
        if many, let first, let ring = self.ring, !ring.isDeterministic { return .one(first.shard) }
        if many { return .many }
        return first.map { .one($0.shard) } ?? .keyless
    }
}
