import Logging
import NIOCore
import RESP
import Telemetry

/// The connections of one event loop to one node: `connectionsPerNode` shared, pipelined
/// connections per connection profile (protocol, database), made when first needed, and
/// dedicated connections lent to one client at a time for MULTI/EXEC and WATCH.
///
/// Not thread-safe: one pool per (event loop, node), used only on that loop.
public final class NodePool {
    public let address: NodeAddress
    public let eventLoop: EventLoop
    public private(set) var configuration: UpstreamConfiguration
    let logger: Logger
    /// Round trips of this loop's commands to the node (for metrics and the console).
    public let traffic = NodeTraffic()
    /// Set when the node left the configuration: connections close as their replies come.
    public private(set) var retired = false

    private var shared: [ConnectionProfile: [UpstreamConnection]] = [:]
    private var idleDedicated: [ConnectionProfile: [UpstreamConnection]] = [:]
    public private(set) var dedicatedInUse = 0

    public init(address: NodeAddress, eventLoop: EventLoop, configuration: UpstreamConfiguration, logger: Logger) {
        self.address = address
        self.eventLoop = eventLoop
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "node"] = "\(address)"
        self.logger = logger
    }

    /// The shared connections for `profile`, made (and connecting) on first use.
    public func connections(for profile: ConnectionProfile) -> [UpstreamConnection] {
        if let existing = self.shared[profile] { return existing }
        let made = (0..<Swift.max(1, self.configuration.connectionsPerNode)).map { _ in
            self.makeConnection(profile)
        }
        self.shared[profile] = made
        return made
    }

    /// Starts connecting the default profile's connections, so the first request does not wait.
    public func warmUp() {
        for connection in self.connections(for: ConnectionProfile()) where !connection.isReady {
            connection.connect()
        }
    }

    /// A shared connection for a client: the one it was given (`hint`), unless that one is
    /// failing and another is not.
    @inlinable
    public func connection(for profile: ConnectionProfile, hint: Int) -> UpstreamConnection {
        let connections = self.connections(for: profile)
        let first = connections[hint % connections.count]
        if !first.isFailing || connections.count == 1 { return first }
        return connections.first { !$0.isFailing } ?? first
    }

    /// A connection used by one client only (transactions, WATCH). Give it back with
    /// `release(_:reusable:)`.
    public func leaseDedicated(for profile: ConnectionProfile) -> UpstreamConnection {
        self.dedicatedInUse += 1
        if var idle = self.idleDedicated[profile], let connection = idle.popLast() {
            self.idleDedicated[profile] = idle
            if !connection.isFailing { return connection }
            connection.close()
        }
        return self.makeConnection(profile)
    }

    private func makeConnection(_ profile: ConnectionProfile) -> UpstreamConnection {
        UpstreamConnection(
            address: self.address, eventLoop: self.eventLoop, profile: profile, configuration: self.configuration,
            logger: self.logger, traffic: self.traffic)
    }

    /// Applies a reloaded configuration: every connection takes the new timeouts, and each
    /// profile gets `connectionsPerNode` shared connections. Connections beyond that close once
    /// their replies are in, so no command in flight fails. Returns whether the set of shared
    /// connections changed (clients that cached one must pick again).
    @discardableResult
    public func reconfigure(_ configuration: UpstreamConfiguration) -> Bool {
        self.configuration = configuration
        for connection in self.allConnections { connection.reconfigure(configuration) }
        let wanted = Swift.max(1, configuration.connectionsPerNode)
        var changed = false
        for (profile, connections) in self.shared where connections.count != wanted {
            changed = true
            if connections.count > wanted {
                for extra in connections[wanted...] { extra.closeWhenIdle() }
                self.shared[profile] = Array(connections[..<wanted])
            } else {
                self.shared[profile] =
                    connections + (connections.count..<wanted).map { _ in self.makeConnection(profile) }
            }
        }
        return changed
    }

    /// The node left the configuration: no new connections; each one closes when its last
    /// reply is in (or its command timeout fails what is left).
    public func retire() {
        self.retired = true
        for connection in self.allConnections { connection.closeWhenIdle() }
        self.shared.removeAll()
        self.idleDedicated.removeAll()
    }

    /// Returns a dedicated connection. `reusable` is false when its state may be dirty (a
    /// transaction left open): it is closed instead of kept.
    public func release(_ connection: UpstreamConnection, reusable: Bool) {
        self.dedicatedInUse -= 1
        var idle = self.idleDedicated[connection.profile] ?? []
        if reusable && !self.retired && connection.isReady && connection.pendingCount == 0
            && idle.count < self.configuration.maxIdleDedicated
        {
            idle.append(connection)
            self.idleDedicated[connection.profile] = idle
        } else {
            connection.close()
        }
    }

    /// Every connection of the pool, for stats.
    public var allConnections: [UpstreamConnection] {
        self.shared.values.flatMap { $0 } + self.idleDedicated.values.flatMap { $0 }
    }

    public func close() {
        for connection in self.allConnections { connection.close() }
        self.shared.removeAll()
        self.idleDedicated.removeAll()
    }
}
