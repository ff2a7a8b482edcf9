import Foundation
import Hashing
import Yams

/// `porter import-twemproxy`: a nutcracker.yml pool as the equivalent porter.yaml. Each server
/// becomes a group named by its nutcracker identity (its name, or `host:port`; `host` alone for
/// port 11211, as nutcracker hashes it), with its weight; hash, distribution and hash_tag carry
/// over, so every key stays on the server it is on. What has no Porter equivalent is named in
/// comments at the top of the output, with why.
public enum TwemproxyImport {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { self.message }
    }

    /// The porter.yaml for `pool` of `yaml` (the only pool when nil).
    public static func convert(yaml: String, pool wanted: String? = nil) throws -> String {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw Failure(message: "not valid YAML: \(error)")
        }
        guard let pools = root?.mapping, !pools.isEmpty else {
            throw Failure(message: "expected nutcracker pools (a mapping of pool names to settings)")
        }
        let names = pools.keys.compactMap(\.string)
        let name: String
        if let wanted {
            guard names.contains(wanted) else {
                throw Failure(message: "no pool '\(wanted)'; the pools are \(names.joined(separator: ", "))")
            }
            name = wanted
        } else {
            guard names.count == 1 else {
                throw Failure(
                    message:
                        "\(names.count) pools (\(names.joined(separator: ", "))): one Porter serves one pool; name it with --pool"
                )
            }
            name = names[0]
        }
        guard let pool = pools[Node(name)]?.mapping else { throw Failure(message: "pool '\(name)' is not a mapping") }
        return try self.convert(pool: pool, name: name)
    }

    static func convert(pool: Node.Mapping, name: String) throws -> String {
        var settings: [String: Node] = [:]
        for (key, value) in pool { if let key = key.string { settings[key] = value } }
        func text(_ key: String) -> String? { settings[key]?.string }
        func number(_ key: String) throws -> Int? {
            guard let raw = text(key) else { return nil }
            guard let value = Int(raw), value >= 0 else { throw Failure(message: "\(key): '\(raw)' is not a number") }
            return value
        }
        // nutcracker 0.5's pool keys; it refuses any other, and so does the import.
        let known: Set<String> = [
            "listen", "hash", "hash_tag", "distribution", "timeout", "backlog", "client_connections", "redis",
            "tcpkeepalive", "reuseport", "redis_auth", "redis_db", "preconnect", "auto_eject_hosts",
            "server_connections", "server_retry_timeout", "server_failure_limit", "servers", "stats_listen",
        ]
        if let unknown = settings.keys.sorted().first(where: { !known.contains($0) }) {
            throw Failure(message: "pool '\(name)': '\(unknown)' is not a nutcracker setting")
        }
        var notes: [String] = []
        if let redis = text("redis"), redis != "true" {
            throw Failure(message: "pool '\(name)' is a memcached pool (redis: \(redis)); Porter speaks Redis")
        }
        if text("redis") == nil {
            throw Failure(
                message: "pool '\(name)' has no 'redis: true', so it is a memcached pool; Porter speaks Redis")
        }
        var out = "# Made by `porter import-twemproxy` from nutcracker pool '\(name)'.\n"
        out += "# Every key stays on the server it is on under nutcracker: the groups keep nutcracker's\n"
        out += "# server identities (names), weights and order, and the hash settings carry over.\n"

        // Listen address.
        var listen = "127.0.0.1:6380"
        if let raw = text("listen") {
            if raw.hasPrefix("/") {
                listen = "unix:" + (raw.split(separator: " ").first.map(String.init) ?? raw)
                if raw.contains(" ") { notes.append("listen: the socket's permissions are not carried over") }
            } else {
                listen = raw
            }
        }
        var body = "listen: \(quote(listen))\n"
        if let clients = try number("client_connections"), clients > 0 {
            body += "limits:\n  max_clients: \(clients)\n"
        }
        if let password = text("redis_auth") {
            body += "auth:\n  password: \(quote(password))  # nutcracker's redis_auth (or \"${PORTER_PASSWORD}\")\n"
        }
        body += "upstream:\n"
        let hash = text("hash") ?? "fnv1a_64"
        guard HashFunction(rawValue: hash) != nil else { throw Failure(message: "hash: unknown '\(hash)'") }
        let distribution = text("distribution") ?? "ketama"
        guard let dist = Distribution(rawValue: distribution) else {
            throw Failure(message: "distribution: unknown '\(distribution)'")
        }
        body += "  hash: \(hash)\n  distribution: \(distribution)\n"
        if dist == .random { notes.append("distribution: random sends each request to any group: only for caches") }
        if let tag = text("hash_tag") { body += "  hash_tag: \(quote(tag))\n" }
        if let password = text("redis_auth") { body += "  password: \(quote(password))\n" }
        var pool: [String] = []
        if let timeout = try number("timeout") {
            pool.append("command_timeout: \(timeout)ms")
            pool.append("connect_timeout: \(timeout)ms")
        }
        if let connections = try number("server_connections") { pool.append("connections_per_node: \(connections)") }
        if !pool.isEmpty { body += "  pool: { \(pool.joined(separator: ", ")) }\n" }
        if let db = try number("redis_db"), db != 0 {
            guard db < 16 else { throw Failure(message: "redis_db: \(db) is over 15") }
            if text("redis_auth") != nil {
                // nutcracker sends SELECT before AUTH, the server refuses it, and the keys land
                // in database 0 (twemproxy issue #457; seen with Debian's 0.5.0).
                notes.append(
                    "redis_db: \(db) is not carried over: with redis_auth set nutcracker never selects it (twemproxy issue #457), so its keys are in database 0, where Porter keeps clients; set upstream.database: \(db) only after moving them"
                )
            } else {
                // Clients start in it, as nutcracker's server connections SELECT it.
                body += "  database: \(db)\n"
            }
        }
        if text("auto_eject_hosts") == "true" {
            notes.append(
                "auto_eject_hosts: not carried over: Porter never moves a group's keys to another group (that loses sessions); a group without a primary waits (write_wait) or fails its own keys"
            )
        }
        for key in ["server_retry_timeout", "server_failure_limit"] where settings[key] != nil {
            notes.append("\(key): Porter's health checks (upstream.health) decide when a node is down")
        }
        for key in ["preconnect", "tcpkeepalive", "backlog", "reuseport", "stats_listen"] where settings[key] != nil {
            notes.append("\(key): not needed (Porter always connects ahead and keeps connections alive)")
        }

        guard case .sequence(let servers)? = settings["servers"], !servers.isEmpty else {
            throw Failure(message: "pool '\(name)' has no servers")
        }
        body += "  groups:\n"
        var identities = Set<String>()
        for (index, server) in servers.enumerated() {
            guard let line = server.string else { throw Failure(message: "servers[\(index)]: expected a string") }
            let (identity, address, weight) = try self.server(line, index: index)
            guard identities.insert(identity).inserted else {
                throw Failure(message: "servers[\(index)]: a second server named '\(identity)'")
            }
            body += "    - { name: \(quote(identity)), primary: \(quote(address)), weight: \(weight) }\n"
        }
        for note in notes { out += "# Note: \(note)\n" }
        return out + body
    }

    /// nutcracker's `host:port:weight [name]` or `/path:weight [name]`: the ring identity (the
    /// name, else what nutcracker hashes), the address and the weight.
    static func server(_ line: String, index: Int) throws -> (identity: String, address: String, weight: Int) {
        var spec = Substring(line)
        var name: String? = nil
        if let space = spec.lastIndex(of: " ") {
            name = String(spec[spec.index(after: space)...])
            spec = spec[..<space]
        }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
        let bad = Failure(message: "servers[\(index)]: '\(line)' is not host:port:weight [name] or /path:weight [name]")
        if spec.hasPrefix("/") {
            guard parts.count == 2, let weight = Int(parts[1]), weight > 0 else { throw bad }
            return (name ?? String(parts[0]), "unix:\(parts[0])", weight)
        }
        guard parts.count == 3, let port = Int(parts[1]), (1...65535).contains(port), let weight = Int(parts[2]),
            weight > 0
        else { throw bad }
        let host = String(parts[0])
        // nutcracker hashes `host` alone for port 11211 (libmemcached's habit), `host:port` otherwise.
        return (name ?? (port == 11211 ? host : "\(host):\(port)"), "\(host):\(port)", weight)
    }

    /// A JSON string is a YAML double-quoted scalar: one escaper serves both.
    static func quote(_ text: String) -> String { PorterLogHandler.jsonString(text) }
}
