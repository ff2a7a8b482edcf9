import Commands
import NIOCore
import RESP
import Topology
import Upstream

// The session's side of sharding (several groups): a command goes to the shard of its keys; a
// multi-key command whose keys live on several shards is split (MGET, MSET, DEL, UNLINK, EXISTS,
// TOUCH) or refused with -CROSSSLOT; keyless commands that every shard must see are fanned out;
// a transaction binds to the shard of its first keyed command.

extension ClientSession {
    /// The shard for `request`, or nil when it was answered here (split, fanned out, refused).
    func routeSharded(_ request: RESPRequest, spec: CommandSpec?) -> Int? {
        let placement = spec.map { self.loop.router.placement(request, spec: $0) } ?? .keyless
        if let dedicated = self.transaction.lease {
            switch placement {
            case .one(let shard) where shard != dedicated.shard:
                return self.refuseCrossSlot()
            case .many:
                return self.refuseCrossSlot()
            default:
                return dedicated.shard
            }
        }
        if self.transaction.isMultiPending {
            switch placement {
            case .many: return self.refuseCrossSlot()
            case .one(let shard): return self.bindPendingTransaction(to: shard)
            case .keyless: return self.bindPendingTransaction(to: 0)
            }
        }
        switch placement {
        case .one(let shard):
            return shard
        case .many:
            guard let spec else { return 0 }
            self.split(request, spec: spec)
            return nil
        case .keyless:
            guard let spec else { return 0 }
            return self.fanOutKeyless(request, spec: spec) ? nil : 0
        }
    }

    func refuseCrossSlot() -> Int? {
        self.rejectInTransaction()
        self.replyStatic(Replies.crossSlot)
        return nil
    }

    /// WATCH's shard: that of its keys (nil, and -CROSSSLOT, when they are on several).
    func watchShard(_ request: RESPRequest) -> Int? {
        guard let spec = self.table.lookup(request) else { return 0 }
        switch self.loop.router.placement(request, spec: spec) {
        case .one(let shard): return shard
        case .keyless: return 0
        case .many:
            self.replyStatic(Replies.crossSlot)
            return nil
        }
    }

    /// The first command of a MULTI answered before its shard was known: lease a connection
    /// there and send MULTI first (its +OK was given already).
    func bindPendingTransaction(to shard: Int) -> Int? {
        guard let dedicated = self.leaseDedicated(shard) else {
            self.replyStatic(Replies.noUpstream)
            return nil
        }
        self.transaction.began(dedicated, multi: true)
        dedicated.connection.send(Self.multiRequest, receiver: IgnoredReply.shared, sequence: 0)
        return shard
    }

    static let multiRequest = RESPRequest(["MULTI"])

    // MARK: Multi-key commands across shards

    /// Splits a multi-key command by the shard of each key, or refuses it (Redis Cluster's
    /// -CROSSSLOT) when it cannot be split: its keys must be together (MSETNX, RENAME, SUNIONSTORE,
    /// EVAL, …).
    func split(_ request: RESPRequest, spec: CommandSpec) {
        let step: Int
        let kind = spec.id < Self.splitKinds.count ? Self.splitKinds[spec.id] : nil
        switch kind {
        case .mget, .sum:
            step = 1
        case .mset:
            guard request.count % 2 == 1 else {
                return self.replyError("ERR wrong number of arguments for 'mset' command")
            }
            step = 2
        case nil:
            self.rejectInTransaction()
            return self.replyStatic(Replies.crossSlot)
        }
        let router = self.loop.router
        let split = KeyedSplit(request, firstKey: 1, step: step) { offset, length in
            router.part(request, (offset, length))
        }
        if spec.isWrite && self.loop.hasReplicas { self.noteWrites(request, spec: spec) }
        let merge: any SplitMerge
        switch kind {
        case .mget: merge = MGetMerge(positions: split.positions)
        case .mset: merge = SameReplyMerge()
        case .sum, nil: merge = SumMerge()
        }
        self.send(split.parts, spec: spec, merge: merge)
    }

    /// The multi-key commands Porter splits, and how their parts' replies merge.
    enum SplitKind {
        case mget, mset, sum
    }

    /// By command id (`CommandSpec.id`), made once from the table: no name compared per command.
    static let splitKinds: [SplitKind?] = CommandTable.shared.all.map { spec in
        switch spec.name {
        case "mget": return .mget
        case "mset": return .mset
        case "del", "unlink", "exists", "touch": return .sum
        default: return nil
        }
    }

