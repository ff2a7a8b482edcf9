import Commands
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
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in key.offset..<(key.offset + key.length) {
                h ^= UInt64(bytes[i])
                h = h &* 0x100_0000_01b3
            }
            return h
        }
    }

    func noteWrites(_ request: RESPRequest, spec: CommandSpec) {
        guard self.loop.readYourWritesWindow > .zero else { return }
        spec.forEachKeyIndex(in: request) { index in
            if let range = request.argumentRange(index) { self.loop.noteWrite(self.keyHash(request, range)) }
        }
    }

    /// This client's shared connection to the current primary. Looked up once per (profile,
    /// primary, failure), not per command: writes and the reachability test of reads share it.
    func primaryConnection() -> UpstreamConnection? {
        if let connection = self.sharedConnection, !connection.isFailing,
            self.sharedGeneration == self.loop.primaryGeneration
        {
            return connection
        }
        guard let pool = self.loop.primaryPool else { return nil }
        let connection = pool.connection(for: self.profile, hint: self.id)
        self.sharedConnection = connection
        self.sharedGeneration = self.loop.primaryGeneration
        return connection
    }

    func isPrimaryReachable(_ group: GroupView) -> Bool {
        group.primary.usable && !(self.primaryConnection()?.isFailing ?? true)
    }

    /// phpredis re-reads `<session key>_LOCK` before writing the session and compares it.
    static let lockSuffix: [UInt8] = Array("_LOCK".utf8)

    /// Where a read goes: by the policy of its key's prefix; lock keys, and keys this Porter just
    /// wrote, always to the primary while it is reachable.
    func readTarget(_ request: RESPRequest, spec: CommandSpec, group: GroupView) -> NodeAddress {
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
            primaryReachable: { self.isPrimaryReachable(group) })
    }

    /// Another node for a read that failed on `node`.
    func alternateReadTarget(excluding node: NodeAddress) -> NodeAddress? {
        guard let group = self.loop.topology.groups.first else { return nil }
        return ReadRouting.alternate(
            group: group, excluding: node, cursor: &self.loop.readCursor,
            primaryReachable: { self.isPrimaryReachable(group) })
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
        guard !pending.retried, let group = self.loop.topology.groups.first else { return false }
        let fromReplica = pending.node != group.primary.address
        // A replica's nil may be a write it has not received yet: ask the primary before saying
        // the session does not exist.
        if fromReplica && Self.isNil(reply) && self.isPrimaryReachable(group) {
            self.sendRead(pending.request, to: group.primary.address, sequence: sequence, retried: true)
            return true
        }
        if self.loop.configuration.retryReads && Self.isRetryableError(reply),
            let other = self.alternateReadTarget(excluding: pending.node)
        {
            self.sendRead(pending.request, to: other, sequence: sequence, retried: true)
            return true
        }
        return false
    }
}
