import NIOCore
import RESP
import Testing

/// Random and mutated input never crashes a decoder, never makes it return more than it was
/// given, and always ends in a value, a request for more bytes, or a RESPError.
@Suite("RESP decoders on hostile input")
struct RESPFuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds: [String] = [
        "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n", "GET key\r\n", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n",
        "%2\r\n+a\r\n:1\r\n+b\r\n*2\r\n$1\r\nx\r\n_\r\n", "|1\r\n+k\r\n+v\r\n$3\r\nabc\r\n", ">1\r\n~1\r\n,1.5\r\n",
    ]

    func mutate(_ input: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !bytes.isEmpty else { break }
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
            case 1: bytes.remove(at: i)
            case 2: bytes.insert(Array("*$:-+\r\n0123456789%|>".utf8).randomElement(using: &rng)!, at: i)
            default: bytes.insert(contentsOf: bytes[i...].prefix(8), at: i)
            }
        }
        return bytes
    }

    @Test func mutatedAndRandomInput() throws {
        var rng = SplitMix(state: 0x5EED)
        let limits = RESPLimits(maxBulkLength: 4096, maxArrayLength: 64, maxDepth: 8, maxInlineLength: 256)
        var streaming = limits
        streaming.streamBulkLength = 4
        for round in 0..<20_000 {
            let input: [UInt8]
            if round % 4 == 0 {
                input = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                input = mutate(Array(Self.seeds.randomElement(using: &rng)!.utf8), &rng)
            }
            var requests = RESPRequestDecoder(limits: round % 2 == 0 ? limits : streaming)
            var replies = RESPReplyDecoder(limits: limits)
            var a = ByteBuffer(bytes: input)
            var b = ByteBuffer(bytes: input)
            do {
                while let part = try requests.decode(buffer: &a) {
                    switch part {
                    case .request(let request), .streamStart(let request, _):
                        #expect(request.count >= 1)
                        _ = request.arguments  // walking the arguments must be safe
                    case .streamBytes(let bytes, _):
                        #expect(bytes.readableBytes >= 1)
                    }
                }
            } catch is RESPError {}
            do {
                while let token = try replies.decode(buffer: &b) {
                    #expect(token.base.readableBytes <= input.count)
                    _ = token.value
                }
            } catch is RESPError {}
        }
    }
}

extension RESPFuzzTests {
    @Test func manyBlankLinesDoNotRecurse() throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxInlineLength: 1 << 20))
        var buffer = ByteBuffer(string: String(repeating: "\r\n", count: 500_000) + "PING\r\n")
        let request = try decoder.decode(buffer: &buffer)?.request
        #expect(request?.string(0) == "PING")
    }
}
