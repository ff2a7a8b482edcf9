import CMariaDBShim
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Sessions in a MySQL/MariaDB table (Hootsuite's store behind Memcached), through libmariadb's
/// prepared statements on a thread pool: a session id is only ever a bound parameter, never
/// part of the SQL. The table and columns are configurable; expiry is a Unix time column, or a
/// lifetime plus a timestamp (Symfony's `sess_id, sess_data, sess_lifetime, sess_time`).
public struct SQLSessionsConfiguration: Sendable {
    public enum Expiry: Sendable, Hashable {
        /// A column holding the Unix time the session expires.
        case unixTime(column: String)
        /// Columns holding the lifetime in seconds and the Unix time it was written.
        case lifetime(lifetimeColumn: String, timeColumn: String)
    }

    public var host = "127.0.0.1"
    public var port = 3306
    /// A unix socket, used instead of host and port when set.
    public var socket: String? = nil
    public var user = "root"
    public var password: String? = nil
    public var database: String
    public var table: String
    public var idColumn = "sess_id"
    public var dataColumn = "sess_data"
    public var expiry: Expiry = .lifetime(lifetimeColumn: "sess_lifetime", timeColumn: "sess_time")
    /// Bounds connect, read and write (libmariadb counts whole seconds).
    public var timeoutSeconds = 2
    public var connections = 4

    public init(database: String, table: String) {
        self.database = database
        self.table = table
    }
}

public struct SQLSessionsError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { self.message }
}

public final class SQLSessions: LegacySessionStore, Sendable {
    public let configuration: SQLSessionsConfiguration
    private let pool: NIOThreadPool
    private let statements: Statements
    /// Idle connections; a thread takes one for a query and gives it back.
    private let idle = NIOLockedValueBox<[Connection]>([])

    /// The SQL of each operation, made once from the (validated) names.
    struct Statements: Sendable {
        let read: String
        let write: String
        let delete: String
        let touch: String
        /// Live sessions after an id, in id order (a backfill's walk); LIMIT is appended.
        let scan: String
        let count: String
    }

    /// nil (with the reason) when a table or column name is not a plain identifier: names come
    /// from the configuration, and are quoted, but only letters, digits and `_` are accepted.
    public init(configuration: SQLSessionsConfiguration, pool: NIOThreadPool) throws {
        let name = Self.quotedName
        let table = try name(configuration.table)
        let id = try name(configuration.idColumn)
        let data = try name(configuration.dataColumn)
        // The remaining lifetime in seconds, and how a write and a touch set it.
        let remaining: String
        let write: String
        let touch: String
        switch configuration.expiry {
        case .unixTime(let column):
            let expires = try name(column)
            remaining = "CAST(\(expires) AS SIGNED) - UNIX_TIMESTAMP()"
            write =
                "INSERT INTO \(table) (\(id), \(data), \(expires)) VALUES (?, ?, UNIX_TIMESTAMP() + ?) ON DUPLICATE KEY UPDATE \(data) = VALUES(\(data)), \(expires) = VALUES(\(expires))"
            touch = "UPDATE \(table) SET \(expires) = UNIX_TIMESTAMP() + ? WHERE \(id) = ?"
        case .lifetime(let lifetimeColumn, let timeColumn):
            let lifetime = try name(lifetimeColumn)
            let time = try name(timeColumn)
            remaining = "CAST(\(time) AS SIGNED) + \(lifetime) - UNIX_TIMESTAMP()"
            write =
                "INSERT INTO \(table) (\(id), \(data), \(lifetime), \(time)) VALUES (?, ?, ?, UNIX_TIMESTAMP()) ON DUPLICATE KEY UPDATE \(data) = VALUES(\(data)), \(lifetime) = VALUES(\(lifetime)), \(time) = VALUES(\(time))"
            touch = "UPDATE \(table) SET \(lifetime) = ?, \(time) = UNIX_TIMESTAMP() WHERE \(id) = ?"
        }
        let live = "\(remaining) > 0"
        self.statements = Statements(
            read: "SELECT \(data), \(remaining) FROM \(table) WHERE \(id) = ?",
            write: write,
            delete: "DELETE FROM \(table) WHERE \(id) = ?",
            // An expired row is not brought back.
            touch: touch + " AND \(live)",
            scan: "SELECT \(id), \(data), \(remaining) FROM \(table) WHERE \(id) > ? AND \(live) ORDER BY \(id) LIMIT ",
            count: "SELECT COUNT(*) FROM \(table) WHERE \(live)")
        self.configuration = configuration
        self.pool = pool
    }

