import NIOCore
import RESP
import Upstream

// The splitter: a command whose keys live on several shards, or that every shard must see, goes
// out as one part per shard; `FanOut` collects the parts' replies and a `SplitMerge` strategy
// (one small type per kind of command, in this folder) makes the client's one reply of them.
//
//   MGET k1 k2 k3 ──▶ part A: MGET k1 k3 ──▶ [v1, v3] ┐
//                 └─▶ part B: MGET k2    ──▶ [v2]     ┴▶ MGetMerge ──▶ [v1, v2, v3]

/// How the replies of a command's parts become the client's reply.
protocol SplitMerge {
    /// `parts[i]` is part i's reply; none is an error (a failed part fails the whole command).
    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer
}

/// One part of a split command: what goes to which shard.
struct SplitPart {
    var shard: Int
    var request: RESPRequest
}

/// Collects the replies of a split command's parts (each part's sequence is its index) and
/// gives the client one reply when the last is in.
final class FanOut: UpstreamReplyReceiver {
    /// Weak: the client may be gone before its parts return.
    weak var session: ClientSession?
    let sequence: UInt32
    let merge: any SplitMerge
    let proto: RESPProtocol
    private var replies: [RESPToken?]
    private var remaining: Int
    /// The first part that failed, as the error the client gets.
    private var failure: ByteBuffer?
    /// Cluster mode: each part as sent, for redirects.
    private var attempts: [ClusterAttempt]
    /// The shard of each part, for the error that names it (names are looked up then).
    private let shards: [Int]

    init(
        session: ClientSession, sequence: UInt32, shards: [Int], merge: any SplitMerge, proto: RESPProtocol,
        clusterRequests: [RESPRequest]? = nil
    ) {
        self.attempts = clusterRequests?.map { ClusterAttempt(request: $0) } ?? []
        self.session = session
        self.sequence = sequence
        self.shards = shards
        let parts = shards.count
        self.merge = merge
        self.proto = proto
        self.replies = Array(repeating: nil, count: parts)
        self.remaining = parts
    }

    func upstreamReply(_ reply: RESPToken, sequence part: UInt32) -> Bool {
        let index = Int(part)
        if reply.isError, index < self.attempts.count, let session = self.session,
            session.followCluster(
                reply, attempt: self.attempts[index], receiver: self, sequence: part,
                keep: { self.attempts[index] = $0 })
        {
            return false
        }
        if reply.isError {
            self.fail(index, reply.string ?? "an error")
        } else if index < self.replies.count {
            self.replies[index] = reply
        }
        return self.partDone()
    }

    func upstreamFailed(_ error: UpstreamError, sequence part: UInt32) -> Bool {
        self.fail(Int(part), error.message)
        return self.partDone()
    }

    func upstreamBatchComplete() { self.session?.upstreamBatchComplete() }

    /// A part that could not be sent at all.
    func partUnsent(_ part: Int, _ why: String) {
        self.fail(part, why)
        _ = self.partDone()
    }

    private func fail(_ part: Int, _ message: String) {
        guard self.failure == nil else { return }
        let shard = part < self.shards.count ? self.shards[part] : -1
        let groups = self.session?.loop.topology.groups ?? []
        let name = shard >= 0 && shard < groups.count ? groups[shard].name : "?"
        var buffer = ByteBuffer()
        buffer.writeRESPError("ERR Porter: shard '\(name)' failed: \(message)")
        self.failure = buffer
    }

    private func partDone() -> Bool {
        self.remaining -= 1
        guard self.remaining == 0, let session = self.session else { return false }
        let reply = self.failure ?? self.merge.merge(self.replies.map { $0! }, proto: self.proto)
        session.reply(self.sequence, reply)
        return session.wantsBatchComplete()
    }
}
