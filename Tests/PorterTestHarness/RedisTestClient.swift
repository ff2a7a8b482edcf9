import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A deliberately simple, blocking RESP client for tests: one socket, write, read one reply.
/// It keeps its own tiny reply parser so that tests do not check Porter's codec with itself.
public final class RedisTestClient: @unchecked Sendable {
    /// -1 once closed: the number may be another's afterwards (a second close of it closed an
    /// event loop's epoll descriptor in the same test process: NIO trapped on EBADF).
    private(set) var fd: Int32
    private var buffer: [UInt8] = []

    public enum Reply: Equatable, CustomStringConvertible {
        case simple(String)
        case error(String)
        case integer(Int)
        case bulk([UInt8])
        case null
        case array([Reply])
        case map([Reply])
        case other(String)

        public var string: String? {
            switch self {
            case .simple(let s), .error(let s): return s
            case .bulk(let b): return String(decoding: b, as: UTF8.self)
            case .integer(let i): return String(i)
            default: return nil
            }
        }

        public var isError: Bool { if case .error = self { return true } else { return false } }
        public var errorText: String { if case .error(let s) = self { return s } else { return "" } }

        public var description: String {
            switch self {
            case .simple(let s): return "+\(s)"
            case .error(let s): return "-\(s)"
            case .integer(let i): return ":\(i)"
            case .bulk(let b): return "\"\(String(decoding: b, as: UTF8.self))\""
            case .null: return "(nil)"
            case .array(let a): return "[\(a.map(\.description).joined(separator: ", "))]"
            case .map(let a): return "%[\(a.map(\.description).joined(separator: ", "))]"
            case .other(let s): return s
            }
        }
    }

    /// Connects to `host` (an IPv4 address, 127.0.0.1 by default):`port`, or to a unix socket
    /// when `unixPath` is given.
    public init(host: String = "127.0.0.1", port: Int = 0, unixPath: String? = nil, timeoutSeconds: Int = 10) throws {
        if let unixPath {
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                let bytes = Array(unixPath.utf8)
                for (i, b) in bytes.enumerated() where i < raw.count - 1 { raw[i] = b }
            }
            try self.connect(&addr, describe: unixPath)
        } else {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr(host)
            try self.connect(&addr, describe: "\(host):\(port)")
        }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        if self.fd >= 0 { close(self.fd) }
    }

    /// Connects `fd` to a sockaddr_in or sockaddr_un; closes it (once: a throwing initializer
    /// still runs deinit) and throws on failure.
    private func connect<Address>(_ address: inout Address, describe: String) throws {
        let fd = self.fd
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
        guard result == 0 else {
            let error = errno
            close(fd)
            self.fd = -1
            throw HarnessError.io("connect to \(describe) failed: errno \(error)")
        }
    }

    public static func encode(_ args: [String]) -> [UInt8] {
        encode(args.map { Array($0.utf8) })
    }

    public static func encode(_ args: [[UInt8]]) -> [UInt8] {
        var out = Array("*\(args.count)\r\n".utf8)
        for a in args {
            out += Array("$\(a.count)\r\n".utf8) + a + [13, 10]
        }
        return out
    }

    public func send(raw bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw HarnessError.io("send failed: errno \(errno)") }
            offset += n
        }
    }

    @discardableResult
    public func command(_ args: String...) throws -> Reply {
        try send(raw: Self.encode(args))
        return try readReply()
    }

    @discardableResult
    public func command(_ args: [String]) throws -> Reply {
        try send(raw: Self.encode(args))
        return try readReply()
    }

    @discardableResult
    public func command(bytes args: [[UInt8]]) throws -> Reply {
        try send(raw: Self.encode(args))
        return try readReply()
    }

    /// True when the server closed the connection (reads EOF within the timeout). A reset counts:
    /// a server that closes with unread bytes from the client makes the kernel send RST.
    public func readEOF() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &chunk, chunk.count, 0)
        if n == 0 { throw HarnessError.io("connection closed by peer") }
        if n < 0 { throw HarnessError.io("recv failed or timed out: errno \(errno)") }
        buffer += chunk[0..<n]
    }

    private func line() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: 10), i > 0, buffer[i - 1] == 13 {
                let text = String(decoding: buffer[0..<(i - 1)], as: UTF8.self)
                buffer.removeFirst(i + 1)
                return text
            }
            try fill()
        }
    }

    /// The next line as it came, without CRLF (for comparing bytes that are not UTF-8).
    public func readLineBytes() throws -> [UInt8] {
        while true {
            if let i = buffer.firstIndex(of: 10), i > 0, buffer[i - 1] == 13 {
                let bytes = Array(buffer[0..<(i - 1)])
                buffer.removeFirst(i + 1)
                return bytes
            }
            try fill()
        }
    }

    public func readReply() throws -> Reply {
        let header = try line()
        let type = header.first!
        let rest = String(header.dropFirst())
        switch type {
        case "+": return .simple(rest)
        case "-": return .error(rest)
        case ":": return .integer(Int(rest) ?? 0)
        case "_": return .null
        case "#", ",", "(": return .other(header)
        case "$", "=", "!":
            let n = Int(rest) ?? -1
            if n < 0 { return .null }
            while buffer.count < n + 2 { try fill() }
            let data = Array(buffer[0..<n])
            buffer.removeFirst(n + 2)
            return type == "!" ? .error(String(decoding: data, as: UTF8.self)) : .bulk(data)
        case "*", "~", ">":
            let n = Int(rest) ?? -1
            if n < 0 { return .null }
            return .array(try (0..<n).map { _ in try readReply() })
        case "%":
            let n = Int(rest) ?? 0
            return .map(try (0..<(2 * n)).map { _ in try readReply() })
        default:
            throw HarnessError.io("bad reply type in \(header)")
        }
    }
}
