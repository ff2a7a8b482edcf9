// Legacy — the session stores Porter migrates from. This file: Memcached's text protocol, as a
// request encoder and a resumable response decoder (no I/O; unit-tested byte by byte).

import NIOCore

/// One response of Memcached's text protocol.
public enum MemcachedResponse: Sendable, Hashable {
    /// A retrieval's answer: the values found (none for a miss), then END.
    case values([MemcachedValue])
    case stored
    case notStored
    case deleted
    case notFound
    case touched
    /// `ERROR`, `CLIENT_ERROR …` or `SERVER_ERROR …`: the line as it came.
    case error(String)

    /// What kind of answer it was, without its bytes (values are sessions: never in a message).
    public var kind: String {
        switch self {
        case .values(let values): return "\(values.count) values"
        case .stored: return "STORED"
        case .notStored: return "NOT_STORED"
        case .deleted: return "DELETED"
        case .notFound: return "NOT_FOUND"
        case .touched: return "TOUCHED"
        case .error: return "an error"
        }
    }
}

public struct MemcachedValue: Sendable, Hashable {
    public var key: [UInt8]
    public var flags: UInt32
    public var data: [UInt8]
}

public struct MemcachedProtocolError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { self.message }
}

/// Memcached keys: 1–250 bytes, no space or control character. A session id comes from a
/// cookie, so an id that would break the command line is refused, never sent.
public enum MemcachedKey {
    public static let maxLength = 250

    public static func isValid(_ key: [UInt8]) -> Bool {
        !key.isEmpty && key.count <= Self.maxLength && key.allSatisfy { $0 > 0x20 && $0 != 0x7f }
    }
}

/// Encodes requests. Expiry follows Memcached: seconds up to 30 days are relative, larger
/// values are Unix times; 0 never expires.
public enum MemcachedRequest {
    public static func get(_ key: [UInt8], into buffer: inout ByteBuffer) {
        buffer.writeString("get ")
        buffer.writeBytes(key)
        buffer.writeString("\r\n")
    }

    public static func set(_ key: [UInt8], _ value: [UInt8], flags: UInt32, expiry: Int, into buffer: inout ByteBuffer)
    {
        buffer.writeString("set ")
        buffer.writeBytes(key)
        buffer.writeString(" \(flags) \(expiry) \(value.count)\r\n")
        buffer.writeBytes(value)
        buffer.writeString("\r\n")
    }

    public static func delete(_ key: [UInt8], into buffer: inout ByteBuffer) {
        buffer.writeString("delete ")
        buffer.writeBytes(key)
        buffer.writeString("\r\n")
    }

    public static func touch(_ key: [UInt8], expiry: Int, into buffer: inout ByteBuffer) {
        buffer.writeString("touch ")
        buffer.writeBytes(key)
        buffer.writeString(" \(expiry)\r\n")
    }
}

/// Decodes responses as bytes arrive; a retrieval's VALUE blocks are collected until END.
public struct MemcachedResponseDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = MemcachedResponse

    /// The largest value accepted (Memcached's default item limit is 1 MiB).
    public let maxValueBytes: Int
    private var values: [MemcachedValue] = []

    public init(maxValueBytes: Int = 64 << 20) {
        self.maxValueBytes = maxValueBytes
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> MemcachedResponse? {
        while true {
            guard let lineEnd = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > 8192 { throw MemcachedProtocolError(message: "a response line over 8 KiB") }
                return nil
            }
            let lineLength = lineEnd - buffer.readerIndex
            guard lineLength >= 1, buffer.getInteger(at: lineEnd - 1, as: UInt8.self) == UInt8(ascii: "\r") else {
                throw MemcachedProtocolError(message: "a response line not ended by CRLF")
            }
            let line = buffer.getString(at: buffer.readerIndex, length: lineLength - 1) ?? ""
            if line.hasPrefix("VALUE ") {
                let parts = line.split(separator: " ")
                guard parts.count >= 4, let flags = UInt32(parts[2]), let length = Int(parts[3]), length >= 0,
                    length <= self.maxValueBytes
                else { throw MemcachedProtocolError(message: "a bad VALUE line") }
                // The data and its CRLF must all be here before anything is consumed.
                guard buffer.readableBytes >= lineLength + 1 + length + 2 else { return nil }
                buffer.moveReaderIndex(forwardBy: lineLength + 1)
                let data = buffer.readBytes(length: length)!
                guard buffer.readString(length: 2) == "\r\n" else {
                    throw MemcachedProtocolError(message: "a value not ended by CRLF")
                }
                self.values.append(MemcachedValue(key: Array(parts[1].utf8), flags: flags, data: data))
                continue
            }
            buffer.moveReaderIndex(forwardBy: lineLength + 1)
            switch line {
            case "END":
                defer { self.values = [] }
                return .values(self.values)
            case "STORED": return .stored
            case "NOT_STORED", "EXISTS": return .notStored
            case "DELETED": return .deleted
            case "NOT_FOUND": return .notFound
            case "TOUCHED": return .touched
            default:
                if line == "ERROR" || line.hasPrefix("CLIENT_ERROR") || line.hasPrefix("SERVER_ERROR") {
                    return .error(line)
                }
                throw MemcachedProtocolError(message: "an unexpected response line")
            }
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> MemcachedResponse? {
        try self.decode(buffer: &buffer)
    }
}
