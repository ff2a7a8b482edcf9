import Commands
import Hashing
import NIOCore
import RESP
import Topology
import Upstream

// The session's side of routing: the key of a request, the connection to the primary, and
// reads sent where `ReadRouting` says, retried once elsewhere.

extension ClientSession {
    /// The first key of a request, as a range of its bytes.
    func firstKey(_ request: RESPRequest, spec: CommandSpec) -> (offset: Int, length: Int)? {
        var index: Int? = nil
        spec.forEachKeyIndex(in: request) { if index == nil { index = $0 } }
        return index.flatMap { request.argumentRange($0) }
    }

    func keyHash(_ request: RESPRequest, _ key: (offset: Int, length: Int)) -> UInt64 {
        request.bytes.withUnsafeReadableBytes { bytes in
            FNV1a64.hash(UnsafeRawBufferPointer(rebasing: bytes[key.offset..<(key.offset + key.length)]))
        }
    }

    func noteWrites(_ request: RESPRequest, spec: CommandSpec) {
        guard self.loop.readYourWritesWindow > .zero else { return }
        spec.forEachKeyRange(in: request) { _, offset, length in
            self.loop.noteWrite(self.keyHash(request, (offset, length)))
        }
    }

    /// This client's shared connection to the current primary. Looked up once per (profile,
    /// primary, failure), not per command: writes and the reachability test of reads share it.
    @inline(__always)
    func primaryConnection(_ shard: Int) -> UpstreamConnection? {
        if self.sharedGeneration == self.loop.primaryGeneration, shard < self.shared.count,
            let connection = self.shared[shard], !connection.isFailing
        {
            return connection
        }
        return self.lookUpPrimaryConnection(shard)
    }

    func lookUpPrimaryConnection(_ shard: Int) -> UpstreamConnection? {
        if self.sharedGeneration != self.loop.primaryGeneration {
            self.shared.removeAll(keepingCapacity: true)
            self.sharedGeneration = self.loop.primaryGeneration
        }
        guard let pool = self.loop.primaryPool(shard) else { return nil }
        let connection = pool.connection(for: self.profile, hint: self.id)
        if self.shared.count <= shard { self.shared += Array(repeating: nil, count: shard + 1 - self.shared.count) }
        self.shared[shard] = connection
        return connection
    }

    /// For reads: `readable`, which is `usable` except while a sentinel fails the primary over
    /// (writes wait then, reads still go to it: a replica may lag).
    func isPrimaryReachable(_ group: GroupView, shard: Int) -> Bool {
        group.primary.readable && !(self.primaryConnection(shard)?.isFailing ?? true)
    }

    /// phpredis re-reads `<session key>_LOCK` before writing the session and compares it.
    static let lockSuffix: [UInt8] = Array("_LOCK".utf8)

    /// Where a read goes: by the policy of its key's prefix; lock keys, and keys this Porter just
    /// wrote, always to the primary while it is reachable.
    func readTarget(_ request: RESPRequest, spec: CommandSpec, group: GroupView, shard: Int) -> NodeAddress {
        let configuration = self.loop.configuration
        var policy = configuration.readPolicy
        var preferPrimary = false
        if let key = self.firstKey(request, spec: spec) {
            preferPrimary = request.bytes.withUnsafeReadableBytes { bytes -> Bool in
                let keyBytes = UnsafeRawBufferPointer(rebasing: bytes[key.offset..<(key.offset + key.length)])
                policy = ReadRouting.policy(key: keyBytes, routes: configuration.readRoutes, defaultPolicy: policy)
                return Self.hasLockSuffix(bytes, key)
            }
            if !preferPrimary && policy != .primary && self.loop.wroteRecently(self.keyHash(request, key)) {
                preferPrimary = true
            }
        }
        return ReadRouting.target(
            group: group, policy: policy, preferPrimary: preferPrimary, cursor: &self.loop.readCursor,
            primaryReachable: { self.isPrimaryReachable(group, shard: shard) })
    }

    /// Another node of the shard for a read that failed on `node`.
    func alternateReadTarget(excluding node: NodeAddress, shard: Int) -> NodeAddress? {
        let groups = self.loop.topology.groups
        guard shard < groups.count else { return nil }
        let group = groups[shard]
        return ReadRouting.alternate(
            group: group, excluding: node, cursor: &self.loop.readCursor,
            primaryReachable: { self.isPrimaryReachable(group, shard: shard) })
    }

    static func isNil(_ reply: RESPToken) -> Bool {
        reply.base.withUnsafeReadableBytes { b in
            (b[0] == UInt8(ascii: "_"))
                || ((b[0] == UInt8(ascii: "$") || b[0] == UInt8(ascii: "*")) && b[1] == UInt8(ascii: "-"))
        }
    }

    static func isRetryableError(_ reply: RESPToken) -> Bool {
        guard reply.isError, let code = reply.errorCode else { return false }
        return code == "LOADING" || code == "MASTERDOWN" || code == "TRYAGAIN"
    }

    /// Handles a reply to a tracked read. Returns true when the read was sent again instead.
    func retriedRead(_ reply: RESPToken, sequence: UInt32) -> Bool {
        guard let pending = self.pendingReads.removeValue(forKey: sequence) else { return false }
        let groups = self.loop.topology.groups
        guard !pending.retried, pending.shard < groups.count else { return false }
        let group = groups[pending.shard]
        let fromReplica = pending.node != group.primary.address
        // A replica's nil may be a write it has not received yet: ask the primary before saying
        // the session does not exist.
        if fromReplica && Self.isNil(reply) && self.isPrimaryReachable(group, shard: pending.shard) {
            self.sendRead(
                pending.request, to: group.primary.address, shard: pending.shard, sequence: sequence, retried: true)
            return true
        }
        if self.loop.configuration.retryReads && Self.isRetryableError(reply),
            let other = self.alternateReadTarget(excluding: pending.node, shard: pending.shard)
        {
            self.sendRead(pending.request, to: other, shard: pending.shard, sequence: sequence, retried: true)
            return true
        }
        return false
    }
}
