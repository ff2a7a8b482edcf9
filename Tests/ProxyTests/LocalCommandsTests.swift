import Access
import Commands
import NIOCore
import RESP
import Testing
import Upstream

@testable import Proxy

/// The commands Porter answers itself, called directly: no server, no channel.
@Suite("Local commands")
struct LocalCommandsTests {
    func local(password: String? = nil) -> LocalCommands {
        var configuration = ProxyConfiguration()
        configuration.access = try! AccessControl(password: password)
        return LocalCommands(configuration: configuration, table: CommandTable.shared, id: 42)
    }

    /// A client that is the default user (open), and one not authenticated yet.
    let anyone = ClientState(access: .standard)
    let nobody = ClientState(user: nil)

    func run(
        _ args: [String], _ local: LocalCommands, state: inout ClientState, phase: TransactionPhase = .none
    ) -> LocalOutcome {
        let request = RESPRequest(args)
        let spec = CommandTable.shared.lookup(request)!
        guard case .local(let command) = spec.route else {
            Issue.record("\(args[0]) is not a local command")
            return .forward
        }
        return local.run(command, request, state: &state, phase: phase)
    }

    func errorText(_ outcome: LocalOutcome) -> String? {
        switch outcome {
        case .error(let bytes), .refusedInMulti(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    @Test func pingAndEcho() {
        var state = self.anyone
        #expect(run(["PING"], local(), state: &state) == .reply(Replies.pong))
        #expect(run(["PING", "hi"], local(), state: &state) == .value(.bytes(ByteBuffer(string: "hi"))))
        #expect(
            errorText(run(["PING", "a", "b"], local(), state: &state))
                == "ERR wrong number of arguments for 'ping' command")
        // Inside MULTI Redis queues them.
        #expect(run(["PING"], local(), state: &state, phase: .multi) == .forward)
        #expect(run(["ECHO", "x"], local(), state: &state, phase: .multi) == .forward)
    }

    @Test func authChecksThePasswordAndUser() {
        let guarded = local(password: "s3cret")
        var state = self.nobody
        #expect(run(["AUTH", "nope"], guarded, state: &state) == .authFailed(Replies.wrongPass))
        #expect(!state.authenticated)
        #expect(run(["AUTH", "other", "s3cret"], guarded, state: &state) == .authFailed(Replies.wrongPass))
        #expect(run(["AUTH", "default", "s3cret"], guarded, state: &state) == .reply(Replies.ok))
        #expect(state.authenticated)
        var open = self.anyone
        #expect(
            errorText(run(["AUTH", "x"], local(), state: &open))?.hasPrefix("ERR AUTH <password> called without")
                == true)
        #expect(
            errorText(run(["AUTH", "s3cret"], guarded, state: &state, phase: .multi))
                == "ERR Porter: 'auth' inside MULTI is not supported")
    }

