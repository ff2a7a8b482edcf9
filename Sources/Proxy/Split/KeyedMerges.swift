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
        let groups = Swift.max(0, (request.count - firstKey) / step)
        // Where each argument's bytes begin and end (its `$len` header included), and each key
        // group's part; then every part's size, so each is made in one allocation.
        var segments: [(start: Int, end: Int)] = []
        segments.reserveCapacity(request.count)
        var groupPart: [Int] = []
        groupPart.reserveCapacity(groups)
        self.positions.reserveCapacity(groups)
        // Per part: its `place` key, its key groups, its bytes.
        var found: [(key: Int, count: Int, size: Int)] = []
        found.reserveCapacity(8)
        self.parts.reserveCapacity(8)
        request.bytes.withUnsafeReadableBytes { bytes in
            var start = 0
            while bytes[start] != UInt8(ascii: "\n") { start += 1 }
            start += 1
            var nextKey = firstKey
            request.forEachArgument { index, offset, length in
                let end = offset + length + 2
                segments.append((start, end))
                if index == nextKey && groupPart.count < groups {
                    nextKey += step
                    let (key, shard) = place(offset, length)
                    let part: Int
                    if let known = found.firstIndex(where: { $0.key == key }) {
                        part = known
                    } else {
                        part = found.count
                        found.append((key, 0, 0))
                        self.parts.append(SplitPart(shard: shard, request: request))
                    }
                    self.positions.append((part, found[part].count))
                    found[part].count += 1
                    groupPart.append(part)
                }
                start = end
                return true
            }
            let headBytes = firstKey > 0 ? segments[firstKey - 1].end - segments[0].start : 0
            var buffers: [ByteBuffer] = []
            buffers.reserveCapacity(self.parts.count)
            for (group, part) in groupPart.enumerated() {
                let first = firstKey + group * step
                found[part].size += segments[first + step - 1].end - segments[first].start
            }
            for part in self.parts.indices {
                var buffer = ByteBufferAllocator().buffer(capacity: 24 + headBytes + found[part].size)
                buffer.writeRESPArrayHeader(firstKey + found[part].count * step)
                if headBytes > 0 {
                    buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[segments[0].start..<segments[firstKey - 1].end]))
                }
                buffers.append(buffer)
            }
            for (group, part) in groupPart.enumerated() {
                let first = firstKey + group * step
                buffers[part].writeBytes(
                    UnsafeRawBufferPointer(rebasing: bytes[segments[first].start..<segments[first + step - 1].end]))
            }
            for part in self.parts.indices {
                self.parts[part].request = RESPRequest(bytes: buffers[part], count: firstKey + found[part].count * step)
            }
        }
    }
}
