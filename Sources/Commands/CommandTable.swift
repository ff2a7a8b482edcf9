import NIOCore
import RESP

/// The command table: lookup by name bytes (ASCII case-insensitive, no allocation), subcommand
/// resolution, and Porter's routing policy for each entry.
public struct CommandTable: Sendable {
    public static let shared = CommandTable(specs: CommandTable.generatedSpecs)

    public let specs: [CommandSpec]
    /// Every command and subcommand, indexed by `CommandSpec.id`.
    public let all: [CommandSpec]
    private let slots: [Int32]
    private let mask: Int

    init(specs: [CommandSpec]) {
        self.specs = specs
        var all: [CommandSpec] = []
        for spec in specs {
            spec.id = all.count
            spec.route = CommandTable.route(for: spec, parent: nil)
            spec.idempotentUnless = CommandTable.idempotentWrites[spec.name]
            spec.isScriptThatMayWrite = ["eval", "evalsha", "fcall"].contains(spec.name)
            all.append(spec)
            for sub in spec.subcommands {
                sub.parentName = spec.name
                sub.id = all.count
                sub.route = CommandTable.route(for: sub, parent: spec)
                all.append(sub)
            }
        }
        self.all = all
        var capacity = 1
        while capacity < specs.count * 4 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        for (index, spec) in specs.enumerated() {
            var slot = CommandTable.hash(spec.upperName) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Int32(index)
        }
        self.slots = slots
        self.mask = capacity - 1
    }

    /// FNV-1a over the upper-cased bytes.
    @inlinable
    static func hash<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b & 0xDF)
            h = h &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h >> 1)
    }

    @inlinable
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ length: Int, _ upper: [UInt8])
        -> Bool
    {
        guard length == upper.count else { return false }
        var i = 0
        while i < length {
            let c = bytes[offset + i]
            let u = (c >= 97 && c <= 122) ? c - 32 : c
            if u != upper[i] { return false }
            i += 1
        }
        return true
    }

    /// The spec of the request's command, resolved to a subcommand where the command has them
    /// and one is named. Nil when the command is unknown.
    public func lookup(_ request: RESPRequest) -> CommandSpec? {
        var found: CommandSpec? = nil
        var subcommandRange: (Int, Int)? = nil
        request.forEachArgument { index, offset, length in
            if index == 0 {
                found = self.lookupName(request.bytes, offset: offset, length: length)
                return found != nil && !found!.subcommands.isEmpty && request.count > 1
            }
            subcommandRange = (offset, length)
            return false
        }
        guard let spec = found else { return nil }
        if let (offset, length) = subcommandRange {
            let sub = request.bytes.withUnsafeReadableBytes { bytes in
                spec.subcommands.first { CommandTable.equalsIgnoringCase(bytes, offset, length, $0.upperName) }
            }
            return sub ?? spec
        }
        return spec
    }

    func lookupName(_ buffer: ByteBuffer, offset: Int, length: Int) -> CommandSpec? {
        buffer.withUnsafeReadableBytes { bytes in
            let name = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
            var slot = CommandTable.hash(name) & self.mask
            while true {
                let index = self.slots[slot]
                if index < 0 { return nil }
                let spec = self.specs[Int(index)]
                if CommandTable.equalsIgnoringCase(bytes, offset, length, spec.upperName) {
                    return spec
                }
                slot = (slot + 1) & self.mask
            }
        }
    }

    /// Lookup by name, e.g. "get" or "client|setname" (slow path: admin, tests).
    public func spec(named name: String) -> CommandSpec? {
        let parts = name.lowercased().split(separator: "|", omittingEmptySubsequences: false)
        // "" and "a|b|c" name nothing (found by the config fuzzer: an empty name from an ACL rule
        // `+`, or a client's `COMMAND INFO ""`, indexed an empty list).
        guard parts.count <= 2, let first = parts.first, !first.isEmpty,
            let top = self.specs.first(where: { $0.name == first })
        else { return nil }
        if parts.count == 1 { return top }
        return top.subcommands.first { $0.name.split(separator: "|").last.map(String.init) == String(parts[1]) }
    }

    // MARK: Porter's policy

    /// Writes Porter may retry after a lost connection, with the options that rule it out. Redis'
    /// flags do not say this; the rule is that a second execution leaves the same data and a reply
    /// the client can still act on (SET NX would say "not set" to the client that set it).
    static let idempotentWrites: [String: [String]] = [
        "set": ["NX", "GET"], "setex": [], "psetex": [], "mset": [], "getex": [],
        "del": [], "unlink": [], "expire": [], "pexpire": [], "expireat": [], "pexpireat": [], "persist": [],
        "hset": [], "hmset": [], "hdel": [], "sadd": [], "srem": [], "zadd": ["INCR"], "zrem": [],
    ]

    static let localCommands: [String: LocalCommand] = [
        "ping": .ping, "echo": .echo, "quit": .quit, "hello": .hello, "auth": .auth, "select": .select,
        "client": .client, "command": .command, "reset": .reset, "acl": .acl, "multi": .multi, "exec": .exec,
        "discard": .discard, "watch": .watch, "unwatch": .unwatch,
    ]

    /// Decided from the flags Redis gives each command; only the commands Porter answers itself
    /// and a few whose meaning depends on the connection are named.
    static func route(for spec: CommandSpec, parent: CommandSpec?) -> CommandRoute {
        let top = parent?.name ?? spec.name
        if let local = localCommands[top] {
            return .local(local)
        }
        if spec.name == "script|kill" || spec.name == "function|kill" {
            return .control
        }
        switch top {
        case "xread", "xreadgroup":
            return .forwardUnlessBlockOption
        case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe":
            return .unsupported(reason: "pub/sub needs a connection of its own; connect to Redis directly")
        case "monitor":
            return .unsupported(reason: "MONITOR would see other clients' traffic on shared connections")
        case "wait":
            return .unsupported(reason: "WAIT counts writes of a connection that other clients share")
        case "cluster", "readonly", "readwrite", "asking":
            return .unsupported(reason: "cluster management is Porter's job, not the client's")
        case "migrate":
            // It makes Redis connect to a host the client names and moves the keys there (and
            // deletes them here): a proxy must never let a client do that.
            return .unsupported(reason: "MIGRATE makes Redis connect to another host and move keys there")
        case "sync", "psync", "replconf", "replicaof", "slaveof", "failover", "shutdown", "debug":
            return .unsupported(reason: "administrative commands go to a Redis node directly")
        default:
            break
        }
        if spec.flags.contains(.blocking) {
            return .unsupported(reason: "blocking commands would hold a shared upstream connection")
        }
        if spec.flags.contains(.pubsub) && top != "publish" && top != "spublish" && top != "pubsub" {
            return .unsupported(reason: "pub/sub needs a connection of its own; connect to Redis directly")
        }
        if spec.flags.contains(.admin) {
            return .unsupported(reason: "administrative commands go to a Redis node directly")
        }
        return .forward
    }
}
