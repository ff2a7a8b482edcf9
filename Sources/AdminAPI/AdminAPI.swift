import Foundation

// The admin API's JSON bodies (`GET /v1/topology`, `/v1/migration`, `POST /v1/config/reload`):
// the admin server encodes them, `porter status` and `porter migrate` decode them. No
// dependencies, so the command line reads them without the server's libraries.

/// What the admin API says about one node.
public struct NodeStatus: Codable, Sendable {
    public var address: String
    /// A node given by DNS name: the IP address its checks reach now.
    public var resolvedTo: String?
    /// The role the configuration (or Sentinel) gives it: primary or replica.
    public var configuredRole: String
    /// The role it reported in its last ROLE reply.
    public var role: String
    /// up, down, or unknown (not checked yet).
    public var health: String
    public var usable: Bool
    public var readable: Bool
    public var lagBytes: Int64?
    public var inFlight: Int
    public var lastError: String?
    public var opsPerSecond: Double
    /// Round-trip p99 over the last sample interval, in milliseconds (nil without traffic).
    public var p99Milliseconds: Double?
    public var ejections: Int
    public var connections: [String: Int]

    public init(
        address: String, resolvedTo: String? = nil, configuredRole: String, role: String, health: String, usable: Bool, readable: Bool, lagBytes: Int64? = nil, inFlight: Int, lastError: String? = nil, opsPerSecond: Double, p99Milliseconds: Double? = nil, ejections: Int, connections: [String: Int]
    ) {
        self.address = address
        self.resolvedTo = resolvedTo
        self.configuredRole = configuredRole
        self.role = role
        self.health = health
        self.usable = usable
        self.readable = readable
        self.lagBytes = lagBytes
        self.inFlight = inFlight
        self.lastError = lastError
        self.opsPerSecond = opsPerSecond
        self.p99Milliseconds = p99Milliseconds
        self.ejections = ejections
        self.connections = connections
    }
}

public struct GroupStatus: Codable, Sendable {
    public var name: String
    public var failovers: Int
    /// Redis Cluster: the slot ranges this shard's primary serves.
    public var slots: String?
    public var nodes: [NodeStatus]

    public init(
        name: String, failovers: Int, slots: String? = nil, nodes: [NodeStatus]
    ) {
        self.name = name
        self.failovers = failovers
        self.slots = slots
        self.nodes = nodes
    }
}

public struct TrafficStatus: Codable, Sendable {
    public var opsPerSecond: Double
    public var errorsPerSecond: Double
    public var commands: Int
    public var errors: Int
    public var retries: Int
    public var heldWrites: Int
    public var unconfirmedWrites: Int
    public var upstreamErrors: Int
    public var protocolErrors: Int
    /// p99 over the last sample interval by command class (read, write, other), milliseconds.
    public var p99Milliseconds: [String: Double]

    public init(
        opsPerSecond: Double, errorsPerSecond: Double, commands: Int, errors: Int, retries: Int, heldWrites: Int, unconfirmedWrites: Int, upstreamErrors: Int, protocolErrors: Int, p99Milliseconds: [String: Double]
    ) {
        self.opsPerSecond = opsPerSecond
        self.errorsPerSecond = errorsPerSecond
        self.commands = commands
        self.errors = errors
        self.retries = retries
        self.heldWrites = heldWrites
        self.unconfirmedWrites = unconfirmedWrites
        self.upstreamErrors = upstreamErrors
        self.protocolErrors = protocolErrors
        self.p99Milliseconds = p99Milliseconds
    }
}

public struct ClientStatus: Codable, Sendable {
    public var connected: Int
    public var accepted: Int
    public var rejected: Int

    public init(
        connected: Int, accepted: Int, rejected: Int
    ) {
        self.connected = connected
        self.accepted = accepted
        self.rejected = rejected
    }
}

public struct ConfigStatus: Codable, Sendable {
    public var path: String?
    public var reloads: Int
    public var reloadsRefused: Int
    public var lastReloadError: String?

    public init(
        path: String? = nil, reloads: Int, reloadsRefused: Int, lastReloadError: String? = nil
    ) {
        self.path = path
        self.reloads = reloads
        self.reloadsRefused = reloadsRefused
        self.lastReloadError = lastReloadError
    }
}

/// The body of `GET /v1/topology`: everything the console and `porter status` show.
public struct PorterStatus: Codable, Sendable {
    public var version: Int
    public var ready: Bool
    public var readyReason: String?
    public var uptimeSeconds: Double
    public var sampleIntervalSeconds: Double
    public var clients: ClientStatus
    public var traffic: TrafficStatus
    public var groups: [GroupStatus]
    public var config: ConfigStatus
    public var logLinesDropped: Int
    /// Commands per second of the last samples, oldest first (up to two minutes' worth).
    public var recentOpsPerSecond: [Double]

    public init(
        version: Int, ready: Bool, readyReason: String? = nil, uptimeSeconds: Double, sampleIntervalSeconds: Double, clients: ClientStatus, traffic: TrafficStatus, groups: [GroupStatus], config: ConfigStatus, logLinesDropped: Int, recentOpsPerSecond: [Double]
    ) {
        self.version = version
        self.ready = ready
        self.readyReason = readyReason
        self.uptimeSeconds = uptimeSeconds
        self.sampleIntervalSeconds = sampleIntervalSeconds
        self.clients = clients
        self.traffic = traffic
        self.groups = groups
        self.config = config
        self.logLinesDropped = logLinesDropped
        self.recentOpsPerSecond = recentOpsPerSecond
    }
}

