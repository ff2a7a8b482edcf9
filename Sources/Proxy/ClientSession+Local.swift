import Commands
import NIOCore
import RESP
import Topology
import Upstream

// Commands Porter answers itself and transactions: the session carries out what
// `LocalCommands` and `TransactionState` decide.

extension ClientSession {

    func handleLocal(_ command: LocalCommand, spec: CommandSpec, request: RESPRequest) {
        switch command {
        case .multi, .exec, .discard, .watch, .unwatch:
            return self.handleTransaction(command, request: request)
        default:
            break
        }
        let local = LocalCommands(configuration: self.loop.configuration, table: self.table, id: self.id)
        let outcome = local.run(command, request, state: &self.client, phase: self.transactionPhase)
        if command == .auth || command == .hello, self.client.authenticated { self.authFailuresInRow = 0 }
        switch outcome {
        case .reply(let bytes):
            self.replyStatic(bytes)
        case .value(let value):
            self.replyValue(value)
        case .error(let line):
            self.replyError(bytes: line)
        case .authFailed(let bytes):
            self.authFailed(bytes)
        case .forward:
            self.forward(request)
        case .refusedInMulti(let line):
            self.rejectInTransaction()
            self.replyError(bytes: line)
        case .quit:
            self.replyStatic(Replies.ok)
            self.closeAfterReplies = true
            if self.inFlight == 0 {
                self.flushOutbound()
                self.context?.close(promise: nil)
            }
        case .reset:
            self.endTransaction(reusable: false)
            self.replyValue(.simple("RESET"))
        }
    }

    var transactionPhase: TransactionPhase {
        switch self.transaction.phase {
        case .none, .ending: return .none
        case .watching: return .watching
        case .multi, .multiPending: return .multi
        }
    }

    func handleTransaction(_ command: LocalCommand, request: RESPRequest) {
        switch self.transaction.step(command, sequence: self.replies.next) {
        case .forward:
            self.forward(request)
        case .lease(let multi):
            var shard = 0
            if self.loop.router.isSharded {
                if multi {
                    // The shard is not known before the first command: `routeSharded` binds it.
                    self.transaction.deferMulti()
                    return self.replyStatic(Replies.ok)
                }
                guard let watched = self.watchShard(request) else { return }
                shard = watched
            }
            guard let dedicated = self.leaseDedicated(shard) else { return self.replyStatic(Replies.noUpstream) }
            self.transaction.began(dedicated, multi: multi)
            self.forward(request)
        case .forwardPending:
            self.forward(request)
        case .end(_, let abort):
            if abort {
                // Redis would refuse EXEC; make the upstream drop the queue, then say so.
                self.slotOverride = (self.replies.next, Replies.execAbort)
                self.forward(RESPRequest(["DISCARD"]))
            } else {
                self.forward(request)
            }
        case .reply(let bytes):
            self.replyStatic(bytes)
        case .error(let message):
            self.replyError(message)
        }
    }

    /// A dedicated connection to a shard's primary, for a transaction.
    func leaseDedicated(_ shard: Int) -> Dedicated? {
        guard let pool = self.loop.primaryPool(shard) else { return nil }
        return Dedicated(connection: pool.leaseDedicated(for: self.profile), pool: pool, shard: shard)
    }

    /// The transaction is over (RESET, its connection failed, the client went).
    func endTransaction(reusable: Bool) {
        if let dedicated = self.transaction.abandon() { self.release(dedicated, reusable: reusable) }
    }

    /// Gives the dedicated connection back; what waited behind the transaction's last reply runs
    /// next (from `reply`, once the replies in order are written).
    func release(_ dedicated: Dedicated, reusable: Bool) {
        dedicated.pool.release(dedicated.connection, reusable: reusable)
        self.replayWhenInOrder = !self.queued.isEmpty
    }
}
