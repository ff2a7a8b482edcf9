import Commands
import NIOCore
import RESP
import Topology
import Upstream

// Redis Cluster: redirects are followed inside Porter, so a client talks to Porter as to one
// Redis. `-MOVED slot node` patches this loop's slot map (and asks the cluster for the new map)
// and sends the command there; `-ASK slot node` sends `ASKING` and the command to that node for
// this once; `-TRYAGAIN` (a multi-key command during a slot's migration) and `-CLUSTERDOWN` (a
// failover in progress) are tried again every 50 ms, within `write_wait` (at least 1 s).

/// A command in flight to a cluster, kept until its reply so a redirect can send it again.
struct ClusterAttempt {
    var request: RESPRequest
    var redirects = 0
    /// Set by the first TRYAGAIN/CLUSTERDOWN: when trying again stops.
    var deadline: NIODeadline? = nil
}

/// What a cluster's error reply asks of Porter.
enum ClusterRedirect: Equatable {
    case moved(slot: Int, to: NodeAddress)
    case ask(slot: Int, to: NodeAddress)
    case tryAgain

    /// nil for errors that are the command's own.
    init?(_ reply: RESPToken) {
        guard reply.isError, let code = reply.errorCode else { return nil }
        switch code {
        case "MOVED", "ASK":
            guard let text = reply.string else { return nil }
            let parts = text.split(separator: " ")
            guard parts.count >= 3, let slot = Int(parts[1]), let node = NodeAddress(parsing: String(parts[2])) else {
                return nil
            }
            self = code == "MOVED" ? .moved(slot: slot, to: node) : .ask(slot: slot, to: node)
        case "TRYAGAIN", "CLUSTERDOWN":
            self = .tryAgain
        default:
            return nil
        }
    }

    /// Redirects one command may take before the client gets the cluster's error.
    static let limit = 16
    static var retryDelay: TimeAmount { .milliseconds(50) }
}

extension ClientSession {
    static let asking = RESPRequest(["ASKING"])

    /// Handles a cluster's redirect of `attempt` (sent to `receiver` as `sequence`). Returns false
    /// when the reply is not a redirect, or the command has taken enough: the caller passes the
    /// reply on. `keep` stores the updated attempt until the next reply.
    func followCluster(
        _ reply: RESPToken, attempt: ClusterAttempt, receiver: UpstreamReplyReceiver, sequence: UInt32,
        keep: (ClusterAttempt) -> Void
    ) -> Bool {
        guard let redirect = ClusterRedirect(reply) else { return false }
        var attempt = attempt
        if redirect != .tryAgain {
            // MOVED/ASK loops are bounded by count; TRYAGAIN/CLUSTERDOWN by time.
            guard attempt.redirects < ClusterRedirect.limit else { return false }
            attempt.redirects += 1
        }
        self.loop.stats.retries &+= 1
        switch redirect {
        case .moved(let slot, let node):
            self.loop.clusterMoved(slot: slot, to: node)
            keep(attempt)
            self.resend(
                attempt.request, on: self.redirectConnection(node, receiver, sequence: sequence), receiver: receiver,
                sequence: sequence)
        case .ask(_, let node):
            keep(attempt)
            let connection = self.redirectConnection(node, receiver, sequence: sequence)
            connection.send(Self.asking, receiver: IgnoredReply.shared, sequence: 0)
            self.resend(attempt.request, on: connection, receiver: receiver, sequence: sequence)
        case .tryAgain:
            let now = NIODeadline.now()
            let deadline = attempt.deadline ?? (now + Swift.max(self.loop.configuration.writeWait, .seconds(1)))
            guard now < deadline else { return false }
            attempt.deadline = deadline
            keep(attempt)
            self.loop.healthChecker?.refreshCluster()
            let request = attempt.request
            self.loop.eventLoop.assumeIsolated().scheduleTask(in: ClusterRedirect.retryDelay) { [weak self] in
                guard let self, !self.closed else { return }
                // The slot may have a new owner by now.
                let shard = self.shardOfFirstKey(request)
                guard let primary = self.loop.primaryPool(shard)?.address else {
                    // No shard serves it any more: the client gets an error, never silence.
                    _ = receiver.upstreamFailed(
                        UpstreamError(.unreachable, "no shard of the cluster serves the key's slot"), sequence: sequence
                    )
                    return
                }
                self.resend(
                    request, on: self.redirectConnection(primary, receiver, sequence: sequence), receiver: receiver,
                    sequence: sequence)
            }
        }
        return true
    }

    /// The connection a redirected command goes on: a durable write keeps to a connection of
    /// its own (WAIT blocks it), anything else takes the client's shared one.
    func redirectConnection(
        _ node: NodeAddress, _ receiver: UpstreamReplyReceiver, sequence: UInt32
    ) -> UpstreamConnection {
        var profile = self.profile
        if receiver === self, self.tracker.pending[sequence]?.durable == true { profile.purpose = .durableWrites }
        return self.loop.pool(for: node).connection(for: profile, hint: self.id)
    }

    /// Sends a redirected command; a durable write's WAIT follows it on the same connection.
    func resend(
        _ request: RESPRequest, on connection: UpstreamConnection, receiver: UpstreamReplyReceiver, sequence: UInt32
    ) {
        connection.send(request, receiver: receiver, sequence: sequence)
        guard receiver === self, let attempt = self.tracker.redirected(sequence, to: connection) else { return }
        connection.send(
            self.loop.waitRequest, receiver: WaitReplyReceiver(session: self, attempt: attempt), sequence: sequence)
    }

    func shardOfFirstKey(_ request: RESPRequest) -> Int {
        guard let spec = self.table.lookup(request), let key = self.firstKey(request, spec: spec) else { return 0 }
        return self.loop.router.shard(request, key)
    }

    /// A reply of a command sent in cluster mode: true when Porter followed a redirect instead.
    @inline(__always)
    func clusterReplied(_ reply: RESPToken, sequence: UInt32) -> Bool {
        guard let attempt = self.inCluster.removeValue(forKey: sequence) else { return false }
        return self.followCluster(reply, attempt: attempt, receiver: self, sequence: sequence) {
            self.inCluster[sequence] = $0
        }
    }
}
