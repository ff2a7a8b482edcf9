import Legacy
import Migration
import NIOCore
import RESP
import Upstream

/// Sessions in another Redis topology (`migration.legacy.redis`: a group, a ketama ring or a
/// cluster, followed as `upstream` is: health checks, failover, slot maps), so the same stages
/// move sessions from one ElastiCache to another, or from a group onto a cluster. Keys are
/// named by `pattern` there. One per event loop, over that loop's pools for the topology.
final class RedisSessions: LegacySessionStore {
    let upstreams: LoopUpstreams
    let pattern: SessionKeyPattern

    init(upstreams: LoopUpstreams, pattern: SessionKeyPattern) {
        self.upstreams = upstreams
        self.pattern = pattern
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private func send(_ arguments: [ByteBuffer], key: [UInt8]? = nil, shard: Int? = nil) -> EventLoopFuture<RESPToken> {
        let promise = self.upstreams.eventLoop.makePromise(of: RESPToken.self)
        let done: (Result<RESPToken, UpstreamError>) -> Void = { result in
            switch result {
            case .success(let token) where !token.isError: promise.succeed(token)
            // The node's error names the node's problem, never the session (no key or value in it).
            case .success(let token): promise.fail(Failure(description: "redis: \(token.string ?? "an error reply")"))
            case .failure(let error): promise.fail(Failure(description: error.message))
            }
        }
        if let key {
            self.upstreams.sideRequest(RESPRequest(arguments), key: key, done)
        } else {
            self.upstreams.sideRequest(RESPRequest(arguments), shard: shard ?? 0, done)
        }
        return promise.futureResult
    }

    private func session(_ key: [UInt8]) -> EventLoopFuture<LegacySession?> {
        let get = self.send([ByteBuffer(string: "GET"), ByteBuffer(bytes: key)], key: key)
        let ttl = self.send([ByteBuffer(string: "PTTL"), ByteBuffer(bytes: key)], key: key)
        return get.and(ttl).map { value, ttl in
            guard case .bulkString(let bytes) = value.value else { return nil }
            let milliseconds = ttl.integer ?? -1
            return LegacySession(
                data: Array(bytes.readableBytesView), ttl: milliseconds > 0 ? Int((milliseconds + 999) / 1000) : nil)
        }
    }

    func read(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<LegacySession?> {
        self.session(self.pattern.key(for: id))
    }

    func write(_ id: [UInt8], _ data: [UInt8], ttl: Int, on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        let key = self.pattern.key(for: id)
        return self.send(
            [
                ByteBuffer(string: "SET"), ByteBuffer(bytes: key), ByteBuffer(bytes: data), ByteBuffer(string: "EX"),
                ByteBuffer(string: String(Swift.max(1, ttl))),
            ], key: key
        ).map { _ in }
    }

    func delete(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<Bool> {
        let key = self.pattern.key(for: id)
        return self.send([ByteBuffer(string: "DEL"), ByteBuffer(bytes: key)], key: key).map { ($0.integer ?? 0) > 0 }
    }

    func touch(_ id: [UInt8], ttl: Int, on eventLoop: EventLoop) -> EventLoopFuture<Bool> {
        let key = self.pattern.key(for: id)
        return self.send(
            [ByteBuffer(string: "EXPIRE"), ByteBuffer(bytes: key), ByteBuffer(string: String(Swift.max(1, ttl)))],
            key: key
        ).map { ($0.integer ?? 0) > 0 }
    }

    /// SCAN over each shard in turn; the cursor is `<shard>:<SCAN cursor>`.
    func scan(after cursor: [UInt8]?, limit: Int, on eventLoop: EventLoop) -> EventLoopFuture<LegacyPage> {
        let text = cursor.map { String(decoding: $0, as: UTF8.self) } ?? "0:0"
        let parts = text.split(separator: ":")
        guard parts.count == 2, let shard = Int(parts[0]), let position = UInt64(parts[1]) else {
            return eventLoop.makeFailedFuture(Failure(description: "not a Redis backfill cursor"))
        }
        let shards = Swift.max(1, self.upstreams.topology.groups.count)
        guard shard < shards else { return eventLoop.makeSucceededFuture(LegacyPage(records: [], next: nil)) }
        let scan = self.send(
            [
                ByteBuffer(string: "SCAN"), ByteBuffer(string: String(position)), ByteBuffer(string: "MATCH"),
                ByteBuffer(bytes: Self.glob(self.pattern)), ByteBuffer(string: "COUNT"),
                ByteBuffer(string: String(limit)),
            ], shard: shard)
        return scan.assumeIsolated().flatMap { reply in
            guard let parts = reply.elements, parts.count == 2, let nextText = parts[0].string,
                let next = UInt64(nextText), let keys = parts[1].elements
            else { return eventLoop.makeFailedFuture(Failure(description: "SCAN gave an unexpected reply")) }
            let found = keys.compactMap { key -> ([UInt8], [UInt8])? in
                guard case .bulkString(let bytes) = key.value else { return nil }
                let key = Array(bytes.readableBytesView)
                return self.pattern.id(in: key).map { (key, $0) }
            }
            let reads = found.map { key, id in self.session(key).map { $0.map { LegacyRecord(id: id, session: $0) } } }
            let nextCursor =
                next != 0 ? "\(shard):\(next)" : (shard + 1 < shards ? "\(shard + 1):0" : nil)
            return EventLoopFuture.whenAllSucceed(reads, on: eventLoop).map { records in
                LegacyPage(records: records.compactMap { $0 }, next: nextCursor.map { Array($0.utf8) })
            }
        }.nonisolated()
    }

    func countLive(on eventLoop: EventLoop) -> EventLoopFuture<Int?> { eventLoop.makeSucceededFuture(nil) }

    /// The pattern as a SCAN MATCH glob: its fixed parts escaped, `*` for the id.
    static func glob(_ pattern: SessionKeyPattern) -> [UInt8] {
        func escaped(_ bytes: [UInt8]) -> [UInt8] {
            bytes.flatMap { byte -> [UInt8] in
                [UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\")]
                    .contains(byte) ? [UInt8(ascii: "\\"), byte] : [byte]
            }
        }
        return escaped(pattern.prefix) + [UInt8(ascii: "*")] + escaped(pattern.suffix)
    }
}
