// MD5 (RFC 1321), for ketama's ring points and twemproxy's `md5` key hash. Not for security:
// Porter uses it only because twemproxy's placement does. Allocation-free: whole blocks are read
// from the key's bytes, the padded tail is built on the stack.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

enum MD5 {
    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// floor(abs(sin(i + 1)) * 2^32), computed once.
    private static let constants: [UInt32] = (0..<64).map { i in
        UInt32(truncatingIfNeeded: Int64((abs(sin(Double(i + 1))) * 4_294_967_296.0).rounded(.down)))
    }

    /// The digest as its four little-endian words: word 0 is bytes 0–3 of the digest.
    typealias Words = (UInt32, UInt32, UInt32, UInt32)

    static func hash(_ message: UnsafeRawBufferPointer) -> Words {
        var state: Words = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        let whole = message.count / 64 * 64
        var offset = 0
        while offset < whole {
            Self.compress(&state, UnsafeRawBufferPointer(rebasing: message[offset..<(offset + 64)]))
            offset += 64
        }
        // The tail, a 0x80 byte, zeros to 56 mod 64, then the length in bits: one or two blocks.
        let tail = message.count - whole
        let blocks = tail < 56 ? 1 : 2
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { buffer in
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            for i in 0..<tail { buffer[i] = message[whole + i] }
            buffer[tail] = 0x80
            let bits = UInt64(message.count) &* 8
            for i in 0..<8 { buffer[blocks * 64 - 8 + i] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i))) }
            for block in 0..<blocks {
                Self.compress(&state, UnsafeRawBufferPointer(rebasing: buffer[(block * 64)..<(block * 64 + 64)]))
            }
        }
        return state
    }

    private static func compress(_ state: inout Words, _ block: UnsafeRawBufferPointer) {
        var a = state.0
        var b = state.1
        var c = state.2
        var d = state.3
        Self.constants.withUnsafeBufferPointer { constants in
            Self.shifts.withUnsafeBufferPointer { shifts in
                for i in 0..<64 {
                    var f: UInt32
                    let g: Int
                    switch i {
                    case 0..<16:
                        f = (b & c) | (~b & d)
                        g = i
                    case 16..<32:
                        f = (d & b) | (~d & c)
                        g = (5 &* i &+ 1) & 15
                    case 32..<48:
                        f = b ^ c ^ d
                        g = (3 &* i &+ 5) & 15
                    default:
                        f = c ^ (b | ~d)
                        g = (7 &* i) & 15
                    }
                    let word = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: g * 4, as: UInt32.self))
                    f = f &+ a &+ constants[i] &+ word
                    a = d
                    d = c
                    c = b
                    let s = shifts[i]
                    b = b &+ ((f << s) | (f >> (32 - s)))
                }
            }
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d)
    }

    /// The 16-byte digest (tests and ring building; the hot path uses `hash`).
    static func digest(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        let (a, b, c, d) = Self.hash(message)
        return [a, b, c, d].flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) } }
    }

    static func digest(_ string: String) -> [UInt8] {
        Array(string.utf8).withUnsafeBytes { Self.digest($0) }
    }
}
