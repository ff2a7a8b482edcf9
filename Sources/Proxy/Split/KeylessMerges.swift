import NIOCore
import RESP

// Keyless commands sent to every shard (or, for SCAN and INFO, to one chosen shard).

/// KEYS: every shard's keys, one array.
struct ConcatenationMerge: SplitMerge {
    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer {
        let elements = parts.flatMap { $0.elements ?? [] }
        var out = ByteBuffer()
        out.writeRESPArrayHeader(elements.count)
        for element in elements {
            var bytes = element.base
            out.writeBuffer(&bytes)
        }
        return out
    }
}

/// SCRIPT EXISTS: a script exists only where every primary has it.
struct AllOfMerge: SplitMerge {
    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer {
        let lists = parts.map { ($0.elements ?? []).map { $0.integer ?? 0 } }
        let count = lists.map(\.count).min() ?? 0
        var out = ByteBuffer()
        out.writeRESPArrayHeader(count)
        for i in 0..<count { out.writeRESPInteger(lists.allSatisfy { $0[i] == 1 } ? 1 : 0) }
        return out
    }
}

/// RANDOMKEY: a key of a shard that has one, picked at random; nil when every shard is empty.
struct AnyKeyMerge: SplitMerge {
    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer {
        let found = parts.filter { token in
            if case .null = token.value { return false }
            if case .bulkString = token.value { return true }
            return false
        }
        return found.randomElement()?.base ?? parts[0].base
    }
}

/// SCAN over every shard, one after another, with a cursor that says which: `cursor × shards +
/// shard`. A shard's cursor 0 (its end) moves to the next shard's start; the last shard's end
/// is the client's 0. So `redis-cli --scan` through Porter sees every key once.
struct ScanMerge: SplitMerge {
    var shard: Int
    var shards: Int

    /// The shard and that shard's own cursor for the client's cursor (nil: not a cursor).
    static func decode(_ cursor: String, shards: Int) -> (shard: Int, cursor: UInt64)? {
        guard let value = UInt64(cursor) else { return nil }
        let n = UInt64(shards)
        return (Int(value % n), value / n)
    }

    /// The client's cursor after `shard` answered `cursor` (nil: too large to encode).
    static func encode(shard: Int, cursor: UInt64, shards: Int) -> UInt64? {
        let n = UInt64(shards)
        if cursor == 0 { return shard + 1 < shards ? UInt64(shard + 1) : 0 }
        let (product, overflow) = cursor.multipliedReportingOverflow(by: n)
        guard !overflow, product <= UInt64.max - UInt64(shard) else { return nil }
        return product + UInt64(shard)
    }

    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer {
        guard let elements = parts[0].elements, elements.count == 2,
            let next = elements[0].string.flatMap({ UInt64($0) })
        else { return parts[0].base }
        var out = ByteBuffer()
        guard let cursor = Self.encode(shard: self.shard, cursor: next, shards: self.shards) else {
            out.writeRESPError("ERR Porter: shard \(self.shard)'s SCAN cursor \(next) is too large to carry")
            return out
        }
        out.writeRESPArrayHeader(2)
        out.writeRESPBulkString(String(cursor))
        var keys = elements[1].base
        out.writeBuffer(&keys)
        return out
    }
}

/// INFO: one node's answer, with Porter's own section after it (the shards it routes to).
struct InfoMerge: SplitMerge {
    var section: String

    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer {
        var out = ByteBuffer()
        switch parts[0].value {
        case .bulkString(let text):
            out.writeRESPBulkString(String(buffer: text) + self.section)
        case .verbatimString(let text):
            let body = String(buffer: text) + self.section
            out.writeString("=\(body.utf8.count)\r\n\(body)\r\n")
        default:
            return parts[0].base
        }
        return out
    }
}