    @Test func helloChangesProtocolNameAndAuth() {
        let guarded = local(password: "pw")
        var state = self.nobody
        #expect(run(["HELLO", "3"], guarded, state: &state) == .reply(Replies.noAuthHello))
        #expect(
            run(["HELLO", "3", "AUTH", "default", "bad"], guarded, state: &state) == .authFailed(Replies.wrongPass))
        guard
            case .value(let info) = run(
                ["HELLO", "3", "AUTH", "default", "pw", "SETNAME", "web1"], guarded, state: &state)
        else {
            Issue.record("HELLO gave no map")
            return
        }
        #expect(info.encoded(.resp3).readableBytesView.starts(with: Array("%8\r\n".utf8)))
        #expect(state.authenticated && state.profile.proto == .resp3 && state.name == "web1")
        #expect(run(["HELLO", "4"], guarded, state: &state) == .reply(Replies.noProto))
        // A syntax error after a good AUTH authenticates nothing, as in Redis.
        var fresh = self.nobody
        #expect(
            errorText(run(["HELLO", "2", "AUTH", "default", "pw", "BOGUS"], guarded, state: &fresh))
                == "ERR Syntax error in HELLO option 'BOGUS'")
        #expect(!fresh.authenticated)
        // No protocol change while a transaction holds a connection.
        var watching = self.anyone
        #expect(
            errorText(run(["HELLO", "3"], local(), state: &watching, phase: .watching))?.contains(
                "cannot change the protocol") == true)
        #expect(watching.profile.proto == .resp2)
    }

    @Test func selectAndClient() {
        var state = self.anyone
        #expect(run(["SELECT", "3"], local(), state: &state) == .reply(Replies.ok))
        #expect(state.profile.database == 3)
        #expect(errorText(run(["SELECT", "16"], local(), state: &state)) == "ERR DB index is out of range")
        #expect(
            errorText(run(["SELECT", "x"], local(), state: &state)) == "ERR value is not an integer or out of range")
        #expect(errorText(run(["SELECT", "1"], local(), state: &state, phase: .watching))?.contains("WATCH") == true)
        #expect(run(["CLIENT", "SETNAME", "a b"], local(), state: &state) != .reply(Replies.ok))
        #expect(run(["CLIENT", "SETNAME", "web"], local(), state: &state) == .reply(Replies.ok))
        #expect(run(["CLIENT", "GETNAME"], local(), state: &state) == .value(.bulk("web")))
        #expect(run(["CLIENT", "ID"], local(), state: &state) == .value(.integer(42)))
        #expect(
            errorText(run(["CLIENT", "KILL", "x"], local(), state: &state))?.hasPrefix(
                "ERR Porter does not support 'client|KILL'") == true)
    }

    @Test func commandIntrospectionAndReset() {
        var state = ClientState(user: AccessControl.standard.defaultUser, profile: ConnectionProfile(proto: .resp3, database: 2), name: "n")
        #expect(
            run(["COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"], local(), state: &state)
                == .value(.array([.bytes(ByteBuffer(string: "a")), .bytes(ByteBuffer(string: "b"))])))
        #expect(
            errorText(run(["COMMAND", "GETKEYS", "PING"], local(), state: &state))
                == "ERR The command has no key arguments")
        #expect(run(["COMMAND", "COUNT"], local(), state: &state) == .value(.integer(CommandTable.shared.specs.count)))
        // An empty or odd name is not a command (it once trapped: a client could stop Porter).
        #expect(run(["COMMAND", "INFO", "", "a|b|c"], local(), state: &state) == .value(.array([.null, .null])))
        #expect(run(["RESET"], local(password: "pw"), state: &state) == .reset)
        #expect(state == self.nobody)
    }

    @Test func aclWhoamiAndCat() throws {
        let access = try AccessControl(
            defaultUser: .init(name: "default", password: "d", rules: AccessControl.defaultRules),
            others: [.init(name: "app", password: "a", rules: "+@read ~*")])
        var configuration = ProxyConfiguration()
        configuration.access = access
        let local = LocalCommands(configuration: configuration, table: CommandTable.shared, id: 1)
        var state = self.nobody
        #expect(run(["AUTH", "app", "a"], local, state: &state) == .reply(Replies.ok))
        #expect(run(["ACL", "WHOAMI"], local, state: &state) == .value(.bulk("app")))
        #expect(run(["AUTH", "d"], local, state: &state) == .reply(Replies.ok))
        #expect(run(["ACL", "WHOAMI"], local, state: &state) == .value(.bulk("default")))
        guard case .value(.array(let categories)) = run(["ACL", "CAT"], local, state: &state) else {
            Issue.record("ACL CAT")
            return
        }
        #expect(categories.contains(.bulk("dangerous")) && categories.contains(.bulk("read")))
        guard case .value(.array(let dangerous)) = run(["ACL", "CAT", "dangerous"], local, state: &state) else {
            Issue.record("ACL CAT dangerous")
            return
        }
        #expect(dangerous.contains(.bulk("flushall")) && !dangerous.contains(.bulk("get")))
        #expect(errorText(run(["ACL", "CAT", "nosuch"], local, state: &state)) == "ERR Unknown category 'nosuch'")
        #expect(
            errorText(run(["ACL", "SETUSER", "x"], local, state: &state))?.hasPrefix(
                "ERR Porter does not support 'acl|SETUSER'") == true)
    }
}
