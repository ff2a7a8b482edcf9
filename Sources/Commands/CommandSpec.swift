// Commands — what each Redis command is, to a proxy.
//
// Owns the command table (generated from redis-server's own COMMAND INFO/DOCS; see
// porter-gen-commands), the lookup of a request's command without building a String, key
// extraction from the request bytes by Redis' key specs, and Porter's policy for each command:
// forward it, answer it locally, or refuse it with a reason.

import RESP

/// Command flags, as COMMAND INFO reports them.
public struct CommandFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let admin = CommandFlags(rawValue: 1 << 0)
    public static let allowBusy = CommandFlags(rawValue: 1 << 1)
    public static let asking = CommandFlags(rawValue: 1 << 2)
    public static let blocking = CommandFlags(rawValue: 1 << 3)
    public static let denyoom = CommandFlags(rawValue: 1 << 4)
    public static let fast = CommandFlags(rawValue: 1 << 5)
    public static let loading = CommandFlags(rawValue: 1 << 6)
    public static let movablekeys = CommandFlags(rawValue: 1 << 7)
    public static let noAsyncLoading = CommandFlags(rawValue: 1 << 8)
    public static let noAuth = CommandFlags(rawValue: 1 << 9)
    public static let noMandatoryKeys = CommandFlags(rawValue: 1 << 10)
    public static let noMulti = CommandFlags(rawValue: 1 << 11)
    public static let noscript = CommandFlags(rawValue: 1 << 12)
    public static let pubsub = CommandFlags(rawValue: 1 << 13)
    public static let readonly = CommandFlags(rawValue: 1 << 14)
    public static let skipMonitor = CommandFlags(rawValue: 1 << 15)
    public static let skipSlowlog = CommandFlags(rawValue: 1 << 16)
    public static let stale = CommandFlags(rawValue: 1 << 17)
    public static let write = CommandFlags(rawValue: 1 << 18)

    static let names: [(CommandFlags, String)] = [
        (.admin, "admin"), (.allowBusy, "allow_busy"), (.asking, "asking"), (.blocking, "blocking"),
        (.denyoom, "denyoom"), (.fast, "fast"), (.loading, "loading"), (.movablekeys, "movablekeys"),
        (.noAsyncLoading, "no_async_loading"), (.noAuth, "no_auth"), (.noMandatoryKeys, "no_mandatory_keys"),
        (.noMulti, "no_multi"), (.noscript, "noscript"), (.pubsub, "pubsub"), (.readonly, "readonly"),
        (.skipMonitor, "skip_monitor"), (.skipSlowlog, "skip_slowlog"), (.stale, "stale"), (.write, "write"),
    ]

    public var names: [String] { Self.names.filter { self.contains($0.0) }.map(\.1) }
}

/// Where a key spec's search begins (Redis 7 key specs).
public enum KeyBegin: Sendable, Hashable {
    case index(Int)
    /// After `keyword`, searched from `startFrom` (negative: from the end, backwards).
    case keyword(String, startFrom: Int)
    case unknown
}

/// How keys are found from where the search began.
public enum KeyFind: Sendable, Hashable {
    case range(lastKey: Int, step: Int, limit: Int)
    case keynum(keyNumIndex: Int, firstKey: Int, step: Int)
    case unknown
}

public struct KeySpec: Sendable, Hashable {
    public let flags: [String]
    public let begin: KeyBegin
    public let find: KeyFind
    /// `not_key` specs name arguments that look like keys but are not (e.g. SORT patterns).
    public let isKey: Bool
    /// What an ACL key pattern must allow for these keys, as Redis decides it: read for keys the
    /// command reads the value of (`access`), write for keys it inserts, deletes or updates.
    /// Neither (EXISTS, TYPE): any pattern that matches the key will do.
    public let aclRead: Bool
    public let aclWrite: Bool
    /// The access depends on the arguments (SET and BITFIELD read only with a GET option).
    public let variableFlags: Bool

    public init(flags: [String], begin: KeyBegin, find: KeyFind) {
        self.flags = flags
        self.begin = begin
        self.find = find
        self.isKey = !flags.contains("not_key")
        self.aclRead = flags.contains("access")
        self.aclWrite = flags.contains("insert") || flags.contains("delete") || flags.contains("update")
        self.variableFlags = flags.contains("variable_flags")
    }
}

