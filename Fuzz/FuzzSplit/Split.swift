// The command splitter on any request: a multi-key command over three groups on a ketama ring
// is placed, and when its keys are on several groups, split into one part per group. Each part
// must be a well-formed request of the same command whose keys are all on its group, and the
// parts together must hold every key once, in a position that maps back to the client's order.

import Commands
import NIOCore
import RESP

@testable import Proxy

let table = CommandTable.shared
let router = ShardRouter(
    names: ["a", "b", "c"], weights: [:], sharding: ShardingConfiguration())

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSplit(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let processor = NIOSingleStepByteToMessageProcessor(
        RESPRequestDecoder(limits: RESPLimits(maxBulkLength: 4096, maxArrayLength: 256, maxInlineLength: 4096)))
    do {
        try processor.process(buffer: ByteBuffer(bytes: UnsafeBufferPointer(start: data, count: size))) { part in
            guard case .request(let request) = part else { return }
            check(request)
        }
    } catch {
        return 0
    }
    return 0
}

func check(_ request: RESPRequest) {
    guard let spec = table.lookup(request), spec.acceptsArgumentCount(request.count) else { return }
    guard case .many = router.placement(request, spec: spec) else { return }
    let kind = spec.id < ClientSession.splitKinds.count ? ClientSession.splitKinds[spec.id] : nil
    let step: Int
    switch kind {
    case .mget, .sum: step = 1
    case .mset:
        guard request.count % 2 == 1 else { return }
        step = 2
    case nil: return
    }
    let split = KeyedSplit(request, firstKey: 1, step: step) { offset, length in router.part(request, (offset, length)) }
    let keys = (request.count - 1) / step
    precondition(split.positions.count == keys, "a key lost or doubled")
    var seen = 0
    for (index, part) in split.parts.enumerated() {
        // Re-decoded from its bytes, the part is the same command with its share of the keys.
        var bytes = part.request.bytes
        var decoder = RESPRequestDecoder()
        guard case .request(let again)? = try? decoder.decode(buffer: &bytes) else {
            preconditionFailure("part \(index) is not a request")
        }
        precondition(bytes.readableBytes == 0, "bytes after part \(index)")
        precondition(again.count == 1 + split.positions.filter { $0.part == index }.count * step)
        precondition(again.argument(0) == request.argument(0), "part \(index) is another command")
        var k = 1
        while k < again.count {
            if case .one(let shard) = router.placement(RESPRequest([again.argument(0)!, again.argument(k)!]), spec: table.lookup(RESPRequest(["GET", "k"]))!) {
                precondition(shard == part.shard, "a key on the wrong group")
            }
            k += step
            seen += 1
        }
    }
    precondition(seen == keys)
}
