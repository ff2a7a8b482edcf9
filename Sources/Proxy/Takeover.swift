import Access
import Glibc
import NIOCore
import NIOPosix
import RESP
import Upstream

// The proxy's half of an upgrade without dropping clients (`porter run --takeover`; the
// process-to-process exchange is PorterApp's `Takeover`). The running process gives its
// listening sockets to the new one, which gets ready; then the old one stops accepting and the
// new one starts (connections that come in between wait in the sockets' queues: none is
// refused, and only one process accepts at a time), and the old one passes
// each plain TCP client's connection over as soon as nothing of it is in progress, with the
// connection state Redis keeps per client. Clients over TLS or a unix socket are drained as in a
// shutdown: TLS state cannot move, and a unix client's socket cannot be told apart from another.

/// A listening socket a running Porter passed to its successor.
public struct InheritedListener: Sendable {
    /// As in `listen` / `tls.listen` (`127.0.0.1:6380`, `unix:/run/porter.sock`).
    public var address: String
    public var tls: Bool
    public var descriptor: CInt

    public init(address: String, tls: Bool, descriptor: CInt) {
        self.address = address
        self.tls = tls
        self.descriptor = descriptor
    }
}

/// What Redis keeps per connection that Porter answers for: it travels with the socket.
public struct HandedOffClient: Codable, Sendable, Equatable {
    /// The authenticated user (nil: not authenticated).
    public var user: String?
    public var proto: Int
    public var database: Int
    public var name: String?

    public init(user: String?, proto: Int, database: Int, name: String?) {
        self.user = user
        self.proto = proto
        self.database = database
        self.name = name
    }

    /// The state in the new process, whose users may differ: a user it does not have is
    /// not authenticated (the client's next command gets NOAUTH, as after a reload removed it).
    func state(_ access: AccessControl) -> ClientState {
        let user: AccessUser? =
            if let name = self.user { name == access.defaultUser.name ? access.defaultUser : access.users[name] } else {
                access.openByDefault ? access.defaultUser : nil
            }
        let profile = ConnectionProfile(
            proto: RESPProtocol(rawValue: self.proto) ?? .resp2, database: max(0, self.database))
        return ClientState(user: user?.enabled == true ? user : nil, profile: profile, name: self.name)
    }
}

extension ProxyServer {
    /// Duplicates of the listening sockets, for a successor (the caller closes them once sent).
    public func listenersForSuccessor() -> [InheritedListener] {
        let listening = SocketDescriptors.scan(listening: true)
        return self.state.withLockedValue { $0.listeners }.compactMap { listener in
            guard let local = listener.channel.localAddress, let key = SocketDescriptors.key(local),
                let descriptor = listening[key]
            else { return nil }
            let copy = dup(descriptor)
            guard copy >= 0 else { return nil }
            return InheritedListener(address: "\(listener.address)", tls: listener.tls, descriptor: copy)
        }
    }

    /// The successor's listeners start accepting (the previous process has stopped).
    public func acceptOnInherited() async {
        for listener in self.state.withLockedValue({ $0.listeners }) where listener.inherited {
            try? await listener.channel.setOption(.autoRead, value: true).get()
        }
    }

    /// The takeover's second half, once the successor is ready: stops accepting (then calls
    /// `stoppedAccepting`: the successor starts), passes every plain TCP client to `send` (a
    /// duplicate of its socket and its state) once it is idle, drains the others, and returns
    /// when no client is left or `shutdown.drain_timeout` has passed.
    public func handOver(
        stoppedAccepting: @Sendable () -> Void, send: @escaping @Sendable (CInt, HandedOffClient) -> Void
    ) async {
        await self.stopListening()
        stoppedAccepting()
        let connected = SocketDescriptors.scan(listening: false)
        for upstreams in self.loops.values {
            try? await upstreams.eventLoop.submit { upstreams.value.handOverSessions(connected, send) }.get()
        }
        await self.waitForSessionsToEnd()
    }