/// What Porter does with a command.
public enum CommandRoute: Sendable, Hashable {
    /// Send it upstream: to the node(s) owning its keys, or to the only group for keyless ones.
    case forward
    /// XREAD / XREADGROUP: forwarded unless the BLOCK option is given.
    case forwardUnlessBlockOption
    /// Porter answers it (connection state, transactions, introspection).
    case local(LocalCommand)
    /// SCRIPT KILL, FUNCTION KILL: sent to every node on a connection of its own, since the
    /// shared ones wait behind the busy script they are meant to stop.
    case control
    /// Refused with `-ERR Porter does not support '<name>': <reason>`.
    case unsupported(reason: String)
}

public enum LocalCommand: String, Sendable, Hashable, CaseIterable {
    case ping, echo, quit, hello, auth, select, client, command, reset, acl
    case multi, exec, discard, watch, unwatch
}

/// One command (or subcommand, named `container|sub`) of the table.
public final class CommandSpec: Sendable {
    public let name: String
    /// Upper-case name bytes, for comparison with request bytes.
    let upperName: [UInt8]
    public let arity: Int
    public let flags: CommandFlags
    public let legacyKeys: (first: Int, last: Int, step: Int)
    public let aclCategories: [String]
    public let tips: [String]
    public let keySpecs: [KeySpec]
    public let group: String
    public let since: String
    public let summary: String
    public let complexity: String
    public let subcommands: [CommandSpec]
    /// Filled in by the table: Porter's policy and a dense id (for per-command metrics).
    public internal(set) nonisolated(unsafe) var route: CommandRoute = .forward
    public internal(set) nonisolated(unsafe) var id: Int = 0
    public internal(set) nonisolated(unsafe) var parentName: String? = nil
    /// Set for writes that may be sent twice without harm (see `CommandTable.idempotentWrites`):
    /// the options (upper case) that make a call of it not so.
    public internal(set) nonisolated(unsafe) var idempotentUnless: [String]? = nil

    init(
        name: String, arity: Int, flags: CommandFlags, legacyKeys: (Int, Int, Int), aclCategories: [String],
        tips: [String], keySpecs: [KeySpec], group: String, since: String, summary: String, complexity: String,
        subcommands: [CommandSpec]
    ) {
        self.name = name
        self.upperName = Array(name.split(separator: "|").last!.uppercased().utf8)
        self.arity = arity
        self.flags = flags
        self.legacyKeys = legacyKeys
        self.aclCategories = aclCategories
        self.tips = tips
        self.keySpecs = keySpecs
        self.group = group
        self.since = since
        self.summary = summary
        self.complexity = complexity
        self.subcommands = subcommands
    }

    /// The name clients see in errors: `get`, `client|setname`.
    public var fullName: String { self.name }

    /// True when arguments `count` (name included) fit the arity.
    @inlinable
    public func acceptsArgumentCount(_ count: Int) -> Bool {
        self.arity >= 0 ? count == self.arity : count >= -self.arity
    }

    public var isWrite: Bool { self.flags.contains(.write) }

    /// Writes, and scripts that may write (`EVAL`, `EVALSHA`, `FCALL`: Redis flags them
    /// `may_replicate`, not `write`, since a script may only read). phpredis releases its session
    /// lock with one, so a failover must hold it for the new primary as it holds a `SET`.
    public var mayWrite: Bool { self.flags.contains(.write) || self.isScriptThatMayWrite }

    /// Set by the table (a string compare per command was a measurable part of a GET).
    public internal(set) nonisolated(unsafe) var isScriptThatMayWrite = false

    /// Whether this call may be sent again after a connection was lost with it in flight: the
    /// second execution leaves the same data, and the reply still tells the client the truth.
    public func isIdempotent(_ request: RESPRequest) -> Bool {
        guard let unless = self.idempotentUnless else { return false }
        for option in unless where CommandSpec.findKeyword(option, in: request, startFrom: 1) != nil {
            return false
        }
        return true
    }
    public var isReadOnly: Bool { self.flags.contains(.readonly) }
    /// Porter refuses it for everyone (`CommandRoute.unsupported`).
    public var isRefusedByPorter: Bool {
        if case .unsupported = self.route { return true }
        return false
    }
    public var hasKeys: Bool { !self.keySpecs.isEmpty }
}
