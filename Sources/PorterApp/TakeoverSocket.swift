import Foundation
import Glibc
import Proxy

// The takeover's wire: a unix socket of type SOCK_SEQPACKET, so each message arrives whole with
// the descriptors it carries (SCM_RIGHTS). Messages are JSON, one kind per message:
//
//   successor → running   {"takeover": 1}
//   running → successor   {"listeners": [{"address": …, "tls": …}, …]}  + a descriptor each
//   successor → running   {"ready": true}          the successor can serve
//   running → successor   {"stopped": true}        it stopped accepting: the successor starts
//   running → successor   {"client": {user, proto, database, name}}  + the client's socket
//   running → successor   {"done": true}           then the running process exits
//
// Either side may send {"error": "…"} and close. Only the user the running process runs as (or
// root) may connect: the socket file is 0600 and the peer's credentials are checked.

struct TakeoverMessage: Codable, Sendable {
    var takeover: Int? = nil
    var listeners: [Listener]? = nil
    var ready: Bool? = nil
    var stopped: Bool? = nil
    var client: HandedOffClient? = nil
    var done: Bool? = nil
    var error: String? = nil

    struct Listener: Codable, Sendable {
        var address: String
        var tls: Bool
    }
}

struct TakeoverError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
    static func errno(_ what: String) -> TakeoverError { TakeoverError("\(what): \(String(cString: strerror(Glibc.errno)))") }
}

/// One end of a takeover connection (blocking I/O: run it off the event loops).
final class TakeoverSocket: @unchecked Sendable {
    let descriptor: CInt

    init(descriptor: CInt) { self.descriptor = descriptor }
    deinit { close(self.descriptor) }

    /// The running process's listening socket at `path` (a stale socket file is replaced).
    static func listen(path: String) throws -> CInt {
        let descriptor = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TakeoverError.errno("socket") }
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK { unlink(path) }
        // Created 0600 from the start: nobody else may connect even for a moment.
        let mask = umask(0o177)
        defer { umask(mask) }
        guard try withAddress(path, { bind(descriptor, $0, $1) }) == 0, Glibc.listen(descriptor, 4) == 0 else {
            let error = TakeoverError.errno("cannot listen on \(path)")
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// The successor's connection to the running process (nil: nothing listens at `path`).
    static func connect(path: String) throws -> TakeoverSocket? {
        let descriptor = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw TakeoverError.errno("socket") }
        let socket = TakeoverSocket(descriptor: descriptor)
        guard try withAddress(path, { Glibc.connect(descriptor, $0, $1) }) == 0 else {
            if errno == ENOENT || errno == ECONNREFUSED { return nil }
            throw TakeoverError.errno("cannot connect to \(path)")
        }
        return socket
    }

    /// The next successor (nil once the listening socket is shut down).
    static func accept(_ listening: CInt) -> TakeoverSocket? {
        while true {
            let descriptor = Glibc.accept(listening, nil, nil)
            if descriptor >= 0 {
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                return TakeoverSocket(descriptor: descriptor)
            }
            if errno != EINTR && errno != ECONNABORTED { return nil }
        }
    }

    /// The peer's process and user (struct ucred: Glibc shows it only with _GNU_SOURCE).
    var peer: (pid: pid_t, uid: uid_t)? {
        var credentials = (pid: pid_t(0), uid: uid_t(0), gid: gid_t(0))
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(self.descriptor, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return (credentials.pid, credentials.uid)
    }

    /// The peer runs as this process's user, or as root.
    var peerIsTrusted: Bool {
        guard let peer = self.peer else { return false }
        return peer.uid == geteuid() || peer.uid == 0
    }

    /// Gives up on a peer that says nothing for this long (0: wait for ever).
    func setReceiveTimeout(seconds: Int) {
        var time = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ message: TakeoverMessage, descriptors: [CInt] = []) throws {
        let body = try JSONEncoder().encode(message)
        let controlLength = descriptors.isEmpty ? 0 : Self.controlSpace(descriptors.count)
        var control = [UInt8](repeating: 0, count: controlLength)
        if !descriptors.isEmpty {
            control.withUnsafeMutableBytes { raw in
                raw.storeBytes(of: Self.controlLength(descriptors.count), toByteOffset: 0, as: Int.self)
                raw.storeBytes(of: SOL_SOCKET, toByteOffset: 8, as: Int32.self)
                raw.storeBytes(of: Int32(SCM_RIGHTS), toByteOffset: 12, as: Int32.self)
                for (index, descriptor) in descriptors.enumerated() {
                    raw.storeBytes(of: descriptor, toByteOffset: Self.headerSpace + 4 * index, as: CInt.self)
                }
            }
        }
        let sent = body.withUnsafeBytes { bytes in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
                return withUnsafeMutablePointer(to: &vector) { vector in
                    var header = msghdr()
                    header.msg_iov = vector
                    header.msg_iovlen = 1
                    header.msg_control = controlLength == 0 ? nil : controlBytes.baseAddress
                    header.msg_controllen = controlLength
                    return sendmsg(self.descriptor, &header, Int32(MSG_NOSIGNAL))
                }
            }
        }
        guard sent == body.count else { throw TakeoverError.errno("takeover: send") }
    }

