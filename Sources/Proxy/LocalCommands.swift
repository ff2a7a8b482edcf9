import Access
import Commands
import NIOCore
import RESP
import Upstream

/// What Redis keeps per client and Porter answers itself: the user it authenticated as (nil:
/// not yet), the protocol and database its connections use, and its name.
struct ClientState: Equatable {
    var user: AccessUser?
    var profile = ConnectionProfile()
    var name: String? = nil

    var authenticated: Bool { self.user != nil }

    /// A new (or RESET) client: the default user when it needs no password, in the
    /// configured database.
    init(access: AccessControl, database: Int = 0) {
        self.user = access.openByDefault ? access.defaultUser : nil
        self.profile.database = database
    }

    init(user: AccessUser?, profile: ConnectionProfile = ConnectionProfile(), name: String? = nil) {
        self.user = user
        self.profile = profile
        self.name = name
    }

    static func == (a: ClientState, b: ClientState) -> Bool {
        a.user === b.user && a.profile == b.profile && a.name == b.name
    }
}

/// Where the client is in a transaction, as far as local commands care.
enum TransactionPhase {
    case none, watching, multi
}

/// What a local command asks of the session.
enum LocalOutcome: Equatable {
    /// Write this reply (a prebuilt one, or a value encoded with the client's protocol now).
    case reply(ByteBuffer)
    case value(RESPValue)
    /// An error line (it may quote the client's bytes).
    case error([UInt8])
    /// A wrong password: counted, slowed later, then this reply.
    case authFailed(ByteBuffer)
    /// Send the command upstream, as it came (inside MULTI Redis queues it).
    case forward
    /// Refused inside MULTI: EXEC will fail, as in Redis.
    case refusedInMulti([UInt8])
    /// `+OK`, then close once every earlier reply is written.
    case quit
    /// RESET: end any transaction, then reply `+RESET`.
    case reset
}

extension LocalOutcome {
    static func error(_ text: String) -> LocalOutcome { .error(Array(text.utf8)) }
}

/// The commands Porter answers itself (PING, ECHO, QUIT, AUTH, HELLO, SELECT, CLIENT, COMMAND,
/// RESET, ACL), as a pure function of the client's state: no I/O, so each is unit-tested alone.
/// Transactions (MULTI, EXEC, DISCARD, WATCH, UNWATCH) are not here: they need a connection.
struct LocalCommands {
    /// The settings they read (a reload changes them from the next command).
    var access: AccessControl
    var databases: Int
    var defaultDatabase: Int
    var reportedVersion: String
    let table: CommandTable
    /// The client's id (CLIENT ID, HELLO).
    let id: Int

    init(configuration: ProxyConfiguration, table: CommandTable, id: Int) {
        self.access = configuration.access
        self.databases = configuration.databases
        self.defaultDatabase = configuration.defaultDatabase
        self.reportedVersion = configuration.reportedVersion
        self.table = table
        self.id = id
    }

    func run(
        _ command: LocalCommand, _ request: RESPRequest, state: inout ClientState, phase: TransactionPhase
    ) -> LocalOutcome {
        let inMulti = phase == .multi
        switch command {
        case .ping:
            if inMulti { return .forward }
            // The table's arity (-1) allows any count; Redis' own check allows one argument.
            if request.count > 2 { return .error("ERR wrong number of arguments for 'ping' command") }
            return request.count == 1 ? .reply(Replies.pong) : .value(.bytes(request.argument(1)!))
        case .echo:
            if inMulti { return .forward }
            return .value(.bytes(request.argument(1)!))
        case .quit:
            return .quit
        case .auth:
            if inMulti { return Self.refused("auth") }
            guard request.count <= 3 else { return .error("ERR syntax error") }
            if request.count == 2 && self.access.defaultUser.noPassword {
                return .error(
                    "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
                )
            }
            let name = request.count == 3 ? request.string(1) : nil
            guard let user = self.access.authenticate(user: name, password: request.argument(request.count - 1)!)
            else { return .authFailed(Replies.wrongPass) }
            state.user = user
            return .reply(Replies.ok)
        case .hello:
            if inMulti { return Self.refused("hello") }
            return self.hello(request, state: &state, phase: phase)
        case .select:
            if inMulti { return Self.refused("select") }
            guard let db = request.integer(1) else { return .error("ERR value is not an integer or out of range") }
            guard db >= 0 && db < self.databases else { return .error("ERR DB index is out of range") }
            if phase == .watching { return .error("ERR Porter: SELECT while keys are WATCHed is not supported") }
            state.profile.database = db
            return .reply(Replies.ok)
        case .client:
            if inMulti { return Self.refused("client") }
            return self.client(request, state: &state)
        case .command:
            return self.commandIntrospection(request)
        case .reset:
            state = ClientState(access: self.access, database: self.defaultDatabase)
            return .reset
        case .acl:
            return self.acl(request, state: state)
        case .multi, .exec, .discard, .watch, .unwatch:
            preconditionFailure("transactions are run by the session, not as local commands")
        }
    }

