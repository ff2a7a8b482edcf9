import Commands
import NIOCore
import RESP
import Upstream

// SCRIPT KILL and FUNCTION KILL. A runaway script makes its node answer every other command
// with -BUSY, and the shared connections wait behind the script they would stop. So these go to
// every node (a read-only script may run on a replica) on a `.control` connection each, whose
// handshake works while the node is busy, and the client gets one reply.

extension ClientSession {
    func sendControl(_ request: RESPRequest, spec: CommandSpec) {
        if self.transactionPhase == .multi {
            self.rejectInTransaction()
            return self.replyError("ERR Porter: '\(spec.fullName)' inside MULTI is not supported")
        }
        let nodes = self.loop.topology.groups.flatMap { [$0.primary.address] + $0.replicas.map(\.address) }
        let sequence = self.allocateSlot()
        guard !nodes.isEmpty else { return self.reply(sequence, Replies.noUpstream) }
        var profile = ConnectionProfile()
        profile.purpose = .control
        let kill = KillFanOut(session: self, sequence: sequence, nodes: nodes.count)
        for (index, node) in nodes.enumerated() {
            let pool = self.loop.pool(for: node)
            let connection = pool.leaseDedicated(for: profile)
            kill.lent(index, connection, pool)
            connection.send(request, receiver: kill, sequence: UInt32(index))
        }
    }
}

/// The replies of one SCRIPT KILL or FUNCTION KILL sent to every node: OK when any node stopped
/// a script, Redis' NOTBUSY when none ran one, otherwise the first other error (UNKILLABLE: the
/// script has written). Each node's connection goes back to its pool when its reply is in.
final class KillFanOut: UpstreamReplyReceiver {
    weak var session: ClientSession?
    let sequence: UInt32
    private var lent: [(UpstreamConnection, NodePool)?]
    private var remaining: Int
    private var killed = false
    private var notBusy: ByteBuffer?
    private var otherError: ByteBuffer?

    init(session: ClientSession, sequence: UInt32, nodes: Int) {
        self.session = session
        self.sequence = sequence
        self.lent = Array(repeating: nil, count: nodes)
        self.remaining = nodes
    }

    func lent(_ index: Int, _ connection: UpstreamConnection, _ pool: NodePool) {
        self.lent[index] = (connection, pool)
    }

    func upstreamReply(_ reply: RESPToken, sequence part: UInt32) -> Bool {
        if !reply.isError {
            self.killed = true
        } else if reply.string?.hasPrefix("NOTBUSY") == true {
            if self.notBusy == nil { self.notBusy = reply.base }
        } else if self.otherError == nil {
            self.otherError = reply.base
        }
        return self.partDone(Int(part), reusable: true)
    }

    func upstreamFailed(_ error: UpstreamError, sequence part: UInt32) -> Bool {
        if self.otherError == nil {
            var line = ByteBuffer()
            line.writeRESPError("ERR Porter: \(error.message)")
            self.otherError = line
        }
        return self.partDone(Int(part), reusable: false)
    }

    func upstreamBatchComplete() { self.session?.upstreamBatchComplete() }

    private func partDone(_ index: Int, reusable: Bool) -> Bool {
        if index < self.lent.count, let (connection, pool) = self.lent[index] {
            self.lent[index] = nil
            // Released after this reply is taken: the connection is still delivering it.
            connection.eventLoop.execute { pool.release(connection, reusable: reusable) }
        }
        self.remaining -= 1
        guard self.remaining == 0, let session = self.session else { return false }
        let reply = self.killed ? Replies.ok : (self.otherError ?? self.notBusy ?? Replies.noUpstream)
        session.reply(self.sequence, reply)
        return session.wantsBatchComplete()
    }
}
