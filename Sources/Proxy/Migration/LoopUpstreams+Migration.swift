import Logging
import NIOCore
import RESP
import Upstream

/// Takes the reply of a command Porter sends on its own behalf (a migration's mirror write,
/// shadow read, read-through copy; the shared dial).
final class SideReply: UpstreamReplyReceiver {
    let done: (Result<RESPToken, UpstreamError>) -> Void

    init(_ done: @escaping (Result<RESPToken, UpstreamError>) -> Void) { self.done = done }

    func upstreamReply(_ reply: RESPToken, sequence: UInt32) -> Bool {
        self.done(.success(reply))
        return false
    }

    func upstreamFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
        self.done(.failure(error))
        return false
    }

    func upstreamBatchComplete() {}
}

extension LoopUpstreams {
    /// Sends `request` to the primary of `key`'s shard, on a shared connection of `profile`
    /// (the client's protocol and database), and calls `done` with the reply.
    func sideRequest(
        _ request: RESPRequest, key: [UInt8], profile: ConnectionProfile = ConnectionProfile(),
        _ done: @escaping (Result<RESPToken, UpstreamError>) -> Void
    ) {
        self.sideRequest(request, shard: self.router.shard(of: key), profile: profile, done)
    }

    /// Sends `request` to the primary of `shard`.
    func sideRequest(
        _ request: RESPRequest, shard: Int, profile: ConnectionProfile = ConnectionProfile(),
        _ done: @escaping (Result<RESPToken, UpstreamError>) -> Void
    ) {
        guard let pool = self.primaryPool(shard) else {
            done(.failure(UpstreamError(.unreachable, "no primary is known for the shard")))
            return
        }
        pool.connection(for: profile, hint: 0).send(request, receiver: SideReply(done), sequence: 0)
    }

}

extension LoopMigration {
    /// The legacy store answered: said once when it had been failing.
    func answered() {
        guard self.failing else { return }
        self.failing = false
        self.logger.notice(
            "the legacy session store answers again", metadata: ["store": "\(self.settings.legacy.name)"])
    }

    /// The legacy store failed: said once per change (the reason names the store, never a session).
    func failing(reason: String) {
        guard !self.failing else { return }
        self.failing = true
        self.logger.warning(
            "the legacy session store fails", metadata: ["store": "\(self.settings.legacy.name)", "error": "\(reason)"])
    }
}