    // MARK: Keyless commands

    /// Keyless commands: those every shard must see are sent to each; SCAN walks the shards
    /// in turn; INFO gets Porter's section. Returns false for shard 0 (read-only and harmless
    /// anywhere: TIME, PUBLISH, EVAL without keys, …); writes and admin commands that cannot be
    /// fanned out are refused, naming the command.
    func fanOutKeyless(_ request: RESPRequest, spec: CommandSpec) -> Bool {
        let everyShard = (0..<self.loop.router.count).map { SplitPart(shard: $0, request: request) }
        switch spec.name {
        case "dbsize": self.send(everyShard, spec: spec, merge: SumMerge())
        case "keys": self.send(everyShard, spec: spec, merge: ConcatenationMerge())
        case "randomkey": self.send(everyShard, spec: spec, merge: AnyKeyMerge())
        case "flushdb", "flushall", "script|flush", "script|load":
            self.send(everyShard, spec: spec, merge: SameReplyMerge())
        case "script|exists": self.send(everyShard, spec: spec, merge: AllOfMerge())
        case "scan":
            guard let cursor = request.string(1),
                let (shard, own) = ScanMerge.decode(cursor, shards: self.loop.router.count)
            else {
                self.replyError("ERR invalid cursor")
                return true
            }
            var arguments = request.arguments
            arguments[1] = ByteBuffer(string: String(own))
            self.send(
                [SplitPart(shard: shard, request: RESPRequest(arguments))], spec: spec,
                merge: ScanMerge(shard: shard, shards: self.loop.router.count))
        case "info":
            self.send(
                [SplitPart(shard: 0, request: request)], spec: spec, merge: InfoMerge(section: self.infoSection()))
        default:
            guard spec.isWrite || spec.flags.contains(.admin) else { return false }
            self.rejectInTransaction()
            self.replyError(
                "ERR Porter: '\(spec.fullName)' has no key to choose one of the \(self.loop.router.count) shards by, and Porter does not send it to every shard"
            )
        }
        return true
    }

    /// `# Porter` in INFO: the shards and their primaries.
    func infoSection() -> String {
        var text = "\r\n# Porter\r\nporter_shards:\(self.loop.router.count)\r\n"
        for (index, group) in self.loop.topology.groups.enumerated() {
            text +=
                "porter_shard\(index):name=\(group.name),primary=\(group.primary.address),up=\(group.primary.usable ? 1 : 0),replicas=\(group.replicas.count)\r\n"
        }
        return text
    }

    // MARK: Sending the parts

    /// Sends each part to its shard (a read to where the read policy says, a write to the
    /// primary) and gives the client the merged reply in this command's slot.
    func send(_ parts: [SplitPart], spec: CommandSpec, merge: any SplitMerge) {
        let sequence = self.allocateSlot()
        let groups = self.loop.topology.groups
        let fanOut = FanOut(
            session: self, sequence: sequence, shards: parts.map(\.shard), merge: merge, proto: self.profile.proto,
            clusterRequests: self.loop.router.isCluster ? parts.map(\.request) : nil)
        for (index, part) in parts.enumerated() {
            guard part.shard < groups.count else {
                fanOut.partUnsent(index, "the shard is gone (reload)")
                continue
            }
            let connection: UpstreamConnection?
            if spec.isReadOnly && self.loop.hasReplicas {
                let node = self.readTarget(part.request, spec: spec, group: groups[part.shard], shard: part.shard)
                connection = self.loop.pool(for: node).connection(for: self.profile, hint: self.id)
            } else {
                connection = self.primaryConnection(part.shard)
            }
            guard let connection else {
                fanOut.partUnsent(index, "no connection to its primary")
                continue
            }
            connection.send(part.request, receiver: fanOut, sequence: UInt32(index))
        }
    }
}

/// Takes a reply nobody waits for (the MULTI sent ahead of a bound transaction's first command).
final class IgnoredReply: UpstreamReplyReceiver, Sendable {
    static let shared = IgnoredReply()
    func upstreamReply(_ reply: RESPToken, sequence: UInt32) -> Bool { false }
    func upstreamFailed(_ error: UpstreamError, sequence: UInt32) -> Bool { false }
    func upstreamBatchComplete() {}
}