    /// A table or column name, quoted; only letters, digits and `_` (up to 64) are accepted.
    public static func quotedName(_ text: String) throws -> String {
        guard !text.isEmpty, text.utf8.count <= 64,
            text.unicodeScalars.allSatisfy({
                $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
            })
        else { throw SQLSessionsError(message: "'\(text)' is not a plain SQL name (letters, digits and _)") }
        return "`\(text)`"
    }

    /// A session's bytes and remaining lifetime in seconds; nil when missing or expired.
    public func read(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<LegacySession?> {
        self.run(on: eventLoop) { connection in
            guard let row = try connection.run(self.statements.read, [id], columns: 2), let data = row[0],
                let ttl = row[1].flatMap({ Int(String(decoding: $0, as: UTF8.self)) }), ttl > 0
            else { return nil }
            return LegacySession(data: data, ttl: ttl)
        }
    }

    /// Stores a session for `ttl` seconds (insert or replace).
    public func write(_ id: [UInt8], _ data: [UInt8], ttl: Int, on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        self.run(on: eventLoop) { connection in
            _ = try connection.run(self.statements.write, [id, data, Array(String(ttl).utf8)], columns: 0)
        }
    }

    /// Deletes a session; true when it was there.
    public func delete(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<Bool> {
        self.run(on: eventLoop) { connection in
            try connection.affected(self.statements.delete, [id]) > 0
        }
    }

    /// Gives a session `ttl` seconds from now; true when it was there.
    public func touch(_ id: [UInt8], ttl: Int, on eventLoop: EventLoop) -> EventLoopFuture<Bool> {
        self.run(on: eventLoop) { connection in
            try connection.affected(self.statements.touch, [Array(String(ttl).utf8), id]) > 0
        }
    }

    /// Up to `limit` live sessions with ids after `cursor`, in id order: a backfill walks the
    /// table by id ranges, one indexed range per call.
    public func scan(after cursor: [UInt8]?, limit: Int, on eventLoop: EventLoop) -> EventLoopFuture<LegacyPage> {
        let limit = Swift.max(1, Swift.min(limit, 10_000))
        let sql = self.statements.scan + String(limit)
        return self.run(on: eventLoop) { connection in
            let rows = try connection.rows(sql, [cursor ?? []], columns: 3)
            let records = rows.compactMap { row -> LegacyRecord? in
                guard let id = row[0], let data = row[1],
                    let ttl = row[2].flatMap({ Int(String(decoding: $0, as: UTF8.self)) }), ttl > 0
                else { return nil }
                return LegacyRecord(id: id, session: LegacySession(data: data, ttl: ttl))
            }
            // A short page is the last one.
            return LegacyPage(records: records, next: rows.count < limit ? nil : rows.last?[0])
        }
    }

    public func countLive(on eventLoop: EventLoop) -> EventLoopFuture<Int?> {
        self.run(on: eventLoop) { connection in
            try connection.run(self.statements.count, [], columns: 1)?.first.flatMap { $0 }.flatMap {
                Int(String(decoding: $0, as: UTF8.self))
            }
        }
    }

    /// Closes the idle connections.
    public func close() {
        for connection in self.idle.withLockedValue({ list in
            defer { list = [] }; return list
        }) { connection.close() }
    }

    private func run<T: Sendable>(on eventLoop: EventLoop, _ body: @escaping @Sendable (Connection) throws -> T)
        -> EventLoopFuture<T>
    {
        self.pool.runIfActive(eventLoop: eventLoop) {
            let connection = try self.idle.withLockedValue { $0.popLast() } ?? Connection(self.configuration)
            do {
                let result = try body(connection)
                self.idle.withLockedValue { list in
                    if list.count < self.configuration.connections {
                        list.append(connection)
                    } else {
                        connection.close()
                    }
                }
                return result
            } catch {
                // The connection may be broken: a new one is made next time.
                connection.close()
                throw error
            }
        }
    }

    /// One libmariadb connection, used by one thread at a time (the idle list hands it over).
    final class Connection: @unchecked Sendable {
        private var handle: OpaquePointer?

        init(_ configuration: SQLSessionsConfiguration) throws {
            var error = [CChar](repeating: 0, count: 512)
            let handle = porter_sql_connect(
                configuration.host, UInt32(configuration.port), configuration.socket, configuration.user,
                configuration.password, configuration.database, UInt32(configuration.timeoutSeconds), &error,
                error.count)
            guard let handle else { throw SQLSessionsError(message: Self.text(error)) }
            self.handle = handle
        }

        func close() {
            if let handle { porter_sql_close(handle) }
            self.handle = nil
        }

        deinit { self.close() }

        /// The first row's columns (nil for NULL), or nil when no row matched.
        func run(_ sql: String, _ params: [[UInt8]], columns: Int) throws -> [[UInt8]?]? {
            try self.rows(sql, params, columns: columns).first
        }

        /// Every row's columns (nil for NULL).
        func rows(_ sql: String, _ params: [[UInt8]], columns: Int) throws -> [[[UInt8]?]] {
            final class Rows {
                var rows: [[[UInt8]?]] = []
            }
            let collected = Rows()
            _ = try self.execute(sql, params, columns: columns, context: Unmanaged.passUnretained(collected).toOpaque())
            {
                context, count, values, lengths, nulls in
                guard let context, let values, let lengths, let nulls else { return }
                let rows = Unmanaged<Rows>.fromOpaque(context).takeUnretainedValue()
                rows.rows.append(
                    (0..<Int(count)).map { i in
                        nulls[i] != 0 ? nil : Array(UnsafeBufferPointer(start: values[i], count: Int(lengths[i])))
                    })
            }
            return withExtendedLifetime(collected) { collected.rows }
        }

        func affected(_ sql: String, _ params: [[UInt8]]) throws -> Int {
            try self.execute(sql, params, columns: 0, context: nil, nil)
        }

        private func execute(
            _ sql: String, _ params: [[UInt8]], columns: Int, context: UnsafeMutableRawPointer?,
            _ onRow: porter_sql_row?
        ) throws -> Int {
            guard let handle else { throw SQLSessionsError(message: "the MariaDB connection is closed") }
            var error = [CChar](repeating: 0, count: 512)
            // Parameters stay alive (and their addresses fixed) for the call.
            let copies = params.map { bytes -> UnsafeMutablePointer<UInt8> in
                let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: Swift.max(1, bytes.count))
                pointer.initialize(from: bytes, count: bytes.count)
                return pointer
            }
            defer { for pointer in copies { pointer.deallocate() } }
            var pointers = copies.map { UnsafePointer<UInt8>($0) as UnsafePointer<UInt8>? }
            var paramLengths = params.map { UInt($0.count) }
            let result = porter_sql_query(
                handle, sql, UInt32(params.count), &pointers, &paramLengths, UInt32(columns), onRow, context, &error,
                error.count)
            guard result >= 0 else { throw SQLSessionsError(message: Self.text(error)) }
            return result
        }

        /// A NUL-terminated C message.
        static func text(_ buffer: [CChar]) -> String {
            String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
