import NIOCore

// Stopping: a shutdown drains every client; a takeover (`Takeover.swift`) passes them on.

extension ProxyServer {
    /// Stops accepting, lets every client's in-flight commands finish (up to `drainTimeout`),
    /// then closes clients and upstream connections.
    public func shutdown() async {
        await self.stopListening()
        for upstreams in self.loops.values {
            try? await upstreams.eventLoop.submit { upstreams.value.drainSessions() }.get()
        }
        await self.waitForSessionsToEnd()
        if let dial = self.dial { try? await dial.eventLoop.submit { dial.value.stop() }.get() }
        // Stopped on their own loop, awaited: after this they publish nothing to the proxy's loops.
        await self.healthChecker?.stopAndWait()
        await self.legacyChecker?.stopAndWait()
        for upstreams in self.loops.values {
            try? await upstreams.eventLoop.submit { upstreams.value.close() }.get()
        }
        self.migration?.legacy.close()
        self.logger.info("proxy stopped")
    }

    /// Closes this process's listening sockets (in a takeover, the successor holds copies: the
    /// sockets and their queues of connections live on there).
    func stopListening() async {
        let listeners = self.state.withLockedValue { state -> [Listener] in
            defer {
                state.listeners = []
                state.listening = false
            }
            return state.listeners
        }
        for listener in listeners { try? await listener.channel.close() }
    }

    /// Until every client session has ended, or `shutdown.drain_timeout` has passed.
    func waitForSessionsToEnd() async {
        let deadline = NIODeadline.now() + self.configuration.drainTimeout
        while NIODeadline.now() < deadline {
            var open = 0
            for upstreams in self.loops.values {
                open += (try? await upstreams.eventLoop.submit { upstreams.value.sessionCount }.get()) ?? 0
            }
            if open == 0 { break }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
