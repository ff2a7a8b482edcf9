import AdminAPI
import Commands
import Migration
import Telemetry
import Upstream

/// Commands by name and result, and latency by command class, of one event loop: plain
/// integers, since only that loop writes them. The admin sampler copies them.
final class LoopMetrics {
    /// The id used for commands not in the table.
    static let unknownCommand = CommandTable.shared.all.count

    static let countSlots = (LoopMetrics.unknownCommand + 1) * 2
    /// `[id * 2]` ok, `[id * 2 + 1]` error replies; allocated once (no copy-on-write checks).
    private let counts = UnsafeMutablePointer<Int>.allocate(capacity: LoopMetrics.countSlots)
    /// The class of each command id, as a raw value.
    private let classOf = UnsafeMutablePointer<UInt8>.allocate(capacity: LoopMetrics.unknownCommand + 1)
    let latency = CommandClass.allCases.map { _ in LatencyRecorder() }

    init() {
        self.counts.initialize(repeating: 0, count: Self.countSlots)
        let all = CommandTable.shared.all
        for id in 0...Self.unknownCommand {
            let spec = id < all.count ? all[id] : nil
            let commandClass: CommandClass =
                spec?.isReadOnly == true ? .read : (spec?.isWrite == true ? .write : .other)
            (self.classOf + id).initialize(to: UInt8(commandClass.rawValue))
        }
    }

    deinit {
        self.counts.deallocate()
        self.classOf.deallocate()
    }

    @inline(__always)
    func record(command: Int, failed: Bool, nanoseconds: Int64) {
        self.counts[command &* 2 &+ (failed ? 1 : 0)] &+= 1
        self.latency[Int(self.classOf[command])].record(nanoseconds: nanoseconds)
    }

    var commandCounts: [Int] { Array(UnsafeBufferPointer(start: self.counts, count: Self.countSlots)) }
}

/// What every event loop counted, summed: the admin server's view of the traffic.
public struct ProxyMetricsSnapshot: Sendable {
    public var stats = ProxyStats()
    /// `[id * 2]` ok and `[id * 2 + 1]` error replies per command id of `CommandTable.shared.all`;
    /// the last pair is commands not in the table.
    public var commandCounts: [Int] = []
    /// By `CommandClass.rawValue`.
    public var commandLatency: [LatencyHistogram] = []
    public var nodes: [NodeAddress: NodeTrafficSnapshot] = [:]
    /// The session migration's counters and legacy store latency (nil without `migration`).
    public var migration: MigrationCounters?
    public var legacyLatency = LatencyHistogram()
    /// Session ids whose shadow reads differed, the newest few per loop.
    public var mismatchedSessions: [String] = []
    /// The dial this Porter follows, and whether it can read the shared one.
    public var migrationDial: MigrationDial?
    public var migrationDialReadable = true

    public init() {}

    /// Error replies of every command.
    public var errorReplies: Int {
        stride(from: 1, to: self.commandCounts.count, by: 2).reduce(0) { $0 + self.commandCounts[$1] }
    }
}

public struct NodeTrafficSnapshot: Sendable {
    /// Round trips (and so, replies) of commands sent to the node.
    public var latency = LatencyHistogram()
    /// Connections by state label (ready, connecting, backoff, idle).
    public var connections: [String: Int] = [:]
    public var inFlight = 0

    public init() {}
}

/// Counters of one event loop, summed by `ProxyServer.stats()`.
public struct ProxyStats: Sendable {
    public var commands = 0
    public var bytesIn = 0
    public var bytesOut = 0
    public var protocolErrors = 0
    public var upstreamErrors = 0
    public var authFailures = 0
    public var clientsAccepted = 0
    public var clientsRejected = 0
    public var clientsConnected = 0
    /// Connections passed to a successor in a takeover, and taken over from a predecessor.
    public var clientsHandedOff = 0
    public var clientsTakenOver = 0
    public var retries = 0
    /// Writes held for a primary (failover, -READONLY).
    public var heldWrites = 0
    /// Durable writes whose replicas did not confirm them in time.
    public var unconfirmedWrites = 0
    /// Requests passed on as they arrived (a bulk argument of `limits.stream_bulk_bytes` or more).
    public var streamedRequests = 0
    /// Clients closed for a request past `limits.max_buffered_request_bytes`, or not whole within
    /// `limits.request_timeout`.
    public var closedOverBudget = 0
    public var closedForTimeout = 0
    /// Commands refused by a user's ACL rules, by user and kind (command, key, channel).
    public var aclDenied: [ACLDenialCount: Int] = [:]

    public struct ACLDenialCount: Hashable, Sendable {
        public var user: String
        public var reason: String

        public init(user: String, reason: String) {
            self.user = user
            self.reason = reason
        }
    }

    mutating func add(_ other: ProxyStats) {
        self.commands += other.commands
        self.bytesIn += other.bytesIn
        self.bytesOut += other.bytesOut
        self.protocolErrors += other.protocolErrors
        self.upstreamErrors += other.upstreamErrors
        self.authFailures += other.authFailures
        self.clientsAccepted += other.clientsAccepted
        self.clientsRejected += other.clientsRejected
        self.clientsConnected += other.clientsConnected
        self.clientsHandedOff += other.clientsHandedOff
        self.clientsTakenOver += other.clientsTakenOver
        self.retries += other.retries
        self.heldWrites += other.heldWrites
        self.unconfirmedWrites += other.unconfirmedWrites
        self.streamedRequests += other.streamedRequests
        self.aclDenied.merge(other.aclDenied, uniquingKeysWith: +)
        self.closedOverBudget += other.closedOverBudget
        self.closedForTimeout += other.closedForTimeout
    }
}
