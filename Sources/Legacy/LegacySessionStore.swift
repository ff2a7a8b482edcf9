import NIOCore

/// A session as a legacy store holds it: its bytes, and its remaining lifetime in seconds when
/// the store knows it (Memcached's `get` does not say).
public struct LegacySession: Sendable, Hashable {
    public var data: [UInt8]
    public var ttl: Int?

    public init(data: [UInt8], ttl: Int?) {
        self.data = data
        self.ttl = ttl
    }
}

/// What the migration asks of a legacy store. Implementations are used on the event loop they
/// are given (Memcached connections belong to one loop).
public protocol LegacySessionStore: AnyObject {
    func read(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<LegacySession?>
    /// A read that also knows the remaining lifetime (for TTL, and for a copy into Redis): from
    /// the store of record when a cache in front of it does not know the lifetime.
    func readWithTTL(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<LegacySession?>
    func write(_ id: [UInt8], _ data: [UInt8], ttl: Int, on eventLoop: EventLoop) -> EventLoopFuture<Void>
    /// True when the session was there.
    func delete(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<Bool>
    /// A new lifetime (phpredis' EXPIRE); true when the session was there.
    func touch(_ id: [UInt8], ttl: Int, on eventLoop: EventLoop) -> EventLoopFuture<Bool>
    /// Closes what this instance holds on its event loop (not what instances share).
    func closeOnLoop()
    /// About `limit` live sessions from `cursor` (nil: the start), in the store's order, for a
    /// backfill, and the cursor of the next page (nil: that was the last).
    func scan(after cursor: [UInt8]?, limit: Int, on eventLoop: EventLoop) -> EventLoopFuture<LegacyPage>
    /// How many live sessions there are (a backfill's progress), when the store can tell.
    func countLive(on eventLoop: EventLoop) -> EventLoopFuture<Int?>
}

/// A page of a backfill's walk.
public struct LegacyPage: Sendable, Hashable {
    public var records: [LegacyRecord]
    /// Where the next page starts; nil when the walk is done.
    public var next: [UInt8]?

    public init(records: [LegacyRecord], next: [UInt8]?) {
        self.records = records
        self.next = next
    }
}

/// One session a backfill found.
public struct LegacyRecord: Sendable, Hashable {
    public var id: [UInt8]
    public var session: LegacySession

    public init(id: [UInt8], session: LegacySession) {
        self.id = id
        self.session = session
    }
}

extension LegacySessionStore {
    public func closeOnLoop() {}

    public func readWithTTL(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<LegacySession?> {
        self.read(id, on: eventLoop)
    }
}

/// Memcached in front of MySQL/MariaDB (Hootsuite's): reads try Memcached, then the table, and
/// fill Memcached on a table hit; writes go to the table, then Memcached; deletes and touches
/// to both. The table is the truth: Memcached failing only slows reads down (they go to the
/// table), and a Memcached write that fails is not an error once the table has the session.
/// Only plain strings are taken from Memcached (flags 0, as php-memcached stores an
/// uncompressed string): a value php-memcached compressed (it does above 2,000 bytes by
/// default) or serialized is read from the table instead.
public final class CachedSQLSessions: LegacySessionStore {
    public let memcached: MemcachedConnection
    public let sql: SQLSessions
    /// php-memcached's session handler names keys `memc.sess.key.<id>`.
    public let keyPrefix: [UInt8]

    public init(memcached: MemcachedConnection, sql: SQLSessions, keyPrefix: String = "memc.sess.key.") {
        self.memcached = memcached
        self.sql = sql
        self.keyPrefix = Array(keyPrefix.utf8)
    }

    func key(_ id: [UInt8]) -> [UInt8] { self.keyPrefix + id }

    public func read(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<LegacySession?> {
        let key = self.key(id)
        // Used on the Memcached connection's loop, as its futures are.
        return self.memcached.fetch(key).map { Optional($0) }.recover { _ in nil }.assumeIsolated().flatMap { cached in
            if let value = cached ?? nil, value.flags == 0 {
                return eventLoop.makeSucceededFuture(LegacySession(data: value.data, ttl: nil))
            }
            return self.sql.read(id, on: eventLoop).assumeIsolated().flatMap { (found: LegacySession?) in
                guard let found else { return eventLoop.makeSucceededFuture(nil) }
                // Filled for the next read; a Memcached that fails costs nothing here.
                return self.memcached.set(key, found.data, expiry: found.ttl ?? 0).map { found }.recover { _ in found }
            }.nonisolated()
        }.nonisolated()
    }

    public func closeOnLoop() { self.memcached.close() }

    /// The table is the store of record: a backfill walks it.
    public func scan(after cursor: [UInt8]?, limit: Int, on eventLoop: EventLoop) -> EventLoopFuture<LegacyPage> {
        self.sql.scan(after: cursor, limit: limit, on: eventLoop)
    }

    public func countLive(on eventLoop: EventLoop) -> EventLoopFuture<Int?> { self.sql.countLive(on: eventLoop) }

    /// Memcached does not say how long a value has left: the table does.
    public func readWithTTL(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<LegacySession?> {
        self.sql.read(id, on: eventLoop)
    }

    public func write(_ id: [UInt8], _ data: [UInt8], ttl: Int, on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        self.sql.write(id, data, ttl: ttl, on: eventLoop).assumeIsolated().flatMap {
            self.memcached.set(self.key(id), data, expiry: ttl).assumeIsolated().recover { _ in
                // The table has it; a stale cached copy must not outlive the write.
                _ = self.memcached.delete(self.key(id))
            }.nonisolated()
        }.nonisolated()
    }

    public func delete(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<Bool> {
        self.sql.delete(id, on: eventLoop).assumeIsolated().flatMap { existed in
            self.memcached.delete(self.key(id)).map { existed || $0 }.recover { _ in existed }
        }.nonisolated()
    }

    public func touch(_ id: [UInt8], ttl: Int, on eventLoop: EventLoop) -> EventLoopFuture<Bool> {
        self.sql.touch(id, ttl: ttl, on: eventLoop).assumeIsolated().flatMap { existed in
            self.memcached.touch(self.key(id), expiry: ttl).map { _ in existed }.recover { _ in existed }
        }.nonisolated()
    }
}
