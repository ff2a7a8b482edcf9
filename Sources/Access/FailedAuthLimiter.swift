import NIOConcurrencyHelpers

/// Slows down password guessing. A connection's n-th failed AUTH in a row is answered after
/// `base × 2^(n-1)` (at most `connectionCap`); and failures from one source address are answered
/// one at a time, each `base × 2^(m-1)` (at most `sourceCap`) after the last, m being that
/// source's recent failures, so opening more connections does not buy more guesses. A success
/// is never slowed and clears the count. Shared by every event loop (and the admin server's
/// token check); times are injected (nanoseconds), so the policy is unit-tested alone.
public final class FailedAuthLimiter: Sendable {
    public struct Settings: Sendable, Hashable {
        public var base: UInt64 = 10_000_000
        public var connectionCap: UInt64 = 2_000_000_000
        public var sourceCap: UInt64 = 1_000_000_000
        /// A source with no failure for this long starts again from nothing.
        public var forgetAfter: UInt64 = 60_000_000_000
        /// Sources remembered at most (addresses come from the network: bounded).
        public var maxSources = 10_000
        public init() {}
    }

    struct Source {
        var failures: Int
        var nextFree: UInt64
        var lastFailure: UInt64
    }

    public let settings: Settings
    private let sources = NIOLockedValueBox<[String: Source]>([:])

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// A failure by a connection from `source` that has now failed `connectionFailures` times in
    /// a row (this one included): how long to wait before answering it, in nanoseconds.
    public func failed(source: String, connectionFailures: Int, now: UInt64) -> UInt64 {
        let s = self.settings
        let own = Self.backoff(s.base, connectionFailures, cap: s.connectionCap)
        return self.sources.withLockedValue { sources in
            if sources.count >= s.maxSources && sources[source] == nil {
                sources = sources.filter { now &- $0.value.lastFailure < s.forgetAfter && $0.value.nextFree > now }
                if sources.count >= s.maxSources { sources.removeAll() }
            }
            var entry = sources[source] ?? Source(failures: 0, nextFree: 0, lastFailure: now)
            if now &- entry.lastFailure >= s.forgetAfter { entry.failures = 0 }
            entry.failures += 1
            entry.lastFailure = now
            let answerAt = max(now + own, entry.nextFree)
            entry.nextFree = answerAt + Self.backoff(s.base, entry.failures, cap: s.sourceCap)
            sources[source] = entry
            return answerAt - now
        }
    }

    /// Sources with failures remembered (for tests and stats).
    public var trackedSources: Int { self.sources.withLockedValue { $0.count } }

    static func backoff(_ base: UInt64, _ failures: Int, cap: UInt64) -> UInt64 {
        guard failures > 0 else { return 0 }
        let shift = min(failures - 1, 30)
        return min(base << UInt64(shift), cap)
    }
}
