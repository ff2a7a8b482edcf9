import Hashing
import PorterTestHarness
import Testing

/// "Twemproxy-identical": the same servers, names, weights, hash, distribution and hash tag put
/// every key on the same server under Porter's `KeyRing` as under the real nutcracker. Each
/// configuration is one nutcracker pool in front of the same four redis-servers; 10,000 keys go
/// in through nutcracker, and where they landed is read back from the servers.
@Suite(.serialized) struct PlacementTests {
    struct Case {
        var hash: HashFunction
        var distribution: Distribution
        var weights: [Int]
        var named: Bool
        var hashTag: String?
    }

    /// Every hash function on ketama (named and unnamed servers, equal and unequal weights), modula
    /// with weights, and hash tags.
    static let cases: [Case] =
        HashFunction.allCases.enumerated().map { i, hash in
            Case(
                hash: hash, distribution: .ketama,
                weights: i % 3 == 0 ? [1, 1, 1] : (i % 3 == 1 ? [1, 2, 3, 1] : [5, 3]),
                named: i % 2 == 0, hashTag: nil)
        } + [
            Case(hash: .fnv1a_64, distribution: .modula, weights: [1, 1, 1], named: false, hashTag: nil),
            Case(hash: .murmur, distribution: .modula, weights: [1, 2, 1, 3], named: true, hashTag: nil),
            Case(hash: .crc32a, distribution: .modula, weights: [2, 3], named: false, hashTag: "{}"),
            Case(hash: .fnv1a_64, distribution: .ketama, weights: [1, 1, 1, 1], named: true, hashTag: "{}"),
            Case(hash: .md5, distribution: .ketama, weights: [3, 1, 1], named: false, hashTag: "$$"),
        ]

    /// Session-like keys: phpredis session ids, hash-tagged keys, a few bytes ≥ 0x80, and very
    /// short keys (every tail length of the word-at-a-time hashes).
    static func keys() -> [[UInt8]] {
        var seed: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return seed
        }
        let alphabet = Array("abcdefghijklmnopqrstuv0123456789,-".utf8)
        var keys: [[UInt8]] = []
        var seen = Set<[UInt8]>()
        while keys.count < 10_000 {
            var key: [UInt8]
            switch keys.count % 10 {
            case 0: key = Array("{user:\(next() % 3000)}:cart:\(keys.count)".utf8)
            case 1: key = Array("$tag\(next() % 500)$rest\(keys.count)".utf8)
            case 2: key = (0..<(1 + Int(next() % 40))).map { _ in UInt8(0x80 + next() % 0x7f) } + [0x41]
            case 3: key = (0..<(1 + Int(next() % 5))).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            default:
                key =
                    Array("PHPREDIS_SESSION:".utf8)
                    + (0..<(20 + Int(next() % 20))).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            }
            if seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    @Test func everyKeyLandsWhereNutcrackerPutsIt() async throws {
        var servers: [ServerProcess] = []
        for _ in 0..<4 { servers.append(try await Harness.startRedis()) }
        let pools = Self.cases.enumerated().map { i, c in
            var body = "hash: \(c.hash.rawValue)\ndistribution: \(c.distribution.rawValue)\nredis: true\n"
            body += "auto_eject_hosts: false\nserver_connections: 1\n"
            if let tag = c.hashTag { body += "hash_tag: \"\(tag)\"\n" }
            body += "servers:\n"
            for (j, weight) in c.weights.enumerated() {
                body += " - 127.0.0.1:\(servers[j].port):\(weight)\(c.named ? " shard-\(j)" : "")\n"
            }
            return (name: "case\(i)", body: body)
        }
        let (nutcracker, ports) = try await Harness.startNutcracker(pools: pools)
        try await finally {
            let keys = Self.keys()
            var mismatches: [String] = []
            for (c, port) in zip(Self.cases, ports) {
                for server in servers { _ = try RedisTestClient(port: server.port).command("FLUSHALL") }
                let client = try RedisTestClient(port: port)
                for chunk in stride(from: 0, to: keys.count, by: 500) {
                    let part = keys[chunk..<min(chunk + 500, keys.count)]
                    try client.send(raw: part.flatMap { RedisTestClient.encode([Array("SET".utf8), $0, [0x31]]) })
                    for _ in part { #expect(try client.readReply() == .simple("OK")) }
                }
                var actual: [[UInt8]: Int] = [:]
                for (j, server) in servers.enumerated() {
                    guard case .array(let found) = try RedisTestClient(port: server.port).command("KEYS", "*") else {
                        continue
                    }
                    for case .bulk(let key) in found { actual[key] = j }
                }
                #expect(actual.count == keys.count)
                let ring = KeyRing(
                    servers: c.weights.enumerated().map { j, weight in
                        KeyRing.Server(
                            identity: c.named ? "shard-\(j)" : "127.0.0.1:\(servers[j].port)", weight: weight)
                    }, hash: c.hash, distribution: c.distribution, hashTag: c.hashTag.flatMap(HashTag.init))
                let wrongKeys = keys.filter { ring.server(for: $0) != actual[$0] }
                if !wrongKeys.isEmpty {
                    let sample = wrongKeys.prefix(5).map { "\($0) → \(actual[$0] ?? -1), not \(ring.server(for: $0))" }
                    mismatches.append("\(c): \(wrongKeys.count) of \(keys.count) keys elsewhere, e.g. \(sample)")
                }
            }
            #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        } stop: {
            nutcracker.stop()
            for server in servers { server.stop() }
        }
    }
}
