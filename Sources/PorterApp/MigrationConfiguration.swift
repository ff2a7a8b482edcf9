// `migration` in porter.yaml: the session keys, the bootstrap stage, the shared dial, and the
// legacy store; and the stores PorterApplication builds from it.

import Foundation
import Legacy
import Migration
import NIOCore
import NIOPosix
import Proxy
import Upstream
import Yams

/// The validated `migration` section.
public struct MigrationConfiguration: Sendable {
    public enum Store: Sendable {
        /// MySQL/MariaDB, with Memcached in front when `memcached` is given (Hootsuite's).
        case sql(SQLSessionsConfiguration, memcached: MemcachedConfiguration?, keyPrefix: String)
        /// PHP's session files (the Silph Road's).
        case files(SessionFilesConfiguration)
        /// Another Redis topology (a group, a ring, a cluster), its keys named by the pattern
        /// (nil: the first `session_key`).
        case redis(ProxyConfiguration, pattern: SessionKeyPattern?)
    }

    public var patterns: [SessionKeyPattern] = []
    public var bootstrap = MigrationDial(stage: .legacy)
    public var dialKey = "porter:migration"
    public var pollInterval: TimeAmount = .seconds(1)
    public var defaultTTL = 1440
    public var store: Store

    /// The proxy's settings, with one legacy store per event loop over what they share (a thread
    /// pool for the SQL connections or file I/O). Throws what the store refuses (SQL names).
    public func settings() throws -> MigrationSettings {
        let legacy: LegacyStores
        switch self.store {
        case .sql(let sqlConfiguration, let memcached, let keyPrefix):
            let pool = NIOThreadPool(numberOfThreads: sqlConfiguration.connections)
            pool.start()
            let sql = try SQLSessions(configuration: sqlConfiguration, pool: pool)
            let close: @Sendable () -> Void = {
                sql.close()
                pool.shutdownGracefully { _ in }
            }
            if let memcached {
                legacy = LegacyStores(
                    name: "memcached+mysql",
                    make: { loop in
                        CachedSQLSessions(
                            memcached: MemcachedConnection(configuration: memcached, eventLoop: loop), sql: sql,
                            keyPrefix: keyPrefix)
                    }, close: close)
            } else {
                legacy = LegacyStores(name: "mysql", make: { _ in sql }, close: close)
            }
        case .files(let files):
            let pool = NIOThreadPool(numberOfThreads: 2)
            pool.start()
            let store = SessionFiles(configuration: files, pool: pool)
            legacy = LegacyStores(name: "files", make: { _ in store }, close: { pool.shutdownGracefully { _ in } })
        case .redis(let topology, let pattern):
            legacy = LegacyStores(redis: topology, pattern: pattern ?? self.patterns[0])
        }
        var settings = MigrationSettings(patterns: self.patterns, bootstrap: self.bootstrap, legacy: legacy)
        settings.dialKey = self.dialKey
        settings.pollInterval = self.pollInterval
        settings.defaultTTL = self.defaultTTL
        return settings
    }
}

extension ConfigReader {
    /// A legacy Redis store must not be `upstream` itself under the same key names: the
    /// `legacy` stage deletes the Redis copy on a write, and it would be the only copy.
    func checkLegacyRedis(_ config: PorterConfiguration) throws {
        guard let migration = config.migration, case .redis(let legacy, let pattern) = migration.store else { return }
        let names = pattern ?? migration.patterns[0]
        guard migration.patterns.contains(names) else { return }
        func nodes(_ proxy: ProxyConfiguration) -> Set<NodeAddress> {
            Set(proxy.groups.map(\.primary) + proxy.groups.flatMap(\.replicas) + (proxy.cluster?.seeds ?? []))
        }
        if !nodes(legacy).isDisjoint(with: nodes(config.proxy)) {
            throw ConfigurationError(
                key: "migration.legacy.redis", line: nil,
                message:
                    "lists a node of upstream, with the same session keys: the legacy store must be another Redis (or give legacy.session_key other key names)"
            )
        }
    }

