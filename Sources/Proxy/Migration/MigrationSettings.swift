import AdminAPI
import Hashing
import Legacy
import Logging
import Migration
import NIOCore
import Telemetry

/// The legacy store sessions move from, as the proxy uses it: one instance per event loop
/// (Memcached connections belong to a loop; the SQL and file stores share a thread pool).
public struct LegacyStores: Sendable {
    public enum Kind: Sendable {
        /// One store per event loop, made by the closure.
        case perLoop(@Sendable (EventLoop) -> LegacySessionStore)
        /// Another Redis topology, followed as `upstream` is, under keys named by the pattern:
        /// the proxy builds its pools and stores itself.
        case redis(topology: ProxyConfiguration, pattern: SessionKeyPattern)
    }

    /// How operators and metrics name it (`memcached+mysql`, `files`, `redis`).
    public var name: String
    public var kind: Kind
    /// Closes what the stores share (connections, thread pools), after the proxy stops.
    public var close: @Sendable () -> Void

    public init(
        name: String, make: @escaping @Sendable (EventLoop) -> LegacySessionStore,
        close: @escaping @Sendable () -> Void = {}
    ) {
        self.name = name
        self.kind = .perLoop(make)
        self.close = close
    }

    /// Another Redis topology (a group, a ring, a cluster).
    public init(redis topology: ProxyConfiguration, pattern: SessionKeyPattern) {
        self.name = "redis"
        self.kind = .redis(topology: topology, pattern: pattern)
        self.close = {}
    }
}

/// `migration` in porter.yaml: which keys are sessions, the legacy store, and the shared dial.
public struct MigrationSettings: Sendable {
    public var patterns: [SessionKeyPattern]
    /// The stage and percent until the shared dial has been set (`migration.stage`, `percent`).
    public var bootstrap: MigrationDial
    /// Where every Porter reads the dial (`migration.dial_key`); changes are also published on
    /// a channel of that name.
    public var dialKey = "porter:migration"
    /// How often the dial is read besides the subscription (`migration.dial_poll_interval`).
    public var pollInterval: TimeAmount = .seconds(1)
    /// The lifetime given to a legacy write that carries none (a SET without EX), and to a
    /// session read through whose store does not know its remaining lifetime
    /// (`migration.default_ttl`; PHP's `session.gc_maxlifetime` default).
    public var defaultTTL = 1440
    public var legacy: LegacyStores

    public init(patterns: [SessionKeyPattern], bootstrap: MigrationDial, legacy: LegacyStores) {
        self.patterns = patterns
        self.bootstrap = bootstrap
        self.legacy = legacy
    }
}

extension MigrationCounters {
    mutating func count(_ stage: MigrationStage, read: Bool) {
        switch (stage, read) {
        case (.legacy, true): self.readsOnLegacy += 1
        case (.legacy, false): self.writesOnLegacy += 1
        case (.shadow, true): self.readsOnShadow += 1
        case (.shadow, false): self.writesOnShadow += 1
        case (_, true): self.readsOnRedisFirst += 1
        case (_, false): self.writesOnRedisFirst += 1
        }
    }
}

/// The migration's share of one loop's state: its legacy store, the dial as this loop knows it,
/// and its counters. Used only on its loop.
final class LoopMigration {
    let settings: MigrationSettings
    let store: LegacySessionStore
    var dial: MigrationDial
    var counters = MigrationCounters()
    let legacyLatency = LatencyRecorder()
    /// Session ids whose shadow reads differed (the newest few, their first characters; never data).
    var mismatchedIDs: [String] = []
    /// Writes per session (FNV-1a of the key), so a shadow compare that a write raced is told
    /// apart from a real mismatch. Bounded: cleared past 100,000 sessions.
    private var writeCounts: [UInt64: UInt32] = [:]

    let logger: Logger
    /// Whether the legacy store's last operation failed (said once per change).
    var failing = false

    init(settings: MigrationSettings, store: LegacySessionStore, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.store = store
        self.dial = settings.bootstrap
    }

    func noteWrite(_ key: [UInt8]) {
        if self.writeCounts.count >= 100_000 { self.writeCounts.removeAll(keepingCapacity: true) }
        self.writeCounts[Self.hash(key), default: 0] &+= 1
    }

    func writeCount(_ key: [UInt8]) -> UInt32? { self.writeCounts[Self.hash(key)] }

    /// A session id is its bearer's key: the sample keeps its first 6 characters, enough to find
    /// the session in the stores, not to use it.
    func noteMismatch(_ id: [UInt8]) {
        self.counters.shadowMismatches += 1
        if self.mismatchedIDs.count >= 10 { self.mismatchedIDs.removeFirst() }
        let shown = String(decoding: id.prefix(6), as: UTF8.self)
        self.mismatchedIDs.append(id.count > 6 ? shown + "…" : shown)
    }

    static func hash(_ key: [UInt8]) -> UInt64 { key.withUnsafeBytes { FNV1a64.hash($0) } }
}
