import NIOCore

/// The protocol a client negotiated with HELLO (RESP2 unless it said `HELLO 3`).
public enum RESPProtocol: Int, Sendable, Hashable {
    case resp2 = 2
    case resp3 = 3
}

extension ByteBuffer {
    @inlinable
    public mutating func writeRESPArrayHeader(_ count: Int) {
        self.writeInteger(UInt8(ascii: "*"))
        self.writeDecimal(count)
        self.writeCRLF()
    }

    @inlinable
    public mutating func writeRESPBulkString(_ string: String) {
        self.writeInteger(UInt8(ascii: "$"))
        self.writeDecimal(string.utf8.count)
        self.writeCRLF()
        self.writeString(string)
        self.writeCRLF()
    }

    @inlinable
    public mutating func writeRESPBulkString<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        self.writeInteger(UInt8(ascii: "$"))
        self.writeDecimal(bytes.count)
        self.writeCRLF()
        self.writeBytes(bytes)
        self.writeCRLF()
    }

    @inlinable
    public mutating func writeRESPBulkString(_ bytes: ByteBuffer) {
        self.writeInteger(UInt8(ascii: "$"))
        self.writeDecimal(bytes.readableBytes)
        self.writeCRLF()
        var copy = bytes
        self.writeBuffer(&copy)
        self.writeCRLF()
    }

    @inlinable
    public mutating func writeRESPSimpleString(_ string: String) {
        self.writeInteger(UInt8(ascii: "+"))
        self.writeString(string)
        self.writeCRLF()
    }

    /// `message` must include the error code, e.g. "ERR unknown command". Line breaks are replaced,
    /// since an error is one line.
    @inlinable
    public mutating func writeRESPError(_ message: String) {
        self.writeInteger(UInt8(ascii: "-"))
        if message.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
            var scalars = String.UnicodeScalarView()
            for scalar in message.unicodeScalars {
                scalars.append(scalar == "\r" || scalar == "\n" ? " " : scalar)
            }
            self.writeString(String(scalars))
        } else {
            self.writeString(message)
        }
        self.writeCRLF()
    }

    /// An error line of raw bytes (a client's argument quoted in it is passed through as Redis
    /// does, not made into UTF-8); line breaks become spaces.
    public mutating func writeRESPError(bytes: [UInt8]) {
        self.writeInteger(UInt8(ascii: "-"))
        self.writeBytes(bytes.lazy.map { $0 == 13 || $0 == 10 ? UInt8(ascii: " ") : $0 })
        self.writeCRLF()
    }

    @inlinable
    public mutating func writeRESPInteger(_ value: Int) {
        self.writeInteger(UInt8(ascii: ":"))
        self.writeDecimal(value)
        self.writeCRLF()
    }

    @inlinable
    public mutating func writeRESPNull(_ proto: RESPProtocol) {
        if proto == .resp3 {
            self.writeStaticString("_\r\n")
        } else {
            self.writeStaticString("$-1\r\n")
        }
    }

    /// A map header: `%N` in RESP3, an array of 2N in RESP2.
    @inlinable
    public mutating func writeRESPMapHeader(_ count: Int, _ proto: RESPProtocol) {
        if proto == .resp3 {
            self.writeInteger(UInt8(ascii: "%"))
            self.writeDecimal(count)
            self.writeCRLF()
        } else {
            self.writeRESPArrayHeader(count * 2)
        }
    }

    @inlinable
    mutating func writeCRLF() {
        self.writeInteger(UInt16(0x0D0A))
    }

    @inlinable
    mutating func writeDecimal(_ value: Int) {
        if value >= 0 && value < 10 {
            self.writeInteger(UInt8(48 + value))
            return
        }
        // Digits from the end of a stack buffer: no String made per header.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(48 + magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { self.writeInteger(UInt8(ascii: "-")) }
            self.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(digits)[start..<20]))
        }
    }
}

/// A value Porter builds itself (HELLO, COMMAND, errors): encoded for the client's protocol.
public indirect enum RESPValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case simple(String)
    case error(String)
    case bulk(String)
    case bytes(ByteBuffer)
    case integer(Int)
    case null
    case array([RESPValue])
    case set([RESPValue])
    case map([(RESPValue, RESPValue)])
    /// Bytes that are already one encoded RESP value.
    case raw(ByteBuffer)

    public init(stringLiteral value: String) { self = .bulk(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }

    public func encode(into buffer: inout ByteBuffer, _ proto: RESPProtocol) {
        switch self {
        case .simple(let s): buffer.writeRESPSimpleString(s)
        case .error(let s): buffer.writeRESPError(s)
        case .bulk(let s): buffer.writeRESPBulkString(s)
        case .bytes(let b): buffer.writeRESPBulkString(b)
        case .integer(let i): buffer.writeRESPInteger(i)
        case .null: buffer.writeRESPNull(proto)
        case .array(let elements):
            buffer.writeRESPArrayHeader(elements.count)
            for e in elements { e.encode(into: &buffer, proto) }
        case .set(let elements):
            if proto == .resp3 {
                buffer.writeInteger(UInt8(ascii: "~"))
                buffer.writeDecimal(elements.count)
                buffer.writeCRLF()
            } else {
                buffer.writeRESPArrayHeader(elements.count)
            }
            for e in elements { e.encode(into: &buffer, proto) }
        case .map(let pairs):
            buffer.writeRESPMapHeader(pairs.count, proto)
            for (k, v) in pairs {
                k.encode(into: &buffer, proto)
                v.encode(into: &buffer, proto)
            }
        case .raw(var b): buffer.writeBuffer(&b)
        }
    }

    public func encoded(_ proto: RESPProtocol = .resp2) -> ByteBuffer {
        var buffer = ByteBuffer()
        self.encode(into: &buffer, proto)
        return buffer
    }

    public static func == (lhs: RESPValue, rhs: RESPValue) -> Bool {
        lhs.encoded(.resp3) == rhs.encoded(.resp3)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.encoded(.resp3))
    }
}
