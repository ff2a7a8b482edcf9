import Foundation
import PorterTestHarness
import Testing

/// Large requests are passed on as they arrive (`limits.stream_bulk_bytes`, 256 KiB by default),
/// on a connection of their own: Redis has the first bytes of a value before the client has sent
/// the rest, other clients are not held up behind it, and Porter never holds the whole value.
@Suite("Large requests passed on as they arrive")
struct StreamingTests {
    static let size = 8 * 1024 * 1024

    static func value(_ size: Int = Self.size) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ ($0 >> 9)) }
    }

    /// The largest input buffer of Redis' clients (CLIENT LIST `qbuf` + `argv-mem`): where a
    /// value being received sits.
    static func largestInput(_ redis: RedisTestClient) throws -> Int {
        guard case .bulk(let list) = try redis.command("CLIENT", "LIST") else { return 0 }
        var largest = 0
        for line in String(decoding: list, as: UTF8.self).split(separator: "\n") {
            var total = 0
            for field in line.split(separator: " ") where field.hasPrefix("qbuf=") || field.hasPrefix("argv-mem=") {
                total += Int(field.split(separator: "=").last ?? "") ?? 0
            }
            largest = max(largest, total)
        }
        return largest
    }

    @Test func aLargeValueReachesRedisWhileItIsStillComing() async throws {
        try await withPorter { porter in
            let big = try porter.client()
            let other = try porter.client()
            let value = Self.value()
            let request = RedisTestClient.encode([Array("SET".utf8), Array("stream:big".utf8), value])
            let half = request.count / 2
            try big.send(raw: Array(request[..<half]))
            // Redis holds what came so far, before the client has sent the rest.
            var seen = 0
            for _ in 0..<200 where seen < 1 << 20 {
                seen = try Self.largestInput(porter.direct())
                if seen < 1 << 20 { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(seen >= 1 << 20, "Redis had \(seen) bytes of the value")
            // Meanwhile another client is answered at once.
            #expect(try other.command("SET", "stream:small", "x") == .simple("OK"))
            #expect(try other.command("GET", "stream:small") == .bulk(Array("x".utf8)))
            // The rest, with a GET of the same key pipelined behind it: it runs after the SET.
            try big.send(raw: Array(request[half...]) + RedisTestClient.encode(["STRLEN", "stream:big"]))
            #expect(try big.readReply() == .simple("OK"))
            #expect(try big.readReply() == .integer(value.count))
            #expect(try porter.direct().command("GET", "stream:big") == .bulk(value))
            #expect(await porter.app.proxy.stats().streamedRequests == 1)
            // The connection goes back to the pool and serves the next one.
            #expect(try big.command(bytes: [Array("APPEND".utf8), Array("stream:big".utf8), value]) == .integer(2 * value.count))
            #expect(await porter.app.proxy.stats().streamedRequests == 2)
        }
    }

    /// What needs the whole request first is gathered and handled as before: a transaction, a
    /// command with keys after the value (MSET), and a request that came in one piece.
    @Test func requestsThatCannotStreamAreGathered() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            let value = Self.value(1 << 20)
            #expect(try c.command("MULTI") == .simple("OK"))
            #expect(try c.command(bytes: [Array("SET".utf8), Array("tx:big".utf8), value]) == .simple("QUEUED"))
            #expect(try c.command("EXEC") == .array([.simple("OK")]))
            #expect(
                try c.command(bytes: [
                    Array("MSET".utf8), Array("m:big".utf8), value, Array("m:small".utf8), Array("1".utf8),
                ]) == .simple("OK"))
            #expect(try porter.direct().command("STRLEN", "tx:big") == .integer(value.count))
            #expect(try porter.direct().command("GET", "m:big") == .bulk(value))
            #expect(try porter.direct().command("GET", "m:small") == .bulk(Array("1".utf8)))
        }
    }

    /// The connection carrying a value fails part way: the client gets an error at once that says
    /// the command was not run, the rest of its bytes are read and dropped, and the connection
    /// serves its next command.
    @Test func aFailurePartWayIsReportedAndTheRestDropped() async throws {
        try await withPorter { porter in
            let c = try porter.client()
            let value = Self.value()
            let request = RedisTestClient.encode([Array("SET".utf8), Array("stream:lost".utf8), value])
            try c.send(raw: Array(request[..<(request.count / 2)]))
            // Find Redis' client that is receiving the value, and kill it.
            let redis = try porter.direct()
            var killed = false
            for _ in 0..<200 where !killed {
                if case .bulk(let list) = try redis.command("CLIENT", "LIST") {
                    for line in String(decoding: list, as: UTF8.self).split(separator: "\n") {
                        let fields = line.split(separator: " ")
                        let input = fields.filter { $0.hasPrefix("qbuf=") || $0.hasPrefix("argv-mem=") }
                            .compactMap { Int($0.split(separator: "=").last ?? "") }.reduce(0, +)
                        if input >= 1 << 20, let id = fields.first(where: { $0.hasPrefix("id=") })?.dropFirst(3) {
                            killed = try redis.command("CLIENT", "KILL", "ID", String(id)) == .integer(1)
                        }
                    }
                }
                if !killed { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(killed)
            guard case .error(let message) = try c.readReply() else {
                Issue.record("no error for the lost request")
                return
            }
            #expect(message.contains("while a large request was being sent; it was not run"), "\(message)")
            try c.send(raw: Array(request[(request.count / 2)...]))
            #expect(try c.command("PING") == .simple("PONG"))
            #expect(try redis.command("EXISTS", "stream:lost") == .integer(0))
            #expect(await porter.app.proxy.stats().upstreamErrors >= 1)
        }
    }
}
