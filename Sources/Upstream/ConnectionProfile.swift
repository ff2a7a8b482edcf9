import RESP
import Telemetry

// What a connection to a node is for and what it says on connect (`ConnectionProfile`), and what
// one event loop saw of a node (`NodeTraffic`): the keys and the shared state of a `NodePool`.

/// What one event loop saw of one node: round trips of the commands it sent there. Shared by the
/// connections of a `NodePool`; used only on that loop, so it needs no lock.
public final class NodeTraffic {
    public let latency = LatencyRecorder()
    public init() {}
}

/// What a connection says on connect, beyond AUTH: the protocol and database its clients use.
public struct ConnectionProfile: Hashable, Sendable {
    public var proto: RESPProtocol
    public var database: Int
    public var purpose: Purpose = .shared

    /// Connections kept apart by what they carry, not by what they say on connect.
    public enum Purpose: Hashable, Sendable {
        case shared
        /// Writes followed by WAIT: a WAIT blocks its connection until the replicas answer, so
        /// it must not hold up other clients' commands.
        case durableWrites
        /// SCRIPT KILL and FUNCTION KILL: the shared connections wait behind the busy script,
        /// and this one's handshake works while the node is busy (`handshake(_:_:)`).
        case control
    }

    public init(proto: RESPProtocol = .resp2, database: Int = 0) {
        self.proto = proto
        self.database = database
    }
}
