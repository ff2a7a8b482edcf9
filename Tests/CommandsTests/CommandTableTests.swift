import Commands
import RESP
import Testing

@Suite("Command table and key extraction")
struct CommandTableTests {
    let table = CommandTable.shared

    func keys(_ args: [String]) -> [String]? {
        let request = RESPRequest(args)
        guard let spec = table.lookup(request) else { return nil }
        return spec.keyIndexes(in: request)?.map { request.string($0)! }
    }

    @Test func lookupIgnoresCaseAndResolvesSubcommands() {
        #expect(table.lookup(RESPRequest(["get", "k"]))?.name == "get")
        #expect(table.lookup(RESPRequest(["GeT", "k"]))?.name == "get")
        #expect(table.lookup(RESPRequest(["CLIENT", "setname", "x"]))?.name == "client|setname")
        #expect(table.lookup(RESPRequest(["object", "ENCODING", "k"]))?.name == "object|encoding")
        #expect(table.lookup(RESPRequest(["nosuchcommand"])) == nil)
        #expect(table.specs.count == 240)
    }

    /// The one-walk key ranges are the key specs' keys, for every shape of key spec.
    @Test(arguments: [
        ["GET", "k"], ["MGET", "a", "b", "c"], ["MSET", "a", "1", "b", "2", "c", "3"], ["DEL", "a", "b"],
        ["SET", "k", "v", "EX", "10"], ["LMOVE", "a", "b", "LEFT", "RIGHT"], ["SORT", "k", "STORE", "dst"],
        ["ZUNIONSTORE", "d", "2", "a", "b"], ["EVAL", "return 1", "2", "a", "b", "x"],
        ["XREAD", "COUNT", "1", "STREAMS", "s1", "s2", "0", "0"], ["OBJECT", "ENCODING", "k"], ["PING"],
        ["BITOP", "AND", "dst", "a", "b"], ["RENAME", "a", "b"], ["MSETNX", "a", "1", "b", "2"],
    ])
    func keyRangesMatchTheKeySpecs(args: [String]) throws {
        let request = RESPRequest(args)
        let spec = try #require(table.lookup(request))
        var ranged: [String] = []
        spec.forEachKeyRange(in: request) { index, offset, length in
            #expect(request.argumentRange(index)! == (offset, length))
            ranged.append(request.string(index)!)
        }
        #expect(ranged == self.keys(args) ?? [], "\(args)")
    }

    @Test func arity() {
        let get = table.spec(named: "get")!
        #expect(get.acceptsArgumentCount(2))
        #expect(!get.acceptsArgumentCount(3))
        let mset = table.spec(named: "mset")!
        #expect(mset.acceptsArgumentCount(3) && mset.acceptsArgumentCount(7) && !mset.acceptsArgumentCount(2))
    }

    @Test func keyExtractionForEveryKind() {
        #expect(keys(["GET", "a"]) == ["a"])  // single key
        #expect(keys(["SET", "a", "v", "EX", "10"]) == ["a"])
        #expect(keys(["MSET", "a", "1", "b", "2"]) == ["a", "b"])  // range with a step
        #expect(keys(["DEL", "a", "b", "c"]) == ["a", "b", "c"])  // range to the end
        #expect(keys(["EVAL", "return 1", "2", "k1", "k2", "arg"]) == ["k1", "k2"])  // key count
        #expect(keys(["EVALSHA", "abc", "0"]) == [])
        #expect(keys(["ZUNIONSTORE", "dst", "2", "z1", "z2", "WEIGHTS", "1", "2"]) == ["dst", "z1", "z2"])
        #expect(keys(["XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0"]) == ["s1", "s2"])  // keyword
        #expect(keys(["OBJECT", "ENCODING", "k"]) == ["k"])  // subcommand
        #expect(keys(["SORT", "list", "BY", "w_*", "STORE", "dst"])?.contains("list") == true)
        #expect(keys(["PING"]) == [])
        #expect(keys(["EVAL", "s", "5", "k"]) == nil)  // more keys claimed than given
    }

    @Test func routingPolicyComesFromFlags() {
        #expect(table.spec(named: "get")!.route == .forward)
        #expect(table.spec(named: "publish")!.route == .forward)
        #expect(table.spec(named: "xread")!.route == .forwardUnlessBlockOption)
        #expect(table.spec(named: "hello")!.route == .local(.hello))
        #expect(table.spec(named: "script|kill")!.route == .control)
        // Found by the config fuzzer: an empty name (an ACL rule `+`, `COMMAND INFO ""`) trapped.
        for name in ["", "|", "|get", "client|", "client|setname|x", "nosuch|x"] {
            #expect(table.spec(named: name) == nil, "\(name)")
        }
        #expect(table.spec(named: "function|kill")!.route == .control)
        for name in [
            "subscribe", "blpop", "brpoplpush", "monitor", "config|set", "shutdown", "wait", "cluster|nodes", "migrate",
        ] {
            guard case .unsupported = table.spec(named: name)!.route else {
                Issue.record("\(name) should be unsupported")
                continue
            }
        }
        #expect(table.spec(named: "set")!.isWrite)
        #expect(table.spec(named: "get")!.isReadOnly)
    }

    @Test func idempotentWrites() throws {
        func idempotent(_ args: String...) throws -> Bool {
            let request = RESPRequest(args)
            return try #require(self.table.lookup(request)).isIdempotent(request)
        }
        #expect(try idempotent("SETEX", "PHPREDIS_SESSION:a", "60", "x"))
        #expect(try idempotent("SET", "k", "v", "EX", "60"))
        #expect(try idempotent("DEL", "k"))
        #expect(try idempotent("EXPIRE", "k", "60"))
        #expect(!(try idempotent("SET", "lock", "v", "NX", "PX", "30000")))
        #expect(!(try idempotent("SET", "k", "v", "GET")))
        #expect(!(try idempotent("INCR", "k")))
        #expect(!(try idempotent("ZADD", "z", "INCR", "1", "m")))
        #expect(!(try idempotent("EVAL", "return 1", "0")))
    }
}