    /// The next message and its descriptors; nil when the peer has closed.
    func receive() throws -> (TakeoverMessage, [CInt])? {
        var body = [UInt8](repeating: 0, count: 64 << 10)
        var control = [UInt8](repeating: 0, count: Self.controlSpace(Self.maxDescriptors))
        var controlUsed = 0
        let received = body.withUnsafeMutableBytes { bytes in
            control.withUnsafeMutableBytes { controlBytes in
                var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                return withUnsafeMutablePointer(to: &vector) { vector in
                    var header = msghdr()
                    header.msg_iov = vector
                    header.msg_iovlen = 1
                    header.msg_control = controlBytes.baseAddress
                    header.msg_controllen = controlBytes.count
                    while true {
                        let count = recvmsg(self.descriptor, &header, Int32(MSG_CMSG_CLOEXEC))
                        if count < 0 && errno == EINTR { continue }
                        controlUsed = Int(header.msg_controllen)
                        return count
                    }
                }
            }
        }
        guard received >= 0 else { throw TakeoverError.errno("takeover: receive") }
        let descriptors = Self.descriptors(in: control, used: controlUsed)
        if received == 0 && descriptors.isEmpty { return nil }
        do {
            return (try JSONDecoder().decode(TakeoverMessage.self, from: Data(body[..<received])), descriptors)
        } catch {
            for descriptor in descriptors { close(descriptor) }
            throw TakeoverError("takeover: a message that is not Porter's")
        }
    }

    // cmsghdr on Linux: a size_t length, two ints, then the data, each part 8-byte aligned
    // (CMSG_SPACE and CMSG_LEN are macros Swift cannot call).
    static let headerSpace = 16
    static let maxDescriptors = 64
    static func controlLength(_ count: Int) -> Int { Self.headerSpace + 4 * count }
    static func controlSpace(_ count: Int) -> Int { Self.headerSpace + (4 * count + 7) / 8 * 8 }

    static func descriptors(in control: [UInt8], used: Int) -> [CInt] {
        var found: [CInt] = []
        var offset = 0
        control.withUnsafeBytes { raw in
            while offset + Self.headerSpace <= used {
                let length = raw.load(fromByteOffset: offset, as: Int.self)
                let level = raw.load(fromByteOffset: offset + 8, as: Int32.self)
                let type = raw.load(fromByteOffset: offset + 12, as: Int32.self)
                guard length >= Self.headerSpace, offset + length <= used else { break }
                if level == SOL_SOCKET && type == Int32(SCM_RIGHTS) {
                    for index in 0..<((length - Self.headerSpace) / 4) {
                        found.append(raw.load(fromByteOffset: offset + Self.headerSpace + 4 * index, as: CInt.self))
                    }
                }
                offset += (length + 7) / 8 * 8
            }
        }
        return found
    }

    private static func withAddress(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> CInt
    ) throws -> CInt {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw TakeoverError("\(path): too long for a unix socket path")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }
}

/// Runs blocking work on a thread of its own (a takeover waits on sockets for minutes).
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}

extension PorterConfiguration {
    /// `porter-<address>.takeover` in `$RUNTIME_DIRECTORY` or /tmp; nil for port 0 (a test's).
    static func defaultTakeoverSocket(_ listen: ListenAddress, runtimeDirectory: String?) -> String? {
        let name: String
        switch listen {
        case .tcp(_, 0): return nil
        case .tcp(let host, let port): name = "\(host)-\(port)"
        case .unix(let path): name = path.split(separator: "/").joined(separator: "-")
        }
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        let directory = runtimeDirectory.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return "\(directory)/porter-\(safe).takeover"
    }
}
