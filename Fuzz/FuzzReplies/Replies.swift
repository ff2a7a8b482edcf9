// The reply decoder on any bytes (fed in two reads), and every decoded value walked the way
// Porter's own logic reads replies (ROLE, INFO, HELLO, cluster maps): elements, strings, numbers.

import NIOCore
import RESP

let limits = RESPLimits(maxBulkLength: 1 << 16, maxArrayLength: 1024, maxDepth: 8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReplies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let split = size > 0 ? Int(bytes[0]) % (size + 1) : 0
    let processor = NIOSingleStepByteToMessageProcessor(RESPReplyDecoder(limits: limits))
    for chunk in [bytes[..<split], bytes[split...]] {
        do {
            try processor.process(buffer: ByteBuffer(bytes: chunk)) { token in walk(token, depth: 0) }
        } catch {
            return 0  // a malformed reply: the connection is dropped
        }
    }
    return 0
}

func walk(_ token: RESPToken, depth: Int) {
    precondition(depth <= limits.maxDepth + 1, "nesting past the limit")
    _ = token.isError
    _ = token.string
    _ = token.integer
    _ = token.value
    for element in token.elements ?? [] { walk(element, depth: depth + 1) }
}
