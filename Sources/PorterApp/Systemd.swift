import Foundation
import Logging
import Proxy
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

// Porter under systemd (`dist/porter.service`, Type=notify): READY=1 once listening,
// RELOADING=1 … READY=1 around a reload, STOPPING=1 when the drain starts, WATCHDOG=1 while the
// event loops answer, MAINPID= in a takeover. Outside systemd ($NOTIFY_SOCKET unset) nothing.

/// systemd's notification socket (`$NOTIFY_SOCKET`, sd_notify(3)'s protocol): one datagram
/// of `KEY=value` lines. Without the variable (not under systemd) nothing is sent.
enum SystemdNotify {
    static func send(_ state: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard var path = environment["NOTIFY_SOCKET"], !path.isEmpty, path.utf8.count < 108 else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // "@name" is an abstract socket: a NUL first byte, and the length says where it ends.
        let abstract = path.hasPrefix("@")
        if abstract { path.removeFirst() }
        let bytes = (abstract ? [0] : []) + Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
                Array(state.utf8).withUnsafeBytes { message in
                    sendto(
                        descriptor, message.baseAddress, message.count, Int32(MSG_NOSIGNAL), target,
                        socklen_t(length))
                }
            }
        }
    }
}

extension SystemdNotify {
    /// RELOADING=1 with the monotonic time systemd 253+ asks for (it ignores it before).
    static func reloading(environment: [String: String]) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        Self.send("RELOADING=1\nMONOTONIC_USEC=\(microseconds)", environment: environment)
    }

    /// The watchdog interval systemd asks for (`WatchdogSec=` sets WATCHDOG_USEC, and
    /// WATCHDOG_PID when it names one process): nil when there is none or it is for another.
    static func watchdogInterval(environment: [String: String]) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else {
            return nil
        }
        if let pid = environment["WATCHDOG_PID"].flatMap({ Int32($0) }), pid != getpid() { return nil }
        return .microseconds(microseconds)
    }
}

/// Pings systemd's watchdog at half its interval, but only after every event loop of the proxy
/// has answered (`stats()` visits each): a wedged loop stops the pings, and systemd restarts
/// Porter instead of leaving a listener that accepts and never replies.
struct WatchdogService: Service {
    let proxy: ProxyServer
    let interval: Duration
    let environment: [String: String]

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            _ = await self.proxy.stats()
            SystemdNotify.send("WATCHDOG=1", environment: self.environment)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval / 2) }
        }
    }
}