/// What a reload did (PorterApp performs it; the admin API and SIGHUP report it).
public struct ReloadOutcome: Codable, Sendable {
    public var applied: Bool
    /// Why it was refused (the config key and what was wrong), when it was.
    public var error: String?
    /// What changed, in words ("replicas of group 'main': +127.0.0.1:6393 -127.0.0.1:6392").
    public var changes: [String]
    /// Changed settings that take effect only after a restart (listen addresses, threads, …).
    public var restartRequired: [String]

    public init(applied: Bool, error: String? = nil, changes: [String] = [], restartRequired: [String] = []) {
        self.applied = applied
        self.error = error
        self.changes = changes
        self.restartRequired = restartRequired
    }
}

/// The migration as the admin API shows it (`GET /v1/migration`).
public struct MigrationStatus: Codable, Sendable {
    public var stage: String
    public var percent: Double
    /// The shared dial's version this Porter follows (-1: never set; the bootstrap stage holds).
    public var version: Int
    public var store: String
    public var dialKey: String
    /// False while the shared dial cannot be read: the stage shown is the last known one.
    public var dialReadable: Bool
    public var dialProblem: String?
    public var sessionKeys: [String]
    public var counters: MigrationCounters
    public var legacyLatencyP50Ms: Double?
    public var legacyLatencyP99Ms: Double?
    /// Sessions whose shadow reads differed: the first 6 characters of their ids (the newest few;
    /// never their data, never a whole id, which would let a reader use the session).
    public var mismatchedSessions: [String]
    /// The last backfill this Porter ran (nil: none).
    public var backfill: BackfillStatus?

    public init(
        stage: String, percent: Double, version: Int, store: String, dialKey: String, dialReadable: Bool, dialProblem: String? = nil, sessionKeys: [String], counters: MigrationCounters, legacyLatencyP50Ms: Double? = nil, legacyLatencyP99Ms: Double? = nil, mismatchedSessions: [String], backfill: BackfillStatus? = nil
    ) {
        self.stage = stage
        self.percent = percent
        self.version = version
        self.store = store
        self.dialKey = dialKey
        self.dialReadable = dialReadable
        self.dialProblem = dialProblem
        self.sessionKeys = sessionKeys
        self.counters = counters
        self.legacyLatencyP50Ms = legacyLatencyP50Ms
        self.legacyLatencyP99Ms = legacyLatencyP99Ms
        self.mismatchedSessions = mismatchedSessions
        self.backfill = backfill
    }
}

/// What the migration counted on one loop (summed over loops for the admin server).
public struct MigrationCounters: Sendable, Hashable, Codable {
    /// Session commands by the stage their session was on (`legacy` and `shadow`: the legacy
    /// store answers; `redis_first`: Redis; `redis_only` takes the usual path, uncounted here).
    public var readsOnLegacy = 0
    public var writesOnLegacy = 0
    public var readsOnShadow = 0
    public var writesOnShadow = 0
    public var readsOnRedisFirst = 0
    public var writesOnRedisFirst = 0
    /// Writes made to the other store too (shadow's mirror to Redis, redis_first's to legacy).
    public var alsoWritten = 0
    public var alsoWriteErrors = 0
    /// legacy: Redis copies deleted on a legacy write, so none is ever staler than the legacy one.
    public var redisInvalidated = 0
    public var shadowMatches = 0
    public var shadowMismatches = 0
    /// Shadow reads Redis missed (sessions not mirrored or backfilled yet).
    public var shadowMissing = 0
    /// Compares skipped because a write to the session came in between.
    public var shadowRaced = 0
    public var shadowErrors = 0
    /// redis_first: misses read from the legacy store and copied into Redis.
    public var readThroughs = 0
    /// … of which the legacy store had nothing either.
    public var readThroughMisses = 0
    public var legacyErrors = 0
    /// Refused: a session key in a form the legacy store cannot take.
    public var refused = 0
    public var backfilled = 0

    public init() {}

    public mutating func add(_ other: MigrationCounters) {
        self.readsOnLegacy += other.readsOnLegacy
        self.writesOnLegacy += other.writesOnLegacy
        self.readsOnShadow += other.readsOnShadow
        self.writesOnShadow += other.writesOnShadow
        self.readsOnRedisFirst += other.readsOnRedisFirst
        self.writesOnRedisFirst += other.writesOnRedisFirst
        self.alsoWritten += other.alsoWritten
        self.alsoWriteErrors += other.alsoWriteErrors
        self.redisInvalidated += other.redisInvalidated
        self.shadowMatches += other.shadowMatches
        self.shadowMismatches += other.shadowMismatches
        self.shadowMissing += other.shadowMissing
        self.shadowRaced += other.shadowRaced
        self.shadowErrors += other.shadowErrors
        self.readThroughs += other.readThroughs
        self.readThroughMisses += other.readThroughMisses
        self.legacyErrors += other.legacyErrors
        self.refused += other.refused
        self.backfilled += other.backfilled
    }
}

/// A backfill as the admin API shows it (`GET /v1/migration`'s `backfill`).
public struct BackfillStatus: Codable, Sendable, Equatable {
    /// idle, running, done, stopped, failed.
    public var state = "idle"
    /// Live sessions the legacy store said it had when the job started (nil: it cannot tell).
    public var total: Int?
    public var scanned = 0
    /// Copied into Redis.
    public var copied = 0
    /// Already in Redis (never overwritten: the Redis value is the newer one).
    public var skipped = 0
    public var errors = 0
    /// The limit, sessions a second (nil: none).
    public var rateLimit: Int?
    /// Sessions scanned per second by this job (not counting what an interrupted one did).
    public var sessionsPerSecond = 0.0
    public var seconds = 0.0
    /// The job went on from where an interrupted one stopped.
    public var resumed = false
    public var error: String?

    public init() {}
}

/// The admin API's JSON conventions: snake_case keys (sorted, so bodies compare as text).
public enum AdminJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: data)
    }
}
