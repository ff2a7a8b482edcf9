// Access — who a client is and what it may run: users, Redis' ACL rules over the generated
// command table, and the slowdown of failed AUTHs. Pure values; the proxy asks, and carries
// out the answer.

import Commands
import Crypto
import NIOCore
import RESP

/// Why a command was refused: Redis' three NOPERM kinds.
public enum AccessDenial: String, Sendable, CaseIterable {
    case command, key, channel

    /// Redis' own words.
    public func message(_ spec: CommandSpec) -> String {
        switch self {
        case .command: return "NOPERM this user has no permissions to run the '\(spec.fullName)' command"
        case .key: return "NOPERM this user has no permissions to access one of the keys used as arguments"
        case .channel: return "NOPERM this user has no permissions to access one of the channels used as arguments"
        }
    }
}

/// One user: passwords (SHA-256, as Redis stores them), and what its rules allow. Immutable;
/// a reload makes new ones.
public final class AccessUser: Sendable {
    public let name: String
    public let enabled: Bool
    /// Any password is accepted (`nopass`).
    public let noPassword: Bool
    let passwordDigests: [[UInt8]]
    /// One bit per `CommandSpec.id`.
    let commandBits: [UInt64]
    let allCommands: Bool
    let keyPatterns: [KeyPattern]
    let allKeys: Bool
    let channelPatterns: [Glob]
    let allChannels: Bool
    /// The rules as configured (shown by ACL GETUSER-like views; never a password).
    public let rules: String
    /// `+@all ~* &*`: nothing to check per command.
    public let allowsEverything: Bool

    struct KeyPattern: Sendable {
        var glob: Glob
        var read: Bool
        var write: Bool
    }

    init(name: String, state: ACLRuleSet) {
        self.name = name
        self.rules = state.describe()
        self.enabled = state.enabled
        self.noPassword = state.noPassword
        self.passwordDigests = state.passwordDigests
        self.commandBits = state.commandBits
        self.allCommands = state.allCommands
        self.keyPatterns = state.keyPatterns
        self.allKeys = state.allKeys
        self.channelPatterns = state.channelPatterns
        self.allChannels = state.allChannels
        self.allowsEverything = state.allCommands && state.allKeys && state.allChannels
    }

    /// Whether `password` is one of this user's (every digest compared, in constant time).
    public func accepts(password: ByteBuffer) -> Bool {
        guard self.enabled else { return false }
        if self.noPassword { return true }
        let digest = Array(SHA256.hash(data: Array(password.readableBytesView)))
        var found = false
        for stored in self.passwordDigests where constantTimeEquals(stored, digest) { found = true }
        return found
    }

    /// Whether the user may run `request` (its command looked up as `spec`): nil when it may.
    @inlinable
    public func check(_ spec: CommandSpec, _ request: RESPRequest) -> AccessDenial? {
        if self.allowsEverything { return nil }
        return self.checkRules(spec, request)
    }

    @usableFromInline
    func checkRules(_ spec: CommandSpec, _ request: RESPRequest) -> AccessDenial? {
        // A container command (CLIENT, CONFIG, …) only stands for a subcommand the table does not
        // know: Redis answers "unknown subcommand" before its ACL is asked, and so does the
        // command's own handling here.
        if !self.allCommands && !spec.flags.contains(.noAuth) && spec.subcommands.isEmpty
            && !self.allowsCommand(id: spec.id)
        {
            return .command
        }
        if !self.allKeys && spec.hasKeys {
            var denied = false
            // SET and BITFIELD read the key only with a GET option (Redis' getkeys procs).
            let reads = spec.keySpecs.contains { $0.variableFlags }
                ? CommandSpec.findKeyword("GET", in: request, startFrom: 2) != nil : true
            request.bytes.withUnsafeReadableBytes { bytes in
                spec.forEachKeyIndex(in: request) { index, keySpec in
                    guard !denied, let (offset, length) = request.argumentRange(index) else { return }
                    let key = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
                    if !self.keyPatterns.contains(where: { pattern in
                        (!(keySpec.aclRead && reads) || pattern.read) && (!keySpec.aclWrite || pattern.write)
                            && pattern.glob.matches(key)
                    }) {
                        denied = true
                    }
                }
            }
            if denied { return .key }
        }
        if !self.allChannels && (spec.name == "publish" || spec.name == "spublish"), let channel = request.argument(1) {
            let allowed = channel.withUnsafeReadableBytes { bytes in
                self.channelPatterns.contains { $0.matches(bytes) }
            }
            if !allowed { return .channel }
        }
        return nil
    }

    func allowsCommand(id: Int) -> Bool {
        let word = id >> 6
        return word < self.commandBits.count && self.commandBits[word] & (1 << UInt64(id & 63)) != 0
    }
}
