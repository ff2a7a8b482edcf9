import Access
import Commands
import NIOCore
import RESP

// Users: the ACL refusal, a reload's new users, and failed AUTHs answered slowly.

extension ClientSession {
    /// Redis' NOPERM words; counted by user and kind, never with the key or value.
    func refuse(_ spec: CommandSpec, _ denial: AccessDenial, user: AccessUser) {
        self.rejectInTransaction()
        self.loop.stats.aclDenied[ProxyStats.ACLDenialCount(user: user.name, reason: denial.rawValue), default: 0] &+= 1
        self.replyError(denial.message(spec))
    }

    /// A reload changed the users: the client keeps its user by name, with the new rules. A user
    /// that is gone or turned off leaves its clients unauthenticated (-NOAUTH until they AUTH
    /// again), as Redis drops the connections of a deleted user; a client that never
    /// authenticated becomes the new default user if that one needs no password.
    func followReloadedUsers() {
        self.accessGeneration = self.loop.accessGeneration
        let access = self.loop.configuration.access
        if let name = self.client.user?.name {
            self.client.user = access.users[name].flatMap { $0.enabled ? $0 : nil }
        } else if access.openByDefault {
            self.client.user = access.defaultUser
        }
    }

    /// A wrong password: counted, and answered only after a delay that grows with this
    /// connection's failures in a row and its source's (`FailedAuthLimiter`). Commands that
    /// follow wait for the answer, so a pipeline of guesses is as slow as one at a time.
    func authFailed(_ reply: ByteBuffer) {
        self.loop.stats.authFailures &+= 1
        self.authFailuresInRow += 1
        let source = self.context?.channel.remoteAddress?.ipAddress ?? "local"
        let wait = self.loop.authLimiter.failed(
            source: source, connectionFailures: self.authFailuresInRow, now: UInt64(NIODeadline.now().uptimeNanoseconds))
        let sequence = self.allocateSlot()
        self.authTimer = self.loop.eventLoop.scheduleTask(in: .nanoseconds(Int64(wait))) { [weak self] in
            guard let self, !self.closed else { return }
            self.authTimer = nil
            self.reply(sequence, reply)
            self.replayQueued()
            self.flushOutbound()
        }
    }
}
