import Commands
import Crypto
import NIOCore

/// Porter's users (`auth`): the default user, whom every client is until it authenticates as
/// another (and is at once when the default user needs no password), and the configured ones.
public final class AccessControl: Sendable {
    public let defaultUser: AccessUser
    public let users: [String: AccessUser]

    /// What the default user may do unless `auth.rules` says otherwise: everything but Redis'
    /// `@dangerous` commands (FLUSHALL, FLUSHDB, SWAPDB, KEYS, SORT, RESTORE, …; INFO stays) and
    /// the script and function commands that change what every client runs.
    public static let defaultRules =
        "+@all -@dangerous +info -script|flush -function|delete -function|flush -function|load -function|restore ~* &*"

    /// No `auth` configured: the default user, no password, `defaultRules`.
    public static let standard = try! AccessControl()

    /// The default user alone: `password` (none: `nopass`) and `rules`.
    public convenience init(
        username: String = "default", password: String? = nil, rules: String = AccessControl.defaultRules
    ) throws {
        try self.init(defaultUser: UserDefinition(name: username, password: password, rules: rules), others: [])
    }

    public init(defaultUser: UserDefinition, others: [UserDefinition]) throws {
        let table = CommandTable.shared
        let first = try defaultUser.make(table)
        var users = [first.name: first]
        for definition in others {
            guard users[definition.name] == nil else {
                throw ACLRuleError(message: "user '\(definition.name)' is defined twice")
            }
            users[definition.name] = try definition.make(table)
        }
        self.defaultUser = first
        self.users = users
    }

    /// A user as configured: a password (plain, or `sha256:<hex>` as Redis' ACL files keep it)
    /// and rules in Redis' ACL syntax, which may carry passwords themselves (`>…`, `#…`).
    public struct UserDefinition: Sendable {
        public var name: String
        public var password: String?
        public var rules: String

        public init(name: String, password: String?, rules: String) {
            self.name = name
            self.password = password
            self.rules = rules
        }

        func make(_ table: CommandTable) throws -> AccessUser {
            guard !self.name.isEmpty, !self.name.contains(where: { $0 == " " || $0.isNewline }) else {
                throw ACLRuleError(message: "a user name must be non-empty, without spaces")
            }
            var state = ACLRuleSet(table: table)
            do {
                try state.apply(self.rules)
            } catch let error as ACLRuleError {
                throw ACLRuleError(message: "user '\(self.name)': \(error.message)")
            }
            if let password = self.password {
                if password.hasPrefix("sha256:") {
                    guard ACLRuleSet.hexDigest(String(password.dropFirst(7))) != nil else {
                        throw ACLRuleError(
                            message: "user '\(self.name)': a sha256: password must be 64 hexadecimal characters")
                    }
                    try state.apply(rule: "#" + password.dropFirst(7))
                } else {
                    try state.apply(rule: ">" + password)
                }
            } else if state.passwordDigests.isEmpty && !self.rules.lowercased().contains("resetpass") {
                // No password anywhere: as Redis' default user, any password is accepted.
                state.noPassword = true
            }
            return AccessUser(name: self.name, state: state)
        }
    }

    /// The user `name` (nil: the default user) if `password` is theirs and they are enabled.
    public func authenticate(user name: String?, password: ByteBuffer) -> AccessUser? {
        guard let user = name.map({ self.users[$0] }) ?? self.defaultUser else { return nil }
        return user.accepts(password: password) ? user : nil
    }

    /// Every ACL category of the command table, sorted (ACL CAT).
    public static let categories: [String] = ACLRuleSet.categories(CommandTable.shared).subtracting(["all"]).sorted()

    /// Whether a new client starts authenticated (as the default user).
    public var openByDefault: Bool { self.defaultUser.enabled && self.defaultUser.noPassword }

    /// A stand-in for the whole (passwords as digests), for the reload's "what changed" line.
    public var fingerprint: String {
        self.users.keys.sorted().map { name in
            let user = self.users[name]!
            return "\(name) \(user.rules) \(user.passwordDigests.map { $0.map { String($0, radix: 16) }.joined() })"
        }.joined(separator: "\n")
    }
}

/// SHA-256 of a password as hex, as `sha256:` passwords and Redis' `#` rules hold it.
public func passwordDigestHex(_ password: String) -> String {
    SHA256.hash(data: Array(password.utf8)).map { byte in
        let hex = String(byte, radix: 16)
        return hex.count == 1 ? "0" + hex : hex
    }.joined()
}