    /// Serves a client whose connection a previous Porter passed over (its socket is now
    /// this process's, the state as it was there).
    public func adopt(descriptor: CInt, client: HandedOffClient) async throws {
        let bootstrap = ClientBootstrap(group: self.group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.initializeClient(channel, tls: false, handedOff: client)
                }
            }
        _ = try await bootstrap.withConnectedSocket(descriptor).get()
    }

    /// After a takeover the keys the previous process wrote are unknown here: for the
    /// read-your-writes window every read goes to the primary.
    public func readFromPrimariesAfterTakeover() async {
        for upstreams in self.loops.values {
            try? await upstreams.eventLoop.submit {
                upstreams.value.everyKeyWrittenUntil = .now() + upstreams.value.readYourWritesWindow
            }.get()
        }
    }
}

extension LoopUpstreams {
    func handOverSessions(_ connected: [String: CInt], _ send: @escaping @Sendable (CInt, HandedOffClient) -> Void) {
        for session in self.sessions.values {
            guard !session.encrypted, let channel = session.context?.channel, let local = channel.localAddress,
                let peer = channel.remoteAddress, let key = SocketDescriptors.key(local: local, peer: peer),
                let descriptor = connected[key]
            else {
                session.drain()
                continue
            }
            session.drain(handOff: Handoff(descriptor: descriptor, send: send))
        }
    }
}

/// Finds the descriptors of NIO's sockets (NIO does not expose them) by their addresses, from
/// /proc/self/fd: a TCP connection's pair of addresses is unique, as is a listener's address.
enum SocketDescriptors {
    /// Open sockets by address: listening ones by their own address, connected ones by
    /// `key(local:peer:)`. Unix connections are left out (their peers have no address).
    static func scan(listening: Bool) -> [String: CInt] {
        guard let directory = opendir("/proc/self/fd") else { return [:] }
        defer { closedir(directory) }
        var found: [String: CInt] = [:]
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let descriptor = CInt(name) else { continue }
            var accepting: CInt = 0
            var length = socklen_t(MemoryLayout<CInt>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0,
                (accepting != 0) == listening
            else { continue }
            let key = listening ? Self.address(descriptor, getsockname) : Self.connection(descriptor)
            if let key { found[key] = descriptor }
        }
        return found
    }

    /// A connected socket's key, from the kernel.
    static func connection(_ descriptor: CInt) -> String? {
        guard let local = Self.address(descriptor, getsockname), let peer = Self.address(descriptor, getpeername),
            !local.hasPrefix("unix:")
        else { return nil }
        return local + " " + peer
    }

    /// A channel's key, from NIO's addresses (the same text as `connection(_:)`'s).
    static func key(local: SocketAddress, peer: SocketAddress) -> String? {
        guard let local = Self.key(local), let peer = Self.key(peer), !local.hasPrefix("unix:") else { return nil }
        return local + " " + peer
    }

    static func key(_ address: SocketAddress) -> String? {
        switch address {
        case .v4: return address.ipAddress.flatMap { ip in address.port.map { "\(ip):\($0)" } }
        case .v6: return address.ipAddress.flatMap { ip in address.port.map { "[\(ip)]:\($0)" } }
        case .unixDomainSocket: return address.pathname.map { "unix:\($0)" }
        }
    }

    private static func address(
        _ descriptor: CInt, _ get: (CInt, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> CInt
    ) -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { get(descriptor, $0, &length) == 0 }
        }
        guard ok else { return nil }
        let address: SocketAddress
        switch Int32(storage.ss_family) {
        case AF_INET:
            address = withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in.self), host: "") }
        case AF_INET6:
            address = withUnsafeBytes(of: storage) { SocketAddress($0.load(as: sockaddr_in6.self), host: "") }
        case AF_UNIX:
            let path = withUnsafeBytes(of: storage) { bytes in
                let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)!
                let end = min(Int(length), bytes.count)
                return offset < end ? String(decoding: bytes[offset..<end].prefix { $0 != 0 }, as: UTF8.self) : ""
            }
            return "unix:\(path)"
        default:
            return nil
        }
        return Self.key(address)
    }
}
