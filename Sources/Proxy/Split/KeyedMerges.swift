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
/// `step - 1` arguments after each, MSET's values) in the client's order. Each part is made
/// of the client's bytes as they came (each argument's `$len\r\n…\r\n` copied whole), found in
/// one walk over the request.
struct KeyedSplit {
    var parts: [SplitPart] = []
    var positions: [(part: Int, index: Int)] = []

    /// `place(key offset, key length)`: the part the key goes in (any number: keys with the same
    /// one go together) and the shard that part goes to.
    init(
        _ request: RESPRequest, firstKey: Int, step: Int,
        place: (_ offset: Int, _ length: Int) -> (part: Int, shard: Int)
    ) {
        // Where each argument's bytes begin and end (its `$len` header included).
        var segments: [(start: Int, end: Int)] = []
        segments.reserveCapacity(request.count)
        var partKeys: [Int] = []
        var counts: [Int] = []
        var groupPart: [Int] = []
        request.bytes.withUnsafeReadableBytes { bytes in
            var start = 0
            while bytes[start] != UInt8(ascii: "\n") { start += 1 }
            start += 1
            request.forEachArgument { index, offset, length in
                segments.append((start, offset + length + 2))
                start = offset + length + 2
                if index >= firstKey && (index - firstKey) % step == 0 && index + step <= request.count {
                    let (key, shard) = place(offset, length)
                    let part: Int
                    if let known = partKeys.firstIndex(of: key) {
                        part = known
                    } else {
                        part = partKeys.count
                        partKeys.append(key)
                        counts.append(0)
                        self.parts.append(SplitPart(shard: shard, request: request))
                    }
                    self.positions.append((part, counts[part]))
                    counts[part] += 1
                    groupPart.append(part)
                }
                return true
            }
        }
        request.bytes.withUnsafeReadableBytes { bytes in
            func copy(_ index: Int, into buffer: inout ByteBuffer) {
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[segments[index].start..<segments[index].end]))
            }
            for part in self.parts.indices {
                var buffer = ByteBuffer()
                let count = firstKey + counts[part] * step
                buffer.reserveCapacity(16 + bytes.count / Swift.max(1, self.parts.count))
                buffer.writeRESPArrayHeader(count)
                for index in 0..<firstKey { copy(index, into: &buffer) }
                for (group, groupsPart) in groupPart.enumerated() where groupsPart == part {
                    let first = firstKey + group * step
                    for index in first..<(first + step) { copy(index, into: &buffer) }
                }
                self.parts[part].request = RESPRequest(bytes: buffer, count: count)
            }
        }
    }
}
