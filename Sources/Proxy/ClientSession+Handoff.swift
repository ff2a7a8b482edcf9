import Glibc
import NIOCore

// Draining, and handing a client's connection to a successor process (`porter run --takeover`).
//
// A draining session reads nothing new, except the rest of a request it holds part of; once
// every reply is written it either closes (a shutdown) or, in a takeover, passes its socket to
// the new process: the socket is duplicated and the copy sent, and this process closes its own
// descriptor. The TCP connection itself never closes, so the client sees nothing: bytes it sends
// meanwhile wait in the kernel for the new process to read.

extension ClientSession {
    /// Stops reading new commands; closes (or, with `handOff`, passes on) the connection once
    /// nothing is in progress.
    func drain(handOff: Handoff? = nil) {
        self.draining = true
        self.handoff = handOff
        // A request read in part still gets its remaining bytes, a transaction its EXEC.
        if self.readPending && self.midRequest {
            self.readPending = false
            self.context?.read()
        }
        if self.inFlight == 0 { self.drainedIdle() }
    }

    /// The client is in the middle of something a drain lets it finish (reading goes on): part
    /// of a request is held (the decoder's buffer, a large request being passed on), or a
    /// transaction is open (WATCH or MULTI without its EXEC yet).
    var midRequest: Bool {
        self.processor.unprocessedBytes > 0 || self.stream?.isIncomplete == true || self.transaction.lease != nil
            || self.transaction.isMultiPending
    }

    /// A draining session's last reply is in: close, or pass the connection on.
    func drainedIdle() {
        guard !self.closed, let context = self.context, !self.midRequest else { return }
        self.flushOutbound()
        guard let handoff = self.handoff, self.canHandOff else {
            context.close(promise: nil)
            return
        }
        guard !handoff.flushing else { return }
        self.handoff?.flushing = true
        // An empty write completes once every write before it has reached the socket: the
        // client must have every reply before another process owns its connection.
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(ByteBuffer()), promise: written)
        written.futureResult.assumeIsolated().whenComplete { [weak self] result in
            guard let self else { return }
            self.handoff?.flushing = false
            guard case .success = result, !self.closed, self.inFlight == 0 else { return }
            self.finishHandOff()
        }
    }

    /// Nothing but Redis' connection state (user, protocol, database, name) is left to carry.
    var canHandOff: Bool {
        !self.closeAfterReplies && self.queued.count == self.queuedHead && self.stream == nil
            && self.migrating.isEmpty && !self.tracker.mustWait && self.authTimer == nil
    }

    private func finishHandOff() {
        guard let handoff = self.handoff, let context = self.context, !self.midRequest else { return }
        // The descriptor is this channel's as long as the channel is open; the check makes sure.
        guard let local = context.channel.localAddress, let peer = context.channel.remoteAddress,
            SocketDescriptors.connection(handoff.descriptor) == SocketDescriptors.key(local: local, peer: peer)
        else {
            return context.close(promise: nil)
        }
        let copy = dup(handoff.descriptor)
        guard copy >= 0 else { return context.close(promise: nil) }
        let state = HandedOffClient(
            user: self.client.user?.name, proto: self.client.profile.proto.rawValue,
            database: self.client.profile.database, name: self.client.name)
        handoff.send(copy, state)
        self.loop.stats.clientsHandedOff &+= 1
        // This process's descriptor closes; the connection lives on in the copy.
        context.close(promise: nil)
    }
}

/// Where a draining session's connection goes in a takeover.
struct Handoff {
    /// The channel's own descriptor (found by its addresses: NIO does not expose it).
    let descriptor: CInt
    /// Takes a duplicate of the descriptor (and closes it once sent) with the client's state.
    let send: @Sendable (CInt, HandedOffClient) -> Void
    var flushing = false
}
