import Commands
import Hashing
import NIOCore
import RESP
import Testing
import Upstream

@testable import Proxy
@testable import Topology

/// The sharding decisions without servers: key → shard, how a multi-key command splits, how
/// parts' replies merge, SCAN's cursor, and held writes waiting per shard.
@Suite("Sharding: routing, splitting and merging")
struct ShardRoutingTests {
    let router = ShardRouter(names: ["a", "b", "c"], weights: [:], sharding: ShardingConfiguration())
    let table = CommandTable.shared

    func request(_ args: [String]) -> (RESPRequest, CommandSpec) {
        let request = RESPRequest(args)
        return (request, self.table.lookup(request)!)
    }

    /// Keys named `k<n>` on `shard`.
    func keys(on shard: Int, _ count: Int) -> [String] {
        (0..<10_000).map { "k\($0)" }.filter { self.router.shard(of: Array($0.utf8)) == shard }.prefix(count).map { $0 }
    }

    @Test func placementFollowsTheRingAndTheKeySpecs() {
        let a = self.keys(on: 0, 2)
        let b = self.keys(on: 1, 1)[0]
        let (get, getSpec) = self.request(["GET", a[0]])
        #expect(self.router.placement(get, spec: getSpec) == .one(0))
        let (mget, mgetSpec) = self.request(["MGET", a[0], a[1]])
        #expect(self.router.placement(mget, spec: mgetSpec) == .one(0))
        let (cross, crossSpec) = self.request(["MGET", a[0], b])
        #expect(self.router.placement(cross, spec: crossSpec) == .many)
        // EVAL's keys are after numkeys; its script and arguments are not keys.
        let (eval, evalSpec) = self.request(["EVAL", "return 1", "1", b, a[0]])
        #expect(self.router.placement(eval, spec: evalSpec) == .one(1))
        let (time, timeSpec) = self.request(["TIME"])
        #expect(self.router.placement(time, spec: timeSpec) == .keyless)
        // One group: no hashing, everything on shard 0.
        let single = ShardRouter(names: ["only"], weights: [:], sharding: ShardingConfiguration())
        #expect(!single.isSharded && single.placement(cross, spec: crossSpec) == .one(0))
    }

    @Test func theRouterUsesTheGroupNamesAsRingIdentities() {
        let ring = KeyRing(
            servers: ["a", "b", "c"].map { KeyRing.Server(identity: $0) }, hash: .fnv1a_64, distribution: .ketama)
        for i in 0..<500 {
            #expect(self.router.shard(of: Array("s:\(i)".utf8)) == ring.server(for: Array("s:\(i)".utf8)))
        }
        let weighted = ShardRouter(names: ["a", "b"], weights: ["b": 3], sharding: ShardingConfiguration())
        let onB = (0..<4000).filter { weighted.shard(of: Array("w:\($0)".utf8)) == 1 }.count
        #expect(onB > 2600 && onB < 3400, "\(onB)")
    }

    @Test func keyedSplitKeepsTheClientsOrder() {
        let (mset, _) = self.request(["MSET", "x1", "1", "x2", "2", "x3", "3", "x4", "4"])
        // x1, x3 on shard 5; x2, x4 on shard 7.
        let split = KeyedSplit(mset, firstKey: 1, step: 2) { offset, length in
            let key = mset.bytes.getString(at: mset.bytes.readerIndex + offset, length: length)
            return key == mset.string(1) || key == mset.string(5) ? (5, 5) : (7, 7)
        }
        #expect(split.parts.map(\.shard) == [5, 7])
        #expect(split.parts[0].request.arguments.map { String(buffer: $0) } == ["MSET", "x1", "1", "x3", "3"])
        #expect(split.parts[1].request.arguments.map { String(buffer: $0) } == ["MSET", "x2", "2", "x4", "4"])
        #expect(split.positions.map(\.part) == [0, 1, 0, 1] && split.positions.map(\.index) == [0, 0, 1, 1])
    }

    func token(_ text: String) -> RESPToken { RESPToken(validated: ByteBuffer(string: text)) }

