import Commands
import Crypto

/// A rule Porter could not take, with the rule's own text.
public struct ACLRuleError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { self.message }
}

/// A user's state as Redis' ACL rules build it, applied left to right (`ACL SETUSER`): `on`/`off`,
/// `>password`, `<password`, `#sha256`, `!sha256`, `nopass`, `resetpass`, `+cmd`, `-cmd`,
/// `+cmd|sub`, `+@category`, `-@category`, `allcommands`, `nocommands`, `~pattern`,
/// `%R~`/`%W~`/`%RW~pattern`, `allkeys`, `resetkeys`, `&pattern`, `allchannels`, `resetchannels`,
/// `reset`. Categories are the generated table's (Redis' own `acl_categories`).
struct ACLRuleSet {
    var enabled = true
    var noPassword = false
    var passwordDigests: [[UInt8]] = []
    var commandBits: [UInt64]
    var allCommands = false
    var keyPatterns: [AccessUser.KeyPattern] = []
    var allKeys = false
    var channelPatterns: [Glob] = []
    var allChannels = false
    /// The rules that shape permissions, in order (passwords left out).
    private var applied: [String] = []
    let table: CommandTable

    init(table: CommandTable) {
        self.table = table
        self.commandBits = Array(repeating: 0, count: (table.all.count + 63) / 64)
    }

    /// Every category some command has, and `all`.
    static func categories(_ table: CommandTable) -> Set<String> {
        Set(table.all.flatMap(\.aclCategories)).union(["all"])
    }

    mutating func apply(_ text: String) throws {
        for rule in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            try self.apply(rule: String(rule))
        }
    }

    mutating func apply(rule: String) throws {
        let lower = rule.lowercased()
        switch lower {
        case "on": self.enabled = true
        case "off": self.enabled = false
        case "nopass":
            self.noPassword = true
            self.passwordDigests = []
        case "resetpass":
            self.noPassword = false
            self.passwordDigests = []
        case "allcommands", "+@all": self.setAll(true)
        case "nocommands", "-@all": self.setAll(false)
        case "allkeys", "~*":
            self.allKeys = true
            self.keyPatterns = []
        case "resetkeys":
            self.allKeys = false
            self.keyPatterns = []
        case "allchannels", "&*":
            self.allChannels = true
            self.channelPatterns = []
        case "resetchannels":
            self.allChannels = false
            self.channelPatterns = []
        case "reset":
            self = ACLRuleSet(table: self.table)
            self.enabled = false
        default:
            try self.applyPrefixed(rule)
            return
        }
        // What `describe` shows: permissions, not passwords or on/off (shown from `enabled`).
        if !["on", "off", "nopass", "resetpass"].contains(lower) { self.applied.append(lower) }
    }

    private mutating func applyPrefixed(_ rule: String) throws {
        guard let first = rule.first else { return }
        let rest = String(rule.dropFirst())
        switch first {
        case ">":
            self.addDigest(Array(SHA256.hash(data: Array(rest.utf8))))
        case "<":
            let digest = Array(SHA256.hash(data: Array(rest.utf8)))
            self.passwordDigests.removeAll { $0 == digest }
        case "#", "!":
            guard let digest = Self.hexDigest(rest) else {
                throw ACLRuleError(
                    message: "'\(first)…': the hash must be 64 hexadecimal characters (SHA-256), as in Redis' ACL files")
            }
            if first == "#" { self.addDigest(digest) } else { self.passwordDigests.removeAll { $0 == digest } }
        case "~":
            self.addKeyPattern(rest, read: true, write: true)
        case "%":
            guard let tilde = rest.firstIndex(of: "~") else { throw Self.syntax(rule) }
            let flags = rest[..<tilde].uppercased()
            guard !flags.isEmpty, flags.allSatisfy({ $0 == "R" || $0 == "W" }) else { throw Self.syntax(rule) }
            self.addKeyPattern(String(rest[rest.index(after: tilde)...]), read: flags.contains("R"), write: flags.contains("W"))
        case "&":
            if rest == "*" {
                self.allChannels = true
                self.channelPatterns = []
            } else if !self.allChannels {
                self.channelPatterns.append(Glob(rest))
            }
        case "+", "-":
            try self.applyCommandRule(allow: first == "+", rest.lowercased())
        case "(":
            throw ACLRuleError(message: "'\(rule)': ACL selectors are not supported by Porter")
        default:
            throw Self.syntax(rule)
        }
        if first != ">" && first != "<" && first != "#" && first != "!" { self.applied.append(rule) }
    }

    private mutating func applyCommandRule(allow: Bool, _ name: String) throws {
        guard !name.isEmpty, name != "@" else {
            throw ACLRuleError(message: "'\(allow ? "+" : "-")\(name)': a command name or @category must follow")
        }
        if name.hasPrefix("@") {
            let category = String(name.dropFirst())
            guard Self.categories(self.table).contains(category) else {
                throw ACLRuleError(message: "'\(allow ? "+" : "-")\(name)': unknown command category '\(category)'")
            }
            if !allow { self.allCommands = false }
            for spec in self.table.all where spec.aclCategories.contains(category) { self.setBit(spec.id, allow) }
            return
        }
        guard let spec = self.table.spec(named: name) else {
            if name.contains("|"), let top = self.table.spec(named: String(name.split(separator: "|")[0])),
                top.subcommands.isEmpty
            {
                throw ACLRuleError(
                    message: "'\(allow ? "+" : "-")\(name)': first-argument rules are not supported by Porter")
            }
            throw ACLRuleError(message: "'\(allow ? "+" : "-")\(name)': unknown command '\(name)'")
        }
        if !allow { self.allCommands = false }
        self.setBit(spec.id, allow)
        for sub in spec.subcommands { self.setBit(sub.id, allow) }
    }

    private mutating func setAll(_ allow: Bool) {
        self.allCommands = allow
        for i in self.commandBits.indices { self.commandBits[i] = allow ? ~0 : 0 }
    }

    private mutating func setBit(_ id: Int, _ on: Bool) {
        let mask: UInt64 = 1 << UInt64(id & 63)
        if on { self.commandBits[id >> 6] |= mask } else { self.commandBits[id >> 6] &= ~mask }
    }

    private mutating func addDigest(_ digest: [UInt8]) {
        self.noPassword = false
        if !self.passwordDigests.contains(digest) { self.passwordDigests.append(digest) }
    }

    private mutating func addKeyPattern(_ pattern: String, read: Bool, write: Bool) {
        if pattern == "*" && read && write {
            self.allKeys = true
            self.keyPatterns = []
        } else if !self.allKeys {
            self.keyPatterns.append(AccessUser.KeyPattern(glob: Glob(pattern), read: read, write: write))
        }
    }

    static func hexDigest(_ text: String) -> [UInt8]? {
        let bytes = Array(text.lowercased().utf8)
        guard bytes.count == 64 else { return nil }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(bytes[i]), let low = Self.nibble(bytes[i + 1]) else { return nil }
            digest.append(high << 4 | low)
        }
        return digest
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private static func syntax(_ rule: String) -> ACLRuleError {
        ACLRuleError(message: "'\(rule)': not an ACL rule (Redis' ACL SETUSER syntax)")
    }

    /// The permission rules as applied, for views that show a user (no passwords).
    func describe() -> String {
        ([self.enabled ? "on" : "off"] + self.applied).joined(separator: " ")
    }
}
