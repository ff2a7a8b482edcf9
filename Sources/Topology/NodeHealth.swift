// Topology — which nodes exist, what role each plays, and whether each may be used.
//
// Owns: the health state machine of a node (active checks with rise/fall, passive ejection on
// live-traffic errors), the interpretation of ROLE replies, and the immutable snapshot of every
// group that the proxy's event loops read without locks.
//
//   HealthChecker ──PING+ROLE every interval──▶ NodeHealth (pure) ──▶ TopologySnapshot
//                                                                      │ pushed to each loop
//   live traffic ──errors──▶ passive ejection ──────────────────────────┘

/// The health of one node, as HAProxy keeps it: `fall` consecutive failed checks mark it down,
/// `rise` consecutive good ones mark it up; errors on live traffic eject it at once, and only an
/// active check brings it back. A pure value: time and results are passed in.
public struct NodeHealth: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Not checked yet: used optimistically, so a fresh Porter serves at once.
        case unknown
        case up
        case down
    }

    public enum Transition: Sendable, Hashable {
        case none
        case wentUp
        case wentDown(reason: String)
    }

    public private(set) var rise: Int
    public private(set) var fall: Int
    /// Consecutive live-traffic errors that eject a node before the next active check.
    public private(set) var ejectAfterErrors: Int

    public private(set) var state: State = .unknown
    public private(set) var consecutiveSuccesses = 0
    public private(set) var consecutiveFailures = 0
    public private(set) var consecutiveTrafficErrors = 0
    public private(set) var lastError: String? = nil

    public init(rise: Int = 2, fall: Int = 2, ejectAfterErrors: Int = 3) {
        precondition(rise >= 1 && fall >= 1 && ejectAfterErrors >= 1)
        self.rise = rise
        self.fall = fall
        self.ejectAfterErrors = ejectAfterErrors
    }

    /// New thresholds (a configuration reload); the state and the counts so far stay.
    public mutating func setThresholds(rise: Int, fall: Int, ejectAfterErrors: Int) {
        precondition(rise >= 1 && fall >= 1 && ejectAfterErrors >= 1)
        self.rise = rise
        self.fall = fall
        self.ejectAfterErrors = ejectAfterErrors
    }

    /// May traffic be sent to this node?
    public var isUsable: Bool { self.state != .down }

    /// An active check (PING, ROLE) passed.
    public mutating func checkSucceeded() -> Transition {
        self.consecutiveFailures = 0
        self.consecutiveSuccesses += 1
        // Live-traffic errors count only when nothing good happened in between.
        self.consecutiveTrafficErrors = 0
        switch self.state {
        case .up:
            return .none
        case .unknown:
            self.state = .up
            self.lastError = nil
            return .wentUp
        case .down:
            guard self.consecutiveSuccesses >= self.rise else { return .none }
            self.state = .up
            self.consecutiveTrafficErrors = 0
            self.lastError = nil
            return .wentUp
        }
    }

    /// An active check failed (no answer in time, an error, or a role that contradicts the config).
    public mutating func checkFailed(_ reason: String) -> Transition {
        self.consecutiveSuccesses = 0
        self.consecutiveFailures += 1
        self.lastError = reason
        switch self.state {
        case .down:
            return .none
        case .unknown:
            // Never seen up: one failure is enough to stop sending traffic.
            self.state = .down
            return .wentDown(reason: reason)
        case .up:
            guard self.consecutiveFailures >= self.fall else { return .none }
            self.state = .down
            return .wentDown(reason: reason)
        }
    }

    /// The node answered in a way that proves it cannot play its role (a "primary" that refuses
    /// writes with `-READONLY`): down at once, back only through active checks.
    public mutating func contradicted(_ reason: String) -> Transition {
        self.consecutiveSuccesses = 0
        self.lastError = reason
        guard self.state != .down else { return .none }
        self.state = .down
        return .wentDown(reason: reason)
    }

    /// A command on live traffic failed (connection reset, timeout).
    public mutating func trafficFailed(_ reason: String) -> Transition {
        self.consecutiveTrafficErrors += 1
        self.lastError = reason
        guard self.state != .down, self.consecutiveTrafficErrors >= self.ejectAfterErrors else { return .none }
        self.state = .down
        self.consecutiveSuccesses = 0
        return .wentDown(reason: "ejected after \(self.consecutiveTrafficErrors) errors on live traffic: \(reason)")
    }
}
