import NIOCore

// Bounded memory and time for requests that are not whole yet. After every read the session
// charges what it holds of an incomplete request (bytes the decoder keeps, plus a large request
// being gathered) to its loop's share of `limits.max_buffered_request_bytes`; a client that
// would go past it is answered with an error and closed, and nobody else is touched. A request
// must also be whole within `limits.request_timeout` of its first byte (a streamed one too: a
// node that stops reading holds its client paused, and the timeout ends it).

extension ClientSession {
    func accountHeldRequestBytes() {
        var held = self.processor.unprocessedBytes
        var incomplete = held > 0
        if let stream = self.stream {
            switch stream.state {
            case .gathering(let gathered, _):
                held += gathered.readableBytes
                incomplete = true
            case .forwarding:
                incomplete = true
            case .awaitingReply, .discarding:
                break
            }
        }
        if held != self.heldRequestBytes {
            self.loop.heldRequestBytes += held - self.heldRequestBytes
            self.heldRequestBytes = held
            if held > 0 && self.loop.heldRequestBytes > self.loop.requestBudget {
                self.loop.stats.closedOverBudget &+= 1
                return self.closeForRequestLimit(
                    "Porter: requests not yet whole hold more than limits.max_buffered_request_bytes across clients; this one was dropped"
                )
            }
        }
        if !incomplete {
            self.partialSince = 0
        } else if self.partialSince == 0 {
            self.partialSince = self.loop.now()
            if self.requestTimer == nil { self.armRequestTimer(in: self.loop.configuration.requestTimeout) }
        }
    }

    /// Fires `timeout` after a request began, or later: the request in progress then may have
    /// begun after the one that armed it (the timer is not moved on every read).
    private func armRequestTimer(in delay: TimeAmount) {
        self.requestTimer = self.loop.eventLoop.scheduleTask(in: delay) { [weak self] in
            guard let self, !self.closed else { return }
            self.requestTimer = nil
            guard self.partialSince != 0 else { return }
            let timeout = self.loop.configuration.requestTimeout
            let age = Int64(truncatingIfNeeded: self.loop.now() &- self.partialSince)
            guard age >= timeout.nanoseconds else {
                return self.armRequestTimer(in: .nanoseconds(timeout.nanoseconds - age))
            }
            self.loop.stats.closedForTimeout &+= 1
            self.closeForRequestLimit(
                "Porter: the request was not whole \(timeout.nanoseconds / 1_000_000_000)s after its first byte (limits.request_timeout)"
            )
        }
    }

    /// Says why, then closes: the rest of a partial request cannot be told from a new one.
    private func closeForRequestLimit(_ message: String) {
        self.protocolError(message)
        self.releaseHeldRequestBytes()
        self.abandonStream()
        if self.inFlight == 0 { self.context?.close(promise: nil) }
    }

    func releaseHeldRequestBytes() {
        self.loop.heldRequestBytes -= self.heldRequestBytes
        self.heldRequestBytes = 0
        self.partialSince = 0
        self.requestTimer?.cancel()
        self.requestTimer = nil
    }
}
