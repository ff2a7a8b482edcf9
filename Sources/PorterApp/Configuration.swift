// PorterApp — builds the whole from one validated configuration.
//
// Owns: parsing and validating porter.yaml into typed values (modules never see YAML), the
// logging back end, and the ServiceGroup that runs the proxy and shuts it down gracefully.

import Admin
import Foundation
import Hashing
import NIOCore
import Proxy
import RESP
import Topology
import Upstream
import Yams

/// The whole of porter.yaml, validated.
public struct PorterConfiguration: Sendable {
    public var proxy = ProxyConfiguration()
    /// Event loop threads (`threads`); each has its own upstream pools.
    public var threads = 1
    public var log = LogConfiguration()
    public var admin = AdminConfiguration()
    /// Sessions moving from a legacy store to Redis (`migration`; nil: none).
    public var migration: MigrationConfiguration?
    /// Where a running Porter hands its sockets to a successor (`shutdown.takeover_socket`;
    /// nil: off). By default beside the first listen address's name, in `$RUNTIME_DIRECTORY`
    /// (systemd's) or /tmp.
    public var takeoverSocket: String?

    public init() {}

    /// Parses and validates YAML text. Errors name the key, the line and what was expected, and
    /// never quote a value that came from the environment (it may be a secret).
    public static func parse(yaml text: String, environment: [String: String]) throws -> PorterConfiguration {
        let (text, substituted) = try substituteEnvironment(text, environment)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, substitutedLines: substituted)
        } catch {
            throw ConfigurationError(key: "", line: nil, message: "not valid YAML")
        }
        guard let root else { throw ConfigurationError(key: "", line: 1, message: "the file is empty") }
        var reader = ConfigReader(environment: environment, substitutedLines: substituted)
        return try reader.read(root)
    }

    /// Yams' own description quotes the offending line, which may hold a substituted secret: say
    /// only what was wrong and where.
    static func yamlError(_ error: YamlError, substitutedLines: Set<Int>) -> ConfigurationError {
        let problem: String
        let mark: Yams.Mark?
        switch error {
        case .scanner(_, let p, let m, _), .parser(_, let p, let m, _), .composer(_, let p, let m, _):
            (problem, mark) = (p, m)
        case .reader(let p, _, _, _):
            (problem, mark) = (p, nil)
        case .duplicatedKeysInMapping(let duplicates, _):
            (problem, mark) = ("duplicate keys \(duplicates.joined(separator: ", "))", nil)
        default:
            (problem, mark) = ("\(error)", nil)
        }
        var message = "not valid YAML: \(problem)"
        if let mark {
            message += " at column \(mark.column)"
            if substitutedLines.contains(mark.line) {
                message += ", on a line with a ${...} value (quote it if it holds YAML characters)"
            }
        }
        return ConfigurationError(key: "", line: mark?.line, message: message)
    }

    public static func load(path: String, environment: [String: String]) throws -> PorterConfiguration {
        guard let data = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(key: "", line: nil, message: "cannot read config file \(path)")
        }
        return try parse(yaml: data, environment: environment)
    }
}

/// Replaces `${NAME}` with the environment variable NAME before parsing, so secrets can sit
/// anywhere a value can, flow mappings included (`auth: { password: ${PORTER_PASSWORD} }`).
/// Comments are left alone: a `${NAME}` in a commented-out line needs no variable.
/// Returns the text and the lines (of the result) that hold a substituted value.
func substituteEnvironment(_ text: String, _ environment: [String: String]) throws -> (String, Set<Int>) {
    guard text.contains("${") else { return (text, []) }
    var result = ""
    var line = 1  // of the result
    var substituted = Set<Int>()
    for source in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if source.offset > 0 {
            result += "\n"
            line += 1
        }
        let comment = commentStart(source.element)
        var rest = source.element[..<comment]
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            let name = rest[start.upperBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            guard !name.isEmpty, name.endIndex < rest.endIndex, rest[name.endIndex] == "}" else {
                throw ConfigurationError(
                    key: "", line: line,
                    message: "unterminated ${: expected ${NAME}, NAME made of letters, digits and _")
            }
            guard let value = environment[String(name)] else {
                throw ConfigurationError(key: "", line: line, message: "environment variable \(name) is not set")
            }
            let newlines = value.filter { $0 == "\n" }.count
            for l in line...(line + newlines) { substituted.insert(l) }
            line += newlines
            result += value
            rest = rest[rest.index(after: name.endIndex)...]
        }
        result += rest
        result += source.element[comment...]
    }
    return (result, substituted)
}