    private static func refused(_ name: String) -> LocalOutcome {
        .refusedInMulti(Array("ERR Porter: '\(name)' inside MULTI is not supported".utf8))
    }

    /// ACL WHOAMI and ACL CAT are answered from Porter's users and the command table; users are
    /// changed in Porter's configuration, not with ACL SETUSER (which would change Redis' users).
    private func acl(_ request: RESPRequest, state: ClientState) -> LocalOutcome {
        let sub = request.count > 1 ? (request.string(1)?.lowercased() ?? "") : ""
        switch sub {
        case "whoami":
            return .value(.bulk(state.user?.name ?? self.access.defaultUser.name))
        case "cat":
            if request.count == 2 { return .value(.array(AccessControl.categories.map { .bulk($0) })) }
            guard let category = request.string(2)?.lowercased(), AccessControl.categories.contains(category) else {
                return .error(Self.quoting("ERR Unknown category '", request.argument(2), "'"))
            }
            return .value(
                .array(self.table.all.filter { $0.aclCategories.contains(category) }.map { .bulk($0.name) }))
        default:
            return .error(
                Self.quoting(
                    "ERR Porter does not support 'acl|", request.argument(1),
                    "': Porter's users and rules are set in its configuration (auth.users)"))
        }
    }

    private func hello(_ request: RESPRequest, state: inout ClientState, phase: TransactionPhase) -> LocalOutcome {
        var proto = state.profile.proto
        var index = 1
        if request.count > 1 {
            guard let version = request.integer(1) else {
                return .error("ERR Protocol version is not an integer or out of range")
            }
            guard version == 2 || version == 3 else { return .reply(Replies.noProto) }
            proto = version == 3 ? .resp3 : .resp2
            index = 2
        }
        var name = state.name
        var user = state.user
        while index < request.count {
            if request.argument(index, equalsUppercase: "AUTH"), index + 2 < request.count {
                guard
                    let found = self.access.authenticate(
                        user: request.string(index + 1), password: request.argument(index + 2)!)
                else { return .authFailed(Replies.wrongPass) }
                user = found
                index += 3
            } else if request.argument(index, equalsUppercase: "SETNAME"), index + 1 < request.count {
                name = request.string(index + 1)
                index += 2
            } else {
                return .error(Self.quoting("ERR Syntax error in HELLO option '", request.argument(index), "'"))
            }
        }
        state.user = user
        guard user != nil else { return .reply(Replies.noAuthHello) }
        if proto != state.profile.proto {
            guard phase == .none else {
                return .error("ERR Porter: HELLO cannot change the protocol inside a transaction or WATCH")
            }
            state.profile.proto = proto
        }
        state.name = name
        return .value(
            .map([
                ("server", "redis"),
                ("version", .bulk(self.reportedVersion)),
                ("proto", .integer(proto.rawValue)),
                ("id", .integer(self.id)),
                ("mode", "standalone"),
                ("role", "master"),
                ("modules", .array([])),
                ("proxy", "porter"),
            ]))
    }