    @Test func mergesMakeOneReply() {
        let mget = MGetMerge(positions: [(0, 0), (1, 0), (0, 1), (1, 1)])
        let merged = mget.merge(
            [token("*2\r\n$2\r\nv1\r\n$-1\r\n"), token("*2\r\n$2\r\nv2\r\n$2\r\nv4\r\n")], proto: .resp2)
        #expect(String(buffer: merged) == "*4\r\n$2\r\nv1\r\n$2\r\nv2\r\n$-1\r\n$2\r\nv4\r\n")
        #expect(String(buffer: SumMerge().merge([token(":2\r\n"), token(":3\r\n")], proto: .resp2)) == ":5\r\n")
        #expect(
            String(buffer: ConcatenationMerge().merge([token("*1\r\n$1\r\na\r\n"), token("*0\r\n")], proto: .resp2))
                == "*1\r\n$1\r\na\r\n")
        let exists = AllOfMerge().merge([token("*2\r\n:1\r\n:1\r\n"), token("*2\r\n:1\r\n:0\r\n")], proto: .resp2)
        #expect(String(buffer: exists) == "*2\r\n:1\r\n:0\r\n")
        #expect(
            String(buffer: AnyKeyMerge().merge([token("$-1\r\n"), token("$1\r\nk\r\n")], proto: .resp2))
                == "$1\r\nk\r\n")
        let info = InfoMerge(section: "\r\n# Porter\r\n").merge([token("$5\r\nhello\r\n")], proto: .resp2)
        #expect(String(buffer: info) == "$17\r\nhello\r\n# Porter\r\n\r\n")
    }

    @Test func scanCursorsCarryTheShard() {
        #expect(ScanMerge.decode("0", shards: 3)! == (0, 0))
        // A shard's end moves to the next shard's start; the last shard's end is the end.
        #expect(ScanMerge.encode(shard: 0, cursor: 0, shards: 3) == 1)
        #expect(ScanMerge.encode(shard: 2, cursor: 0, shards: 3) == 0)
        for shard in 0..<3 {
            for cursor: UInt64 in [1, 17, 1 << 40] {
                let encoded = ScanMerge.encode(shard: shard, cursor: cursor, shards: 3)!
                #expect(ScanMerge.decode(String(encoded), shards: 3)! == (shard, cursor))
            }
        }
        #expect(ScanMerge.encode(shard: 1, cursor: UInt64.max / 2, shards: 3) == nil)
        #expect(ScanMerge.decode("-1", shards: 3) == nil && ScanMerge.decode("x", shards: 3) == nil)
        let reply = ScanMerge(shard: 1, shards: 3).merge([token("*2\r\n$2\r\n12\r\n*1\r\n$1\r\nk\r\n")], proto: .resp2)
        #expect(String(buffer: reply) == "*2\r\n$2\r\n37\r\n*1\r\n$1\r\nk\r\n")
    }

    @Test func aPendingMultiBindsLaterAndAnswersAnEmptyExecItself() {
        var state = TransactionState<String>()
        state.deferMulti()
        #expect(state.isMultiPending && state.lease == nil)
        if case .reply(let bytes) = state.step(.exec, sequence: 1) { #expect(String(buffer: bytes) == "*0\r\n") }
        state.deferMulti()
        state.reject()
        if case .reply(let bytes) = state.step(.exec, sequence: 2) {
            #expect(String(buffer: bytes).hasPrefix("-EXECABORT"))
        }
        state.deferMulti()
        state.began("shard-1", multi: true)
        #expect(state.lease == "shard-1")
        if case .end(let lease, let abort) = state.step(.exec, sequence: 3) { #expect(lease == "shard-1" && !abort) }
    }

    @Test func heldWritesWaitForTheirOwnShardsPrimaryInOrder() {
        final class Connection: TrackedConnection {
            var isReady = true
            var connectionGeneration = 1
        }
        var tracker = WriteTracker<Connection>(
            settings: .init(
                writeWait: .seconds(5), commandTimeout: .seconds(1), waitReplicas: 0, waitTimeout: .milliseconds(200)))
        let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
        func node(_ port: Int, up: Bool) -> NodeView {
            NodeView(
                address: .tcp(host: "127.0.0.1", port: port), configuredPrimary: true, health: up ? .up : .down,
                role: .unknown, lagBytes: nil, lastError: up ? nil : "refused", usable: up, readable: up)
        }
        func groups(_ up: [Bool]) -> [GroupView] {
            up.enumerated().map { GroupView(name: "g\($0)", primary: node(7000 + $0, up: $1), replicas: []) }
        }
        let request = RESPRequest(["SET", "k", "v"])
        let spec = CommandTable.shared.lookup(request)!
        func write(_ shard: Int) -> WriteTracker<Connection>.Write {
            .init(
                request: request, spec: spec, node: .tcp(host: "127.0.0.1", port: 7000 + shard), durable: false,
                shard: shard)
        }
        let down = groups([true, false])
        guard case .held = tracker.write(write(1), sequence: 1, group: down[1], now: t0) else {
            Issue.record("the write to the shard without a primary is held")
            return
        }
        // Shard 1 comes back: its write goes, to its own primary.
        let actions = tracker.retry(
            groups: groups([true, true]), connectionReady: { _ in true }, now: t0 + .milliseconds(10))
        guard case .send(1, let sent) = actions.first else {
            Issue.record("\(actions)")
            return
        }
        #expect(sent.shard == 1 && sent.node == .tcp(host: "127.0.0.1", port: 7001))
        // With shard 1 down for good, its held write fails naming its group.
        _ = tracker.write(write(1), sequence: 2, group: down[1], now: t0)
        let failed = tracker.retry(groups: down, connectionReady: { _ in true }, now: t0 + .seconds(6))
        if case .fail(2, let message) = failed.first {
            #expect(message.contains("'g1'"))
        } else {
            Issue.record("\(failed)")
        }
    }
}