/// Where a YAML comment starts on `line` (its end when there is none): a `#` at the start or
/// after a space or tab, outside quotes.
func commentStart(_ line: Substring) -> Substring.Index {
    var quote: Character? = nil
    var previous: Character = " "
    for index in line.indices {
        let character = line[index]
        if let open = quote {
            if character == open { quote = nil }
        } else if character == "\"" || character == "'" {
            quote = character
        } else if character == "#" && (previous == " " || previous == "\t") {
            return index
        }
        previous = character
    }
    return line.endIndex
}

public struct LogConfiguration: Sendable {
    public enum Format: String, Sendable { case logfmt, json }
    public var level: String = "info"
    public var format: Format = .logfmt
    /// Nil: standard error.
    public var file: String? = nil
    /// Lines held for the writer thread; past this, lines are dropped and counted.
    public var bufferLines = 10_000

    public init() {}
}

public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let key: String
    public let line: Int?
    public let message: String

    public init(key: String, line: Int?, message: String) {
        self.key = key
        self.line = line
        self.message = message
    }

    public var description: String {
        var text = key.isEmpty ? "" : "\(key): "
        text += message
        if let line { text += " (line \(line))" }
        return text
    }
}

/// Walks the YAML tree with the key path, so every error can say where it is.
struct ConfigReader {
    let environment: [String: String]
    /// Lines holding a value from `${NAME}`: errors there do not quote the value.
    var substitutedLines: Set<Int> = []

