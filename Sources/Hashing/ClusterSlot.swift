/// Redis Cluster's key slots: CRC-16/XMODEM of the key (or of its `{…}` hash tag) mod 16384.
public enum ClusterSlot {
    public static let count = 16384

    static func crc16(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var crc: UInt16 = 0
        CRC16XModem.table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = (crc << 8) ^ table[Int(((crc >> 8) ^ UInt16(byte)) & 0xff)] }
        }
        return crc
    }

    /// The slot of a key: Cluster hashes the part between the first `{` and the first `}` after
    /// it, when that part is not empty.
    @inline(__always)
    public static func slot(_ key: UnsafeRawBufferPointer) -> Int {
        Int(Self.crc16(Self.braces.hashedPart(of: key)) & 0x3fff)
    }

    public static func slot(_ key: [UInt8]) -> Int { key.withUnsafeBytes { Self.slot($0) } }

    static let braces = HashTag("{}")!
}

/// CRC-16/XMODEM (polynomial 0x1021, not reflected, initial value 0), by table.
enum CRC16XModem {
    static let table: [UInt16] = (0..<256).map { n in
        var crc = UInt16(n) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }
}
