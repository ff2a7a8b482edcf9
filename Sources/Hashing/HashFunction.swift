// Hashing — where a key lives: twemproxy's key hashes and distributions (so a ring moved from
// nutcracker to Porter keeps every key where it was), hash tags, and Redis Cluster's slots.
// Pure functions of bytes, no dependencies.

/// twemproxy's key hash functions, by nutcracker's names (`hash:` in its config). Each gives the
/// value nutcracker gives for the same bytes, including its quirks: `crc32` is libmemcached's
/// 15-bit variant, and the functions that read the key as C `char` on x86 see bytes ≥ 0x80 as
/// negative (sign-extended), as nutcracker does.
public enum HashFunction: String, CaseIterable, Sendable, Hashable {
    case oneAtATime = "one_at_a_time"
    case md5
    case crc16
    case crc32
    case crc32a
    case fnv1_64
    case fnv1a_64
    case fnv1_32
    case fnv1a_32
    case hsieh
    case murmur
    case jenkins

    public func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        switch self {
        case .oneAtATime: return Self.oneAtATime(key)
        case .md5: return Self.md5(key)
        case .crc16: return Self.crc16(key)
        case .crc32: return ((~Self.crc32Raw(key)) >> 16) & 0x7fff
        case .crc32a: return ~Self.crc32Raw(key)
        case .fnv1_64: return Self.fnv1_64(key)
        case .fnv1a_64: return Self.fnv1a(key, basis: 0x8422_2325, prime: 0x0000_01b3)
        case .fnv1_32: return Self.fnv1_32(key)
        case .fnv1a_32: return Self.fnv1a(key, basis: 2_166_136_261, prime: 16_777_619)
        case .hsieh: return Self.hsieh(key)
        case .murmur: return Self.murmur(key)
        case .jenkins: return Self.jenkins(key)
        }
    }

    public func hash(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { self.hash($0) } }

    /// A byte as C's signed `char`, widened as C widens it to an unsigned 32-bit value.
    @inline(__always)
    static func signed32(_ byte: UInt8) -> UInt32 { UInt32(bitPattern: Int32(Int8(bitPattern: byte))) }

    @inline(__always)
    static func signed64(_ byte: UInt8) -> UInt64 { UInt64(bitPattern: Int64(Int8(bitPattern: byte))) }

    static func oneAtATime(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var value: UInt32 = 0
        for byte in key {
            value &+= signed32(byte)
            value &+= value << 10
            value ^= value >> 6
        }
        value &+= value << 3
        value ^= value >> 11
        value &+= value << 15
        return value
    }

    /// The first four bytes of the MD5 digest, little endian.
    static func md5(_ key: UnsafeRawBufferPointer) -> UInt32 { MD5.hash(key).0 }

    /// twemproxy's `crc16` as nutcracker 0.5.0 computes it: the CRC-16/XMODEM table, but the
    /// running value is 32 bits and never truncated, so keys longer than two bytes hash to the
    /// whole 32-bit ring (its low 16 bits are the XMODEM CRC).
    static func crc16(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0
        CRC16XModem.table.withUnsafeBufferPointer { table in
            for byte in key { crc = (crc << 8) ^ UInt32(table[Int(((crc >> 8) ^ UInt32(byte)) & 0xff)]) }
        }
        return crc
    }

    /// CRC-32 (reflected polynomial 0xEDB88320) before its final inversion.
    static let crc32Table: [UInt32] = (0..<256).map { n in
        var crc = UInt32(n)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }

    static func crc32Raw(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var crc = UInt32.max
        crc32Table.withUnsafeBufferPointer { table in
            for byte in key { crc = (crc >> 8) ^ table[Int((crc ^ UInt32(byte)) & 0xff)] }
        }
        return crc
    }

    /// 64-bit FNV-1, truncated to 32 bits.
    static func fnv1_64(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = hash &* 0x100_0000_01b3
            hash ^= signed64(byte)
        }
        return UInt32(truncatingIfNeeded: hash)
    }

    static func fnv1_32(_ key: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key {
            hash = hash &* 16_777_619
            hash ^= signed32(byte)
        }
        return hash
    }

    /// FNV-1a in 32 bits. twemproxy's `fnv1a_64` is this with the 64-bit basis and prime
    /// truncated to 32 bits.
    static func fnv1a(_ key: UnsafeRawBufferPointer, basis: UInt32, prime: UInt32) -> UInt32 {
        var hash = basis
        for byte in key {
            hash ^= signed32(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// Paul Hsieh's SuperFastHash.
    static func hsieh(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let length = key.count
        guard length > 0 else { return 0 }
        @inline(__always) func get16(_ i: Int) -> UInt32 { UInt32(key[i]) | UInt32(key[i + 1]) << 8 }
        var hash: UInt32 = 0
        var i = 0
        for _ in 0..<(length >> 2) {
            hash &+= get16(i)
            let tmp = (get16(i + 2) << 11) ^ hash
            hash = (hash << 16) ^ tmp
            i += 4
            hash &+= hash >> 11
        }
        switch length & 3 {
        case 3:
            hash &+= get16(i)
            hash ^= hash << 16
            hash ^= signed32(key[i + 2]) << 18
            hash &+= hash >> 11
        case 2:
            hash &+= get16(i)
            hash ^= hash << 11
            hash &+= hash >> 17
        case 1:
            hash &+= UInt32(key[i])
            hash ^= hash << 10
            hash &+= hash >> 1
        default:
            break
        }
        hash ^= hash << 3
        hash &+= hash >> 5
        hash ^= hash << 4
        hash &+= hash >> 17
        hash ^= hash << 25
        hash &+= hash >> 6
        return hash
    }

    /// MurmurHash2 with twemproxy's seed (0xdeadbeef times the length).
    static func murmur(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let m: UInt32 = 0x5bd1_e995
        var length = key.count
        let seed = 0xdead_beef &* UInt32(truncatingIfNeeded: length)
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        var i = 0
        while length >= 4 {
            var k =
                UInt32(key[i]) | UInt32(key[i + 1]) << 8 | UInt32(key[i + 2]) << 16 | UInt32(key[i + 3]) << 24
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
            i += 4
            length -= 4
        }
        if length >= 3 { h ^= UInt32(key[i + 2]) << 16 }
        if length >= 2 { h ^= UInt32(key[i + 1]) << 8 }
        if length >= 1 {
            h ^= UInt32(key[i])
            h = h &* m
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return h
    }

    /// Bob Jenkins' lookup3 `hashlittle`, initial value 13 (libmemcached's).
    static func jenkins(_ key: UnsafeRawBufferPointer, initialValue: UInt32 = 13) -> UInt32 {
        @inline(__always) func rot(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }
        var length = key.count
        var a: UInt32 = 0xdead_beef &+ UInt32(truncatingIfNeeded: length) &+ initialValue
        var b = a
        var c = a
        var i = 0
        @inline(__always) func word(_ at: Int, _ count: Int) -> UInt32 {
            var w: UInt32 = 0
            for j in 0..<count { w |= UInt32(key[at + j]) << (8 * UInt32(j)) }
            return w
        }
        while length > 12 {
            a &+= word(i, 4)
            b &+= word(i + 4, 4)
            c &+= word(i + 8, 4)
            a &-= c; a ^= rot(c, 4); c &+= b
            b &-= a; b ^= rot(a, 6); a &+= c
            c &-= b; c ^= rot(b, 8); b &+= a
            a &-= c; a ^= rot(c, 16); c &+= b
            b &-= a; b ^= rot(a, 19); a &+= c
            c &-= b; c ^= rot(b, 4); b &+= a
            length -= 12
            i += 12
        }
        if length == 0 { return c }
        a &+= word(i, Swift.min(length, 4))
        if length > 4 { b &+= word(i + 4, Swift.min(length - 4, 4)) }
        if length > 8 { c &+= word(i + 8, length - 8) }
        c ^= b; c &-= rot(b, 14)
        a ^= c; a &-= rot(c, 11)
        b ^= a; b &-= rot(a, 25)
        c ^= b; c &-= rot(b, 16)
        a ^= c; a &-= rot(c, 4)
        b ^= a; b &-= rot(a, 14)
        c ^= b; c &-= rot(b, 24)
        return c
    }
}

/// FNV-1a over 64 bits, whole (not twemproxy's truncated `fnv1a_64`): Porter's own hash for
/// read-your-writes keys and the migration's session buckets, stable across runs and hosts.
public enum FNV1a64 {
    @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