    mutating func read(_ root: Node) throws -> PorterConfiguration {
        var config = PorterConfiguration()
        var sawUpstream = false
        var sawTakeoverSocket = false
        for (name, value) in try mapping(
            root, "",
            allowed: ["listen", "threads", "admin", "auth", "tls", "log", "limits", "upstream", "shutdown", "migration"])
        {
            switch name {
            case "listen":
                if case .sequence(let items) = value {
                    config.proxy.listen = try items.enumerated().map {
                        try listenAddress($0.element, "listen[\($0.offset)]")
                    }
                    if config.proxy.listen.isEmpty { throw fail("listen", value, "needs at least one address") }
                } else {
                    config.proxy.listen = [try listenAddress(value, "listen")]
                }
            case "threads":
                // `auto`: one event loop per core (each loop has its own upstream connections).
                config.threads =
                    try string(value, "threads").lowercased() == "auto"
                    ? Swift.min(64, System.coreCount) : int(value, "threads", min: 1, max: 64)
            case "admin":
                config.admin = try readAdmin(value)
            case "auth":
                config.proxy.access = try readAuth(value)
            case "tls":
                config.proxy.clientTLS = try readClientTLS(value)
            case "log":
                for (k, v) in try mapping(value, "log", allowed: ["level", "format", "file", "buffer_lines"]) {
                    switch k {
                    case "level":
                        let level = try string(v, "log.level").lowercased()
                        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
                        guard levels.contains(level) else {
                            throw fail("log.level", v, "expected one of: \(levels.joined(separator: ", "))")
                        }
                        config.log.level = level
                    case "format":
                        guard let format = LogConfiguration.Format(rawValue: try string(v, "log.format")) else {
                            throw fail("log.format", v, "expected logfmt or json")
                        }
                        config.log.format = format
                    case "file":
                        let file = try string(v, "log.file")
                        config.log.file = file == "stderr" ? nil : file
                    default:
                        config.log.bufferLines = try int(v, "log.buffer_lines", min: 16, max: 10_000_000)
                    }
                }
            case "limits":
                try readLimits(value, into: &config.proxy)
            case "upstream":
                sawUpstream = true
                try readUpstream(value, into: &config.proxy)
            case "shutdown":
                for (k, v) in try mapping(value, "shutdown", allowed: ["drain_timeout", "takeover_socket"]) {
                    if k == "takeover_socket" {
                        let path = try string(v, "shutdown.takeover_socket")
                        config.takeoverSocket = path.isEmpty || path == "off" ? nil : path
                        sawTakeoverSocket = true
                        continue
                    }
                    config.proxy.drainTimeout = try duration(
                        v, "shutdown.drain_timeout", in: .milliseconds(1) ... .hours(1))
                }
            default:
                config.migration = try readMigration(value)
            }
        }
        try self.checkAddresses(config, root)
        if !sawTakeoverSocket {
            config.takeoverSocket = PorterConfiguration.defaultTakeoverSocket(
                config.proxy.listen[0], runtimeDirectory: self.environment["RUNTIME_DIRECTORY"])
        }
        try self.checkLegacyRedis(config)
        if let file = config.log.file {
            let directory = (file as NSString).deletingLastPathComponent
            let dir = directory.isEmpty ? "." : directory
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError(key: "log.file", line: nil, message: "the directory \(dir) does not exist")
            }
            guard access(dir, W_OK) == 0 || FileManager.default.isWritableFile(atPath: file) else {
                throw ConfigurationError(key: "log.file", line: nil, message: "Porter cannot write to \(dir)")
            }
        }
        if config.admin.token == nil, let token = self.environment["PORTER_ADMIN_TOKEN"], !token.isEmpty {
            config.admin.token = token
        }
        if !sawUpstream {
            throw ConfigurationError(
                key: "upstream", line: nil, message: "missing: Porter needs at least one group with a primary")
        }
        return config
    }

    /// What `run` would refuse when it binds: the same address twice, or the admin server on a
    /// port the proxy listens on.
    func checkAddresses(_ config: PorterConfiguration, _ root: Node) throws {
        var seen = Set<ListenAddress>()
        for address in config.proxy.listen where !seen.insert(address).inserted {
            throw ConfigurationError(key: "listen", line: nil, message: "\(address) is listed twice")
        }
        guard config.admin.enabled, config.admin.port != 0 else { return }
        for case .tcp(let host, let port) in config.proxy.listen where port == config.admin.port {
            let wildcard = ["0.0.0.0", "::", "*"]
            if host == config.admin.host || wildcard.contains(host) || wildcard.contains(config.admin.host) {
                throw ConfigurationError(
                    key: "admin", line: nil,
                    message: "\(config.admin.host):\(config.admin.port) is also a listen address of the proxy")
            }
        }
    }

    /// `admin: 127.0.0.1:9180`, `admin: off`, or a mapping with `listen`, `token`,
    /// `ready_without_primary` and `sample_interval`.
    func readAdmin(_ node: Node) throws -> AdminConfiguration {
        var admin = AdminConfiguration()
        func address(_ node: Node, _ key: String) throws {
            let text = try string(node, key)
            if ["off", "false", "no"].contains(text.lowercased()) {
                admin.enabled = false
                return
            }
            if text.hasPrefix("unix:") {
                let path = String(text.dropFirst(5))
                guard path.hasPrefix("/") else { throw fail(key, node, "expected unix:/absolute/path") }
                admin.unixPath = path
                return
            }
            // Port 0 takes any free port (tests; the port is logged).
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                (0...65535).contains(port), colon != text.startIndex
            else {
                throw fail(
                    key, node, "expected host:port, unix:/path or off, got \(quoted(text, node))")
            }
            admin.host = String(text[..<colon])
            admin.port = port
        }
        guard case .mapping = node else {
            try address(node, "admin")
            return admin
        }
        for (k, v) in try mapping(
            node, "admin",
            allowed: [
                "listen", "token", "ready_without_primary", "ready_requires_every_shard", "sample_interval",
                "protect_reads", "socket_mode", "tls",
            ])
        {
            let key = "admin.\(k)"
            switch k {
            case "listen": try address(v, key)
            case "token":
                let token = try string(v, key)
                guard token.utf8.count >= 16 else {
                    throw fail(key, v, "must be at least 16 characters (it guards config reloads)")
                }
                admin.token = token
            case "ready_without_primary": admin.readyWithoutPrimary = try bool(v, key)
            case "ready_requires_every_shard": admin.readyRequiresEveryShard = try bool(v, key)
            case "protect_reads": admin.protectReads = try bool(v, key)
            case "tls": (admin.tlsCertFile, admin.tlsKeyFile) = try readAdminTLS(v, key)
            case "socket_mode":
                let text = try string(v, key)
                guard let mode = Int(text, radix: 8), (0...0o777).contains(mode) else {
                    throw fail(key, v, "expected permissions in octal, such as 0660, got \(quoted(text, v))")
                }
                admin.socketMode = mode
            default:
                let interval = try duration(v, key, in: .milliseconds(100) ... .hours(1))
                admin.sampleInterval = .nanoseconds(interval.nanoseconds)
            }
        }
        return admin
    }

    func readLimits(_ node: Node, into proxy: inout ProxyConfiguration) throws {
        let keys = [
            "max_bulk_bytes", "max_array_length", "max_depth", "max_inline_bytes", "max_pipeline", "max_clients",
            "client_idle_timeout", "stream_bulk_bytes", "max_buffered_request_bytes", "request_timeout",
        ]
        for (k, v) in try mapping(node, "limits", allowed: keys) {
            let key = "limits.\(k)"
            switch k {
            case "max_bulk_bytes": proxy.limits.maxBulkLength = try size(v, key, in: 1...(4 << 30))
            case "max_array_length": proxy.limits.maxArrayLength = try int(v, key, min: 1, max: 1 << 30)
            case "max_depth": proxy.limits.maxDepth = try int(v, key, min: 1, max: 1000)
            case "max_inline_bytes": proxy.limits.maxInlineLength = try size(v, key, in: 1...(64 << 20))
            case "max_pipeline": proxy.maxPipeline = try int(v, key, min: 1, max: 1_000_000)
            case "stream_bulk_bytes":
                let off = ["off", "false", "no"].contains((try? string(v, key))?.lowercased() ?? "")
                proxy.limits.streamBulkLength = off ? .max : try size(v, key, in: 1024...(4 << 30))
            case "max_clients": proxy.maxClients = try int(v, key, min: 1, max: 1_000_000)
            case "max_buffered_request_bytes": proxy.maxBufferedRequestBytes = try size(v, key, in: (64 << 10)...(64 << 30))
            case "request_timeout": proxy.requestTimeout = try duration(v, key, in: .seconds(1) ... .hours(1))
            default: proxy.clientIdleTimeout = try duration(v, key, in: .zero ... .hours(24 * 30))
            }
        }
        proxy.upstream.limits = proxy.limits
    }

    /// `upstream` (or a section of the same shape, at `key`: a legacy Redis topology).
    func readUpstream(_ node: Node, into proxy: inout ProxyConfiguration, key section: String = "upstream") throws {
        let keys = [
            "groups", "cluster", "pool", "username", "password", "read_from", "read_routes", "retry_reads", "hash",
            "distribution",
            "hash_tag",
            "read_your_writes_window", "health", "write_wait", "wait_replicas", "wait_timeout", "wait_prefixes", "tls",
            "database",
        ]
        for (k, v) in try mapping(node, section, allowed: keys) {
            let key = "\(section).\(k)"
            switch k {
            case "hash":
                let name = try string(v, key)
                guard let hash = HashFunction(rawValue: name) else {
                    throw fail(
                        key, v,
                        "unknown hash \(quoted(name, v)); one of \(HashFunction.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                proxy.sharding.hash = hash
            case "distribution":
                let name = try string(v, key)
                guard let distribution = Distribution(rawValue: name) else {
                    throw fail(key, v, "unknown distribution \(quoted(name, v)); one of ketama, modula, random")
                }
                proxy.sharding.distribution = distribution
            case "hash_tag":
                let text = try string(v, key)
                guard let tag = HashTag(text) else {
                    throw fail(key, v, "expected two characters, e.g. \"{}\" (nutcracker's hash_tag)")
                }
                proxy.sharding.hashTag = tag
            case "cluster":
                proxy.cluster = try clusterSettings(v, key, tls: &proxy.upstream.tls)
                // Replicas serve their slots' reads only after READONLY; a cluster has one database.
                proxy.upstream.clusterReadOnly = true
                proxy.databases = 1
            case "tls": proxy.upstream.tls = try readTLS(v, key)
            case "database": proxy.defaultDatabase = try int(v, key, min: 0, max: 15)
            case "username": proxy.upstream.username = try string(v, key)
            case "password": proxy.upstream.password = try string(v, key)
            case "read_from": proxy.readPolicy = try readPolicy(v, key)
            case "retry_reads": proxy.retryReads = try bool(v, key)
            case "read_your_writes_window":
                proxy.readYourWritesWindow = try duration(v, key, in: .zero ... .minutes(10))
            case "write_wait": proxy.writeWait = try duration(v, key, in: .zero ... .minutes(5))
            case "wait_replicas": proxy.waitReplicas = try int(v, key, min: 0, max: 64)
            case "wait_timeout": proxy.waitTimeout = try duration(v, key, in: .milliseconds(1) ... .minutes(1))
            case "wait_prefixes":
                guard case .sequence(let items) = v else {
                    throw fail(key, v, "expected a list of key prefixes, e.g. [\"PHPREDIS_SESSION:\"]")
                }
                proxy.waitPrefixes = try items.enumerated().map { Array(try string($1, "\(key)[\($0)]").utf8) }
            case "read_routes":
                guard case .sequence(let items) = v else {
                    throw fail(key, v, "expected a list of { prefix, read_from }")
                }
                for (index, item) in items.enumerated() {
                    let rkey = "\(key)[\(index)]"
                    var prefix: String? = nil
                    var policy: ReadPolicy? = nil
                    for (rk, rv) in try mapping(item, rkey, allowed: ["prefix", "read_from"]) {
                        if rk == "prefix" {
                            prefix = try string(rv, "\(rkey).prefix")
                        } else {
                            policy = try readPolicy(rv, "\(rkey).read_from")
                        }
                    }
                    guard let prefix, let policy else {
                        throw fail(rkey, item, "each route needs a prefix and a read_from")
                    }
                    proxy.readRoutes.append(ReadRoute(prefix: prefix, policy: policy))
                }
            case "health":
                let healthKeys = ["interval", "timeout", "rise", "fall", "eject_after_errors", "max_replica_lag"]
                for (hk, hv) in try mapping(v, key, allowed: healthKeys) {
                    let hkey = "\(key).\(hk)"
                    switch hk {
                    case "interval":
                        proxy.health.interval =
                            try duration(hv, hkey, in: .milliseconds(10) ... .hours(1)).nanoseconds / 1_000_000
                    case "timeout":
                        proxy.health.timeout =
                            try duration(hv, hkey, in: .milliseconds(1) ... .minutes(1)).nanoseconds / 1_000_000
                    case "rise": proxy.health.rise = try int(hv, hkey, min: 1, max: 100)
                    case "fall": proxy.health.fall = try int(hv, hkey, min: 1, max: 100)
                    case "eject_after_errors": proxy.health.ejectAfterErrors = try int(hv, hkey, min: 1, max: 1000)
                    default: proxy.health.maxReplicaLagBytes = Int64(try size(hv, hkey, in: 1...(1 << 40)))
                    }
                }
            case "pool":
                for (pk, pv) in try mapping(
                    v, key, allowed: ["connections_per_node", "connect_timeout", "command_timeout"])
                {
                    let pkey = "\(key).\(pk)"
                    switch pk {
                    case "connections_per_node": proxy.upstream.connectionsPerNode = try int(pv, pkey, min: 1, max: 64)
                    case "connect_timeout":
                        proxy.upstream.connectTimeout = try duration(pv, pkey, in: .milliseconds(1) ... .minutes(5))
                    default: proxy.upstream.commandTimeout = try duration(pv, pkey, in: .milliseconds(1) ... .hours(1))
                    }
                }
            case "groups":
                guard case .sequence(let items) = v, !items.isEmpty else {
                    throw fail(key, v, "expected a list of groups, each with a name and a primary")
                }
                for (index, item) in items.enumerated() {
                    let gkey = "\(key)[\(index)]"
                    var name: String? = nil
                    var primary: NodeAddress? = nil
                    var replicas: [NodeAddress] = []
                    var sentinel: SentinelSettings? = nil
                    var weight = 1
                    var groupTLS: UpstreamTLS?? = nil
                    for (gk, gv) in try mapping(
                        item, gkey, allowed: ["name", "primary", "replicas", "sentinel", "weight", "tls"])
                    {
                        switch gk {
                        case "tls": groupTLS = .some(try readTLS(gv, "\(gkey).tls"))
                        case "name": name = try string(gv, "\(gkey).name")
                        case "weight": weight = try int(gv, "\(gkey).weight", min: 1, max: 10_000)
                        case "primary": primary = try nodeAddress(gv, "\(gkey).primary")
                        case "replicas":
                            guard case .sequence(let list) = gv else {
                                throw fail("\(gkey).replicas", gv, "expected a list of host:port")
                            }
                            replicas = try list.enumerated().map {
                                try nodeAddress($0.element, "\(gkey).replicas[\($0.offset)]")
                            }
                        default:
                            sentinel = try sentinelSettings(gv, "\(gkey).sentinel", tlsByNode: &proxy.upstream.tlsByNode)
                        }
                    }
                    if sentinel != nil && primary == nil {
                        // Replaced by the sentinels' answer before Porter listens.
                        primary = .unix(path: "/awaiting-sentinel-discovery")
                    }
                    guard let primary else {
                        throw fail("\(gkey).primary", item, "missing: each group needs a primary or a sentinel section")
                    }
                    if replicas.contains(primary) {
                        throw fail("\(gkey).replicas", item, "the primary \(primary) is also listed as a replica")
                    }
                    let groupName = name ?? "group-\(index)"
                    // The name is the group's place on the ring (nutcracker's server name): two
                    // groups with one name would share it.
                    if proxy.groups.contains(where: { $0.name == groupName }) {
                        throw fail("\(gkey).name", item, "another group is already named \(quoted(groupName, item))")
                    }
                    if let groupTLS {
                        for address in [primary] + replicas { proxy.upstream.tlsByNode[address] = groupTLS }
                    }
                    proxy.groups.append(
                        GroupConfiguration(
                            name: groupName, primary: primary, replicas: replicas, sentinel: sentinel, weight: weight))
                }
            default:
                throw notYet(key, v, "'\(k)'")
            }
        }
        if proxy.cluster != nil && !proxy.groups.isEmpty {
            throw ConfigurationError(
                key: "\(section).cluster", line: node.mark?.line,
                message: "give either groups or cluster, not both: a cluster's shards come from the cluster")
        }
        if proxy.groups.isEmpty && proxy.cluster == nil {
            throw ConfigurationError(
                key: "\(section).groups", line: node.mark?.line,
                message: "missing: Porter needs at least one group with a primary, or a cluster")
        }
        if proxy.cluster != nil && proxy.defaultDatabase != 0 {
            throw ConfigurationError(
                key: "\(section).database", line: node.mark?.line,
                message: "must be 0 with a cluster: a Redis Cluster has one database")
        }
    }
}

extension AdminConfiguration {
    /// How a client on this machine reaches the admin server (`porter … --admin`): its unix
    /// socket, or its address with a wildcard host made loopback, over https with `tls`.
    public var clientAddress: String {
        if let unixPath = self.unixPath { return "unix:\(unixPath)" }
        let host = ["0.0.0.0", "::", "*", ""].contains(self.host) ? "127.0.0.1" : self.host
        let shown = host.contains(":") ? "[\(host)]" : host
        return self.tlsCertFile != nil ? "https://\(shown):\(self.port)" : "\(shown):\(self.port)"
    }
}
