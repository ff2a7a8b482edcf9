// The scalar readers of porter.yaml: strings, numbers, durations and sizes with their ranges,
// addresses and the small sections built from them. Each error names the key and the line.

import Foundation
import NIOCore
import Proxy
import Topology
import Upstream
import Yams

extension ConfigReader {
    /// `'text'` for an error message, unless the node's value came from the environment.
    func quoted(_ text: String, _ node: Node) -> String {
        if let line = node.mark?.line, self.substitutedLines.contains(line) { return "the value from ${...}" }
        return "'\(text)'"
    }

    func fail(_ key: String, _ node: Node?, _ message: String) -> ConfigurationError {
        ConfigurationError(key: key, line: node.map { $0.mark.map { $0.line } } ?? nil, message: message)
    }

    func mapping(_ node: Node, _ key: String, allowed: [String]) throws -> [(String, Node)] {
        guard case .mapping(let mapping) = node else {
            throw fail(key, node, "expected a mapping with keys \(allowed.joined(separator: ", "))")
        }
        var result: [(String, Node)] = []
        for (k, v) in mapping {
            guard let name = k.string else { throw fail(key, k, "keys must be strings") }
            let path = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                throw fail(path, k, "unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
            result.append((name, v))
        }
        return result
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw fail(key, node, "expected a string") }
        return scalar.string
    }

    func int(_ node: Node, _ key: String, min: Int, max: Int = .max) throws -> Int {
        guard let value = Int(try string(node, key)) else { throw fail(key, node, "expected a whole number") }
        guard value >= min && value <= max else {
            throw fail(key, node, max == .max ? "must be at least \(min)" : "must be between \(min) and \(max)")
        }
        return value
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        switch try string(node, key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(key, node, "expected true or false")
        }
    }