    private func client(_ request: RESPRequest, state: inout ClientState) -> LocalOutcome {
        let sub = request.string(1)?.lowercased() ?? ""
        switch sub {
        case "setname":
            guard request.count == 3 else {
                return .error("ERR wrong number of arguments for 'client|setname' command")
            }
            let name = request.string(2) ?? ""
            if name.contains(where: { $0 == " " || $0 == "\n" }) {
                return .error("ERR Client names cannot contain spaces, newlines or special characters.")
            }
            state.name = name.isEmpty ? nil : name
            return .reply(Replies.ok)
        case "getname":
            return .value(state.name.map { .bulk($0) } ?? .null)
        case "id":
            return .value(.integer(self.id))
        case "setinfo":
            // redis-py and others send CLIENT SETINFO LIB-NAME/LIB-VER on connect.
            return .reply(Replies.ok)
        case "info":
            let name = state.name ?? ""
            return .value(
                .bulk(
                    "id=\(self.id) name=\(name) db=\(state.profile.database) resp=\(state.profile.proto.rawValue) lib=porter\n"
                ))
        case "reply":
            if request.argument(2, equalsUppercase: "ON") { return .reply(Replies.ok) }
            return .error("ERR Porter does not support 'client|reply' other than ON: replies are matched to commands")
        default:
            return .error(
                Self.quoting(
                    "ERR Porter does not support 'client|", request.argument(1),
                    "': CLIENT commands act on Porter's shared upstream connections"))
        }
    }

    private func commandIntrospection(_ request: RESPRequest) -> LocalOutcome {
        let sub = request.count > 1 ? (request.string(1)?.lowercased() ?? "") : ""
        switch sub {
        case "":
            return .value(.array(self.table.specs.map { CommandInfoEncoding.info($0) }))
        case "count":
            return .value(.integer(self.table.specs.count))
        case "list":
            return .value(.array(self.table.specs.map { .bulk($0.name) }))
        case "info":
            if request.count == 2 { return .value(.array(self.table.specs.map { CommandInfoEncoding.info($0) })) }
            let entries: [RESPValue] = (2..<request.count).map { i in
                self.table.spec(named: request.string(i) ?? "").map { CommandInfoEncoding.info($0) } ?? .null
            }
            return .value(.array(entries))
        case "docs":
            let specs: [CommandSpec] =
                request.count == 2
                ? self.table.specs : (2..<request.count).compactMap { self.table.spec(named: request.string($0) ?? "") }
            return .value(.map(specs.map { (.bulk($0.name), CommandInfoEncoding.docs($0)) }))
        case "getkeys":
            guard request.count > 2 else {
                return .error("ERR wrong number of arguments for 'command|getkeys' command")
            }
            let inner = RESPRequest(Array(request.arguments.dropFirst(2)))
            guard let target = self.table.lookup(inner) else { return .error("ERR Invalid command specified") }
            guard target.acceptsArgumentCount(inner.count) else {
                return .error("ERR Invalid number of arguments specified for command")
            }
            guard let indexes = target.keyIndexes(in: inner), !indexes.isEmpty else {
                return .error("ERR The command has no key arguments")
            }
            return .value(.array(indexes.map { .bytes(inner.argument($0)!) }))
        default:
            return .error(Self.quoting("ERR unknown subcommand '", request.argument(1), "'. Try COMMAND HELP."))
        }
    }

    /// Porter's words around a client's argument, its bytes as they came (at most 128).
    static func quoting(_ prefix: String, _ argument: ByteBuffer?, _ suffix: String) -> [UInt8] {
        Array(prefix.utf8) + Self.bytes(argument, max: 128) + Array(suffix.utf8)
    }

    /// At most `max` bytes of a client's argument, for an error line that quotes it.
    static func bytes(_ argument: ByteBuffer?, max: Int) -> [UInt8] {
        guard let argument else { return [] }
        return Array(argument.readableBytesView.prefix(Swift.max(0, max)))
    }
}
