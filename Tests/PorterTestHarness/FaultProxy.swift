import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP proxy on loopback in front of a real redis-server that misbehaves on command: the
/// faults an upstream (or the network to it) can produce, applied to what goes back to Porter.
/// Plain sockets and a thread per direction: the thing under test is Porter, not this.
public final class FaultProxy: @unchecked Sendable {
    public enum Fault: Sendable, Equatable {
        /// Pass everything through.
        case none
        /// Half of the next reply, then a TCP reset.
        case resetMidReply
        /// Stop sending (FIN towards Porter) but keep reading.
        case halfClose
        /// Hold every reply until the fault changes.
        case stall
        /// Each reply `delay` late.
        case slow(milliseconds: Int)
        /// A reply that is not RESP.
        case malformed
        /// A bulk header larger than any limit.
        case oversized
        /// Each reply followed by one nobody asked for.
        case unsolicited
    }

    public let port: Int
    let target: Int
    private let listener: Int32
    private let state = NIOLockedValueBox<(fault: Fault, sockets: [Int32], stopped: Bool)>((.none, [], false))

    public init(target: Int) throws {
        self.target = target
        self.port = freePort()
        self.listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(self.listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.address(self.port)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(self.listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(self.listener, 128) == 0 else { throw HarnessError.io("fault proxy cannot listen") }
        Thread.detachNewThread { self.acceptLoop() }
    }

    public var fault: Fault {
        get { self.state.withLockedValue { $0.fault } }
        set { self.state.withLockedValue { $0.fault = newValue } }
    }

    public func stop() {
        let sockets = self.state.withLockedValue { state -> [Int32] in
            state.stopped = true
            return state.sockets
        }
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
        for fd in sockets { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    static func address(_ port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    private func acceptLoop() {
        while true {
            let client = accept(self.listener, nil, nil)
            if client < 0 { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = Self.address(self.target)
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            let stopped = self.state.withLockedValue { state -> Bool in
                state.sockets += [client, upstream]
                return state.stopped
            }
            if connected != 0 || stopped {
                close(client)
                close(upstream)
                continue
            }
            Thread.detachNewThread { self.pump(from: client, to: upstream, replies: false) }
            Thread.detachNewThread { self.pump(from: upstream, to: client, replies: true) }
        }
    }

    /// Copies bytes one way; on the way back to Porter, applies the fault in force.
    private func pump(from source: Int32, to destination: Int32, replies: Bool) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        // Not after a reset: that socket is closed, and its number may be another's by then.
        var reset = false
        defer {
            if !reset { shutdown(destination, Int32(SHUT_WR)) }
        }
        while true {
            let n = recv(source, &chunk, chunk.count, 0)
            if n <= 0 { return }
            var out = Array(chunk[0..<n])
            if replies {
                var fault = self.fault
                while fault == .stall {
                    usleep(10_000)
                    if self.state.withLockedValue({ $0.stopped }) { return }
                    fault = self.fault
                }
                switch fault {
                case .none, .stall, .halfClose:
                    if fault == .halfClose {
                        shutdown(destination, Int32(SHUT_WR))
                        continue
                    }
                case .resetMidReply:
                    out = Array(out.prefix(max(1, out.count / 2)))
                    _ = out.withUnsafeBytes { send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(destination, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                    shutdown(source, Int32(SHUT_RDWR))
                    // Wakes the other direction's thread out of its recv on this socket first: the
                    // kernel sends the reset only once no thread is inside a call on it.
                    shutdown(destination, Int32(SHUT_RD))
                    usleep(10_000)
                    close(destination)
                    reset = true
                    return
                case .slow(let ms):
                    usleep(UInt32(ms) * 1000)
                case .malformed:
                    out = Array("?not resp\r\n".utf8)
                case .oversized:
                    out = Array("$99999999999\r\n".utf8)
                case .unsolicited:
                    out += Array("+UNASKED\r\n".utf8)
                }
            }
            let sent = out.withUnsafeBytes { send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 { return }
        }
    }
}
