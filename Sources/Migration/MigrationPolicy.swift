// Migration — moving sessions from a legacy store to Redis in stages, with nobody logged out.
//
// This file is the pure part: which keys are sessions, which stage a session is on, and for
// each operation which store answers, which are written, and what is compared or copied. The
// session path carries out the plan (a later step); the rules are unit-tested here.

import Hashing

/// The stages of a migration, in order (`migration.stage`).
public enum MigrationStage: String, CaseIterable, Sendable, Hashable, Comparable {
    /// The legacy store answers and takes every write: fronting it with Porter changes nothing.
    case legacy
    /// The legacy store answers; writes are mirrored to Redis; reads are also made on Redis and
    /// compared off the client's path.
    case shadow
    /// Redis answers; a miss is read from the legacy store and copied into Redis with its
    /// remaining TTL; writes go to both, so stepping back to `shadow` loses nothing.
    case redisFirst = "redis_first"
    /// Redis only.
    case redisOnly = "redis_only"

    /// The stage before this one: where sessions outside `percent` stay.
    public var previous: MigrationStage {
        switch self {
        case .legacy, .shadow: return .legacy
        case .redisFirst: return .shadow
        case .redisOnly: return .redisFirst
        }
    }

    var order: Int { MigrationStage.allCases.firstIndex(of: self)! }
    public static func < (a: MigrationStage, b: MigrationStage) -> Bool { a.order < b.order }
}

/// The dial every Porter shares: the stage, and the share of sessions on it (the others are on
/// the stage before).
public struct MigrationDial: Sendable, Hashable {
    public var stage: MigrationStage
    /// 0–100; fractions allow a 0.5 % canary.
    public var percent: Double

    public init(stage: MigrationStage, percent: Double = 100) {
        self.stage = stage
        self.percent = Swift.min(100, Swift.max(0, percent))
    }

    /// The stage of one session: `stage` when its bucket is inside `percent`, else the stage
    /// before. A session's bucket never changes, so while `percent` only grows a session moves
    /// forward once and never flips back and forth.
    public func stage(ofSession id: UnsafeRawBufferPointer) -> MigrationStage {
        if self.percent >= 100 { return self.stage }
        return Double(SessionBucket.of(id)) < self.percent * 100 ? self.stage : self.stage.previous
    }
}

/// A stable bucket in 0..<10,000 for a session id (FNV-1a 64): the same on every Porter and
/// every run, so all web servers agree on which sessions have moved.
public enum SessionBucket {
    public static func of(_ id: UnsafeRawBufferPointer) -> Int { Int(FNV1a64.hash(id) % 10_000) }

    public static func of(_ id: [UInt8]) -> Int { id.withUnsafeBytes { Self.of($0) } }
}

/// Where a session's bytes live, as far as one operation is concerned.
public enum SessionStore: Sendable, Hashable {
    case redis
    case legacy
}

/// What a session operation does in a stage.
public struct SessionPlan: Sendable, Hashable {
    /// Who gives the client its reply.
    public var answer: SessionStore
    /// Stores a write (SET, SETEX, EXPIRE, DEL, …) also goes to, besides `answer`'s.
    public var alsoWrite: [SessionStore]
    /// A read: also read Redis, off the client's path, and compare (shadow).
    public var shadowRead: Bool
    /// A read Redis misses: read the legacy store, give that, and copy it into Redis with its
    /// remaining TTL without overwriting a newer Redis value (read-through).
    public var readThrough: Bool
}

/// The kinds of session operation the policy distinguishes.
public enum SessionOperation: Sendable, Hashable {
    /// GET, EXISTS, TTL/PTTL.
    case read
    /// SET, SETEX, PSETEX, EXPIRE/PEXPIRE (phpredis' lazy_write refresh), DEL/UNLINK (destroy).
    case write
}

public enum MigrationPolicy {
    /// The plan for `operation` on a session that is on `stage`.
    public static func plan(_ operation: SessionOperation, stage: MigrationStage) -> SessionPlan {
        switch (stage, operation) {
        case (.legacy, _):
            return SessionPlan(answer: .legacy, alsoWrite: [], shadowRead: false, readThrough: false)
        case (.shadow, .read):
            return SessionPlan(answer: .legacy, alsoWrite: [], shadowRead: true, readThrough: false)
        case (.shadow, .write):
            return SessionPlan(answer: .legacy, alsoWrite: [.redis], shadowRead: false, readThrough: false)
        case (.redisFirst, .read):
            return SessionPlan(answer: .redis, alsoWrite: [], shadowRead: false, readThrough: true)
        case (.redisFirst, .write):
            return SessionPlan(answer: .redis, alsoWrite: [.legacy], shadowRead: false, readThrough: false)
        case (.redisOnly, _):
            return SessionPlan(answer: .redis, alsoWrite: [], shadowRead: false, readThrough: false)
        }
    }
}
