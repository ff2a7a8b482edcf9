import NIOCore
import RESP

// Multi-key commands split by the shard of each key.

/// MGET: each part's values, put back in the order the client gave the keys.
struct MGetMerge: SplitMerge {
    /// For each key of the client's command: its part, and its place in that part.
    var positions: [(part: Int, index: Int)]

    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer {
        let elements = parts.map { $0.elements ?? [] }
        var out = ByteBuffer()
        out.writeRESPArrayHeader(self.positions.count)
        for (part, index) in self.positions {
            if index < elements[part].count {
                var value = elements[part][index].base
                out.writeBuffer(&value)
            } else {
                out.writeRESPNull(proto)
            }
        }
        return out
    }
}

/// MSET, FLUSHDB, FLUSHALL, SCRIPT FLUSH, SCRIPT LOAD: every part did the same, so any part's
/// reply is the reply (+OK, or the script's SHA1).
struct SameReplyMerge: SplitMerge {
    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer { parts[0].base }
}

/// DEL, UNLINK, EXISTS, TOUCH, DBSIZE: the sum of the parts' integers (EXISTS counts a key
/// given twice twice, as Redis does: both go to the same part).
struct SumMerge: SplitMerge {
    func merge(_ parts: [RESPToken], proto: RESPProtocol) -> ByteBuffer {
        var out = ByteBuffer()
        out.writeRESPInteger(Int(parts.reduce(Int64(0)) { $0 + ($1.integer ?? 0) }))
        return out
    }
}

/// Which part each key of a command goes to, and the parts' requests: the command name (and
/// anything before the first key) is repeated in every part, then its keys (with the
/// `step - 1` arguments after each, MSET's values) in the client's order.
struct KeyedSplit {
    var parts: [SplitPart] = []
    var positions: [(part: Int, index: Int)] = []

    /// `place(argument index)`: the part the key goes in (any number: keys with the same one go
    /// together) and the shard that part goes to.
    init(_ request: RESPRequest, firstKey: Int, step: Int, place: (Int) -> (part: Int, shard: Int)) {
        let arguments = request.arguments
        let head = Array(arguments[0..<firstKey])
        var partOfKey: [Int: Int] = [:]
        var partArguments: [[ByteBuffer]] = []
        var i = firstKey
        while i + step <= arguments.count {
            let (key, target) = place(i)
            let part: Int
            if let known = partOfKey[key] {
                part = known
            } else {
                part = partArguments.count
                partOfKey[key] = part
                partArguments.append(head)
                self.parts.append(SplitPart(shard: target, request: request))
            }
            self.positions.append((part, (partArguments[part].count - head.count) / step))
            partArguments[part] += arguments[i..<(i + step)]
            i += step
        }
        for (index, arguments) in partArguments.enumerated() { self.parts[index].request = RESPRequest(arguments) }
    }
}
