// The request path's pure parts on any bytes: the decoder (fed in two reads, split where the
// first byte says), the command table's lookup and arity, key extraction by both walks (which
// must agree), and an ACL check with key patterns. None may crash, hang or grow without bound.

import Access
import Commands
import NIOCore
import RESP

let table = CommandTable.shared
let user = try! AccessControl(
    defaultUser: .init(name: "fuzz", password: "x", rules: "+@all -@dangerous ~PHPREDIS_SESSION:* %R~cache:* &news:*"),
    others: []
).defaultUser
let limits = RESPLimits(
    maxBulkLength: 1 << 16, maxArrayLength: 1024, maxDepth: 8, maxInlineLength: 4096, streamBulkLength: 4096)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequests(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    let processor = NIOSingleStepByteToMessageProcessor(RESPRequestDecoder(limits: limits))
    for chunk in [bytes[..<split], bytes[split...]] {
        let buffer = ByteBuffer(bytes: chunk)
        do {
            try processor.process(buffer: buffer) { part in
                guard case .request(let request) = part else { return }
                check(request)
            }
        } catch {
            return 0  // a protocol error: the session answers it and closes
        }
    }
    return 0
}

func check(_ request: RESPRequest) {
    guard let spec = table.lookup(request) else { return }
    guard spec.acceptsArgumentCount(request.count) else { return }
    var ranges: [Int] = []
    spec.forEachKeyRange(in: request) { index, offset, length in
        ranges.append(index)
        precondition(offset >= 0 && offset + length <= request.bytes.readableBytes, "a key range outside the request")
    }
    if let indexes = spec.keyIndexes(in: request) {
        precondition(indexes == ranges, "the two key walks disagree: \(indexes) vs \(ranges)")
    }
    _ = user.check(spec, request)
    _ = spec.isIdempotent(request)
}