    /// `250ms`, `2s`, `1m`, `1h`, or a number of milliseconds, within `range` (every duration has one:
    /// a value past what a timer can hold would trap, and no sane setting is near it).
    func duration(_ node: Node, _ key: String, in range: ClosedRange<TimeAmount>) throws -> TimeAmount {
        let text = try string(node, key).trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 1e6), ("us", 1e3), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        var nanos: Double? = nil
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            nanos = Self.plainNumber(text.dropLast(suffix.count)).map { $0 * scale }
            break
        }
        if nanos == nil, let ms = Self.plainNumber(Substring(text)) { nanos = ms * 1e6 }
        let between = "between \(Self.describe(range.lowerBound)) and \(Self.describe(range.upperBound))"
        guard let nanos, nanos >= 0 else {
            throw fail(key, node, "expected a duration such as 250ms, 2s or 1m, \(between)")
        }
        guard nanos >= Double(range.lowerBound.nanoseconds) && nanos <= Double(range.upperBound.nanoseconds) else {
            throw fail(key, node, "must be \(between)")
        }
        return .nanoseconds(Int64(nanos))
    }

    /// A finite decimal number (no `nan`, `inf` or hex, which Double(_:) would also take).
    static func plainNumber(_ text: Substring) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }),
            let value = Double(text), value.isFinite
        else { return nil }
        return value
    }

    /// A duration as a person writes it in porter.yaml.
    static func describe(_ amount: TimeAmount) -> String {
        let ns = amount.nanoseconds
        if ns == 0 { return "0" }
        if ns % 3_600_000_000_000 == 0 { return "\(ns / 3_600_000_000_000)h" }
        if ns % 60_000_000_000 == 0 { return "\(ns / 60_000_000_000)m" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        return "\(ns / 1_000)us"
    }

    /// `64kb`, `512mb`, `1gb` or a number of bytes, within `range`.
    func size(_ node: Node, _ key: String, in range: ClosedRange<Int>) throws -> Int {
        let text = try string(node, key).lowercased().trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("kb", 1024), ("mb", 1024 * 1024), ("gb", 1024 * 1024 * 1024), ("b", 1)]
        var bytes: Int? = nil
        var matched = false
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            matched = true
            if let value = Int(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), value > 0 {
                let (product, overflow) = value.multipliedReportingOverflow(by: scale)
                bytes = overflow ? .max : product
            }
            break
        }
        if !matched, let value = Int(text), value > 0 { bytes = value }
        guard let bytes else { throw fail(key, node, "expected a size such as 64kb or 512mb") }
        guard range.contains(bytes) else {
            throw fail(
                key, node,
                "must be between \(Self.describe(bytes: range.lowerBound)) and \(Self.describe(bytes: range.upperBound))"
            )
        }
        return bytes
    }

    static func describe(bytes: Int) -> String {
        for (suffix, scale) in [("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10)] where bytes % scale == 0 {
            return "\(bytes / scale)\(suffix)"
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }

    func listenAddress(_ node: Node, _ key: String) throws -> ListenAddress {
        let text = try string(node, key)
        guard let address = try address(text, node, key) else {
            throw fail(key, node, "expected host:port or unix:/path, got \(quoted(text, node))")
        }
        switch address {
        case .tcp(let host, let port): return .tcp(host: host, port: port)
        case .unix(let path): return .unix(path: path)
        }
    }

    func nodeAddress(_ node: Node, _ key: String) throws -> NodeAddress {
        let text = try string(node, key)
        guard let address = try address(text, node, key) else {
            throw fail(key, node, "expected host:port or unix:/path, got \(quoted(text, node))")
        }
        return address
    }

    /// `host:port` or `unix:/path`; a URL (`tls://`, `redis://`) is refused by name, since a host
    /// of `tls` with a path would otherwise pass as a name to resolve.
    func address(_ text: String, _ node: Node, _ key: String) throws -> NodeAddress? {
        if let scheme = text.range(of: "://") {
            throw fail(
                key, node,
                "expected host:port or unix:/path, not a URL ('\(text[..<scheme.lowerBound])://' is not supported)")
        }
        guard let address = NodeAddress(parsing: text) else { return nil }
        if case .tcp(let host, _) = address,
            !host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:%".contains($0)) })
        {
            return nil
        }
        return address
    }

    func sentinelSettings(
        _ node: Node, _ key: String, tlsByNode: inout [NodeAddress: UpstreamTLS?]
    ) throws -> SentinelSettings {
        var master: String? = nil
        var nodes: [NodeAddress] = []
        var password: String? = nil
        var tls: UpstreamTLS?? = nil
        for (k, v) in try mapping(node, key, allowed: ["master", "nodes", "password", "tls"]) {
            switch k {
            case "tls": tls = .some(try readTLS(v, "\(key).tls"))
            case "master": master = try string(v, "\(key).master")
            case "password": password = try string(v, "\(key).password")
            default:
                guard case .sequence(let list) = v, !list.isEmpty else {
                    throw fail("\(key).nodes", v, "expected a list of sentinel host:port")
                }
                nodes = try list.enumerated().map { try nodeAddress($0.element, "\(key).nodes[\($0.offset)]") }
            }
        }
        guard let master, !nodes.isEmpty else {
            throw fail(key, node, "needs master (the name the sentinels monitor) and nodes")
        }
        if let tls { for address in nodes { tlsByNode[address] = tls } }
        return SentinelSettings(master: master, nodes: nodes, password: password)
    }

    /// `cluster: { seeds: [host:port, …], refresh_interval: 5s }`.
    func clusterSettings(_ node: Node, _ key: String, tls: inout UpstreamTLS?) throws -> ClusterSettings {
        var settings = ClusterSettings(seeds: [])
        for (k, v) in try mapping(node, key, allowed: ["seeds", "refresh_interval", "tls"]) {
            if k == "tls" {
                tls = try readTLS(v, "\(key).tls")
                continue
            }
            if k == "refresh_interval" {
                settings.refreshInterval = try duration(
                    v, "\(key).refresh_interval", in: .milliseconds(100) ... .hours(1))
                continue
            }
            guard case .sequence(let list) = v, !list.isEmpty else {
                throw fail("\(key).seeds", v, "expected a list of cluster nodes, host:port")
            }
            settings.seeds = try list.enumerated().map { try nodeAddress($0.element, "\(key).seeds[\($0.offset)]") }
        }
        guard !settings.seeds.isEmpty else { throw fail(key, node, "needs seeds: one or more of the cluster's nodes") }
        return settings
    }

    func readPolicy(_ node: Node, _ key: String) throws -> ReadPolicy {
        let text = try string(node, key)
        guard let policy = ReadPolicy(rawValue: text) else {
            throw fail(key, node, "expected one of: \(ReadPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return policy
    }

    func notYet(_ key: String, _ node: Node, _ what: String) -> ConfigurationError {
        fail(key, node, "\(what) is not available in this version of Porter")
    }
}
