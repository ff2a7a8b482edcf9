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
    /// nil with one group.
    let ring: KeyRing?
    /// The groups, in topology order (a shard is an index into it).
    let names: [String]

    enum Placement: Equatable {
        case keyless
        case one(Int)
        case many
    }

    init(names: [String], weights: [String: Int], sharding: ShardingConfiguration) {
        self.names = names
        if names.count > 1 {
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
        self.init(names: topology.groups.map(\.name), weights: weights, sharding: configuration.sharding)
    }

    var isSharded: Bool { self.ring != nil }
    var count: Int { Swift.max(self.names.count, 1) }

    /// The shard of the key at `key` in `request`'s bytes.
    @inline(__always)
    func shard(_ request: RESPRequest, _ key: (offset: Int, length: Int)) -> Int {
        guard let ring = self.ring else { return 0 }
        return request.bytes.withUnsafeReadableBytes { bytes in
            ring.server(for: UnsafeRawBufferPointer(rebasing: bytes[key.offset..<(key.offset + key.length)]))
        }
    }

    func shard(of key: [UInt8]) -> Int { self.ring?.server(for: key) ?? 0 }

    /// Where the keys of `request` live.
    func placement(_ request: RESPRequest, spec: CommandSpec) -> Placement {
        guard self.ring != nil else { return spec.hasKeys ? .one(0) : .keyless }
        var first: Int? = nil
        var many = false
        spec.forEachKeyIndex(in: request) { index in
            guard !many, let range = request.argumentRange(index) else { return }
            let shard = self.shard(request, range)
            if let first, first != shard { many = true } else { first = shard }
        }
        if many { return self.ring!.isDeterministic ? .many : .one(first!) }
        return first.map { .one($0) } ?? .keyless
    }
}