    func readMigration(_ node: Node) throws -> MigrationConfiguration {
        let keys = ["session_key", "stage", "percent", "dial_key", "dial_poll_interval", "default_ttl", "legacy"]
        var patterns: [SessionKeyPattern] = []
        var stage = MigrationStage.legacy
        var percent = 100.0
        var store: MigrationConfiguration.Store? = nil
        var rest: [(String, Node)] = []
        for (k, v) in try mapping(node, "migration", allowed: keys) {
            let key = "migration.\(k)"
            switch k {
            case "session_key":
                let items: [Node]
                if case .sequence(let list) = v { items = Array(list) } else { items = [v] }
                for (index, item) in items.enumerated() {
                    let text = try string(item, items.count > 1 ? "\(key)[\(index)]" : key)
                    guard let pattern = SessionKeyPattern(text) else {
                        throw fail(key, item, "expected a key with {id} once, e.g. \"PHPREDIS_SESSION:{id}\"")
                    }
                    patterns.append(pattern)
                }
            case "stage":
                let text = try string(v, key)
                guard let value = MigrationStage(rawValue: text) else {
                    throw fail(
                        key, v,
                        "unknown stage \(quoted(text, v)); one of \(MigrationStage.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                stage = value
            case "percent":
                guard let value = Double(try string(v, key)), (0...100).contains(value) else {
                    throw fail(key, v, "expected a number from 0 to 100")
                }
                percent = value
            case "legacy":
                store = try readLegacyStore(v, key)
            default:
                rest.append((k, v))
            }
        }
        guard !patterns.isEmpty else {
            throw fail(
                "migration.session_key", node, "missing: which keys are sessions, e.g. \"PHPREDIS_SESSION:{id}\"")
        }
        guard let store else {
            throw fail("migration.legacy", node, "missing: the store sessions move from (mysql, memcached, files)")
        }
        var migration = MigrationConfiguration(store: store)
        migration.patterns = patterns
        migration.bootstrap = MigrationDial(stage: stage, percent: percent)
        for (k, v) in rest {
            let key = "migration.\(k)"
            switch k {
            case "dial_key":
                migration.dialKey = try string(v, key)
                if migration.dialKey.isEmpty { throw fail(key, v, "must not be empty") }
            case "dial_poll_interval":
                migration.pollInterval = try duration(v, key, in: .milliseconds(50) ... .minutes(1))
            default:
                migration.defaultTTL = try int(v, key, min: 1, max: 10 * 365 * 86_400)
            }
        }
        return migration
    }

    /// `legacy: { mysql: {…}, memcached: {…} }` or `legacy: { files: {…} }`.
    func readLegacyStore(_ node: Node, _ key: String) throws -> MigrationConfiguration.Store {
        var sql: SQLSessionsConfiguration? = nil
        var memcached: MemcachedConfiguration? = nil
        var keyPrefix = "memc.sess.key."
        var files: SessionFilesConfiguration? = nil
        var redis: ProxyConfiguration? = nil
        var redisPattern: SessionKeyPattern? = nil
        for (k, v) in try mapping(node, key, allowed: ["mysql", "memcached", "files", "redis", "session_key"]) {
            let skey = "\(key).\(k)"
            switch k {
            case "redis":
                // As `upstream`: groups (a ring with several) or a cluster, pool, password, hash.
                var topology = ProxyConfiguration()
                try readUpstream(v, into: &topology, key: skey)
                redis = topology
            case "session_key":
                let text = try string(v, skey)
                guard let pattern = SessionKeyPattern(text) else {
                    throw fail(skey, v, "expected a key with {id} once, e.g. \"PHPREDIS_SESSION:{id}\"")
                }
                redisPattern = pattern
            case "mysql": sql = try readSQL(v, skey)
            case "memcached":
                var address: NodeAddress? = nil
                var timeout: TimeAmount? = nil
                for (mk, mv) in try mapping(v, skey, allowed: ["address", "key_prefix", "timeout"]) {
                    switch mk {
                    case "address": address = try nodeAddress(mv, "\(skey).address")
                    case "key_prefix": keyPrefix = try string(mv, "\(skey).key_prefix")
                    default: timeout = try duration(mv, "\(skey).timeout", in: .milliseconds(1) ... .minutes(1))
                    }
                }
                guard case .tcp(let host, let port)? = address else {
                    throw fail("\(skey).address", v, "missing: Memcached's host:port")
                }
                var configuration = MemcachedConfiguration(host: host, port: port)
                if let timeout { configuration.commandTimeout = timeout }
                memcached = configuration
            default:
                var directory: String? = nil
                var configuration = SessionFilesConfiguration(directory: "")
                for (fk, fv) in try mapping(v, skey, allowed: ["dir", "prefix", "gc_maxlifetime"]) {
                    switch fk {
                    case "dir": directory = try string(fv, "\(skey).dir")
                    case "prefix": configuration.prefix = try string(fv, "\(skey).prefix")
                    default: configuration.gcMaxLifetime = try int(fv, "\(skey).gc_maxlifetime", min: 1)
                    }
                }
                guard let directory else { throw fail("\(skey).dir", v, "missing: PHP's session.save_path") }
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
                    isDirectory.boolValue
                else { throw fail("\(skey).dir", v, "the directory \(directory) does not exist") }
                configuration.directory = directory
                files = configuration
            }
        }
        if let redis {
            guard sql == nil && memcached == nil && files == nil else {
                throw fail(key, node, "give one legacy store: redis, files, or mysql (with memcached in front)")
            }
            return .redis(redis, pattern: redisPattern)
        }
        if redisPattern != nil { throw fail("\(key).session_key", node, "names the keys of a legacy redis store only") }
        if let files {
            guard sql == nil && memcached == nil else {
                throw fail(key, node, "give files, or mysql (with memcached in front), not both")
            }
            return .files(files)
        }
        guard let sql else {
            throw fail(
                "\(key).mysql", node,
                "missing: the table sessions are kept in (memcached alone is not a store of record)")
        }
        return .sql(sql, memcached: memcached, keyPrefix: keyPrefix)
    }

    func readSQL(_ node: Node, _ key: String) throws -> SQLSessionsConfiguration {
        let keys = [
            "address", "socket", "user", "password", "database", "table", "id_column", "data_column",
            "lifetime_column", "time_column", "expires_column", "timeout", "connections",
        ]
        var values: [String: (String, Node)] = [:]
        var configuration = SQLSessionsConfiguration(database: "", table: "")
        for (k, v) in try mapping(node, key, allowed: keys) {
            let vkey = "\(key).\(k)"
            switch k {
            case "address":
                guard case .tcp(let host, let port) = try nodeAddress(v, vkey) else {
                    throw fail(vkey, v, "expected host:port (a unix socket is given as socket)")
                }
                configuration.host = host
                configuration.port = port
            case "timeout":
                let timeout = try duration(v, vkey, in: .seconds(1) ... .minutes(1))
                configuration.timeoutSeconds = Int(timeout.nanoseconds / 1_000_000_000)
            case "connections": configuration.connections = try int(v, vkey, min: 1, max: 256)
            default: values[k] = (try string(v, vkey), v)
            }
        }
        func name(_ k: String, _ fallback: String? = nil) throws -> String? {
            guard let (text, node) = values[k] else { return fallback }
            do {
                _ = try SQLSessions.quotedName(text)
            } catch {
                throw fail("\(key).\(k)", node, "\(error)")
            }
            return text
        }
        guard let database = values["database"]?.0, !database.isEmpty else {
            throw fail("\(key).database", node, "missing: the database the session table is in")
        }
        guard let table = try name("table") else { throw fail("\(key).table", node, "missing: the session table") }
        configuration.database = database
        configuration.table = table
        configuration.socket = values["socket"]?.0
        configuration.user = values["user"]?.0 ?? configuration.user
        configuration.password = values["password"]?.0
        configuration.idColumn = try name("id_column", configuration.idColumn)!
        configuration.dataColumn = try name("data_column", configuration.dataColumn)!
        if let expires = try name("expires_column") {
            guard values["lifetime_column"] == nil && values["time_column"] == nil else {
                throw fail(key, node, "give expires_column (a Unix time), or lifetime_column and time_column, not both")
            }
            configuration.expiry = .unixTime(column: expires)
        } else {
            configuration.expiry = .lifetime(
                lifetimeColumn: try name("lifetime_column", "sess_lifetime")!,
                timeColumn: try name("time_column", "sess_time")!)
        }
        return configuration
    }
}
