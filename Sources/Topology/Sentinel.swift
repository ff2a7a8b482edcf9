import Logging
import NIOCore
import RESP
import Upstream

/// How a group is found through Redis Sentinel.
public struct SentinelSettings: Sendable, Hashable {
    /// The name the sentinels monitor the group under.
    public var master: String
    public var nodes: [NodeAddress]
    public var password: String?

    public init(master: String, nodes: [NodeAddress], password: String? = nil) {
        self.master = master
        self.nodes = nodes
        self.password = password
    }
}

/// What the sentinels say about a group.
public struct SentinelAnswer: Sendable, Hashable {
    public var primary: NodeAddress
    /// Every replica the sentinels list, those they consider down included: an operator must
    /// see a dead node (the old primary after a failover) as down, not gone.
    public var replicas: [NodeAddress]
    /// The replicas flagged `s_down` or `o_down`.
    public var down: Set<NodeAddress> = []
    /// The sentinels' configuration epoch of the master: each failover raises it, so an answer
    /// from a sentinel that has not heard of the latest failover is recognised and ignored.
    public var epoch: Int64
}

/// A `+switch-master` message: `<master> <old ip> <old port> <new ip> <new port>`.
struct SwitchMaster: Hashable {
    var master: String
    var old: NodeAddress
    var new: NodeAddress

    init?(message: String) {
        let parts = message.split(separator: " ")
        guard parts.count == 5, let oldPort = Int(parts[2]), let newPort = Int(parts[4]) else { return nil }
        self.master = String(parts[0])
        self.old = .tcp(host: String(parts[1]), port: oldPort)
        self.new = .tcp(host: String(parts[3]), port: newPort)
    }
}

/// A sentinel's notice about this group's master: it started a failover (`+try-failover`), or
/// gave its attempt up (`-failover-abort-…`). Messages are `master <name> <ip> <port>`.
enum FailoverNotice: Equatable {
    case started, abandoned

    static let channels: [String: FailoverNotice] = [
        "+try-failover": .started, "-failover-abort-not-elected": .abandoned,
        "-failover-abort-no-good-slave": .abandoned, "-failover-abort-slave-timeout": .abandoned,
    ]

    /// The notice, when `message` on `channel` is about `master`.
    init?(channel: String, message: String, master: String) {
        let parts = message.split(separator: " ")
        guard let notice = Self.channels[channel], parts.count >= 2, parts[0] == "master", parts[1] == master
        else { return nil }
        self = notice
    }
}

/// Asks the sentinels of one group, one at a time, moving to the next when one fails:
/// `SENTINEL get-master-addr-by-name`, `SENTINEL replicas` and `SENTINEL master` (for the epoch).
/// Also subscribes to `+switch-master` on every sentinel, so a failover is seen the moment a
/// sentinel makes or learns it.
final class SentinelClient: UpstreamReplyReceiver {
    let settings: SentinelSettings
    let eventLoop: EventLoop
    private var connections: [UpstreamConnection]
    private var subscribers: [UpstreamConnection]
    private var current = 0
    private var round: UInt32 = 0
    private var primary: NodeAddress?
    private var promise: EventLoopPromise<SentinelAnswer>?

    init(settings: SentinelSettings, eventLoop: EventLoop, upstream: UpstreamConfiguration, logger: Logger) {
        self.settings = settings
        self.eventLoop = eventLoop
        var config = upstream
        config.username = nil
        config.password = settings.password
        config.clientName = "porter-sentinel"
        self.connections = settings.nodes.map {
            UpstreamConnection(
                address: $0, eventLoop: eventLoop, profile: ConnectionProfile(), configuration: config, logger: logger)
        }
        // The usual command timeout: it bounds the handshake (a sentinel that hangs there is
        // dropped and tried again); once subscribed, nothing waits for a reply, so it never fires.
        config.clientName = "porter-sentinel-events"
        self.subscribers = settings.nodes.map {
            UpstreamConnection(
                address: $0, eventLoop: eventLoop, profile: ConnectionProfile(), configuration: config, logger: logger)
        }
    }

    /// Subscribes to `+switch-master` and the failover notices on every sentinel; `onSwitch`
    /// gets this group's switches and `onFailover` its notices, with the index of the sentinel.
    func watch(onSwitch: @escaping (SwitchMaster, Int) -> Void, onFailover: @escaping (FailoverNotice, Int) -> Void) {
        self.eventLoop.preconditionInEventLoop()
        let channels = ["+switch-master"] + FailoverNotice.channels.keys.sorted()
        for (index, connection) in self.subscribers.enumerated() {
            connection.subscribe(RESPRequest(["SUBSCRIBE"] + channels)) { [master = self.settings.master] token in
                // ["message", "+switch-master", "<master> <old ip> <old port> <new ip> <new port>"]
                guard let parts = token.elements, parts.count == 3, parts[0].string == "message",
                    let channel = parts[1].string, let text = parts[2].string
                else { return }
                if channel == "+switch-master" {
                    if let event = SwitchMaster(message: text), event.master == master { onSwitch(event, index) }
                } else if let notice = FailoverNotice(channel: channel, message: text, master: master) {
                    onFailover(notice, index)
                }
            }
        }
    }

    /// One question to the current sentinel (or to `preferred`); on failure the next one is asked
    /// next time.
    func ask(preferring preferred: Int? = nil) -> EventLoopFuture<SentinelAnswer> {
        self.eventLoop.preconditionInEventLoop()
        if let preferred { self.current = preferred }
        if let pending = self.promise { return pending.futureResult }
        let promise = self.eventLoop.makePromise(of: SentinelAnswer.self)
        self.promise = promise
        self.primary = nil
        self.replicas = nil
        self.round &+= 3
        let connection = self.connections[self.current % self.connections.count]
        connection.send(
            RESPRequest(["SENTINEL", "get-master-addr-by-name", self.settings.master]), receiver: self,
            sequence: self.round)
        connection.send(
            RESPRequest(["SENTINEL", "replicas", self.settings.master]), receiver: self, sequence: self.round &+ 1)
        connection.send(
            RESPRequest(["SENTINEL", "master", self.settings.master]), receiver: self, sequence: self.round &+ 2)
        return promise.futureResult
    }

    func close() {
        for connection in self.connections + self.subscribers { connection.close() }
    }

    /// A flat `[field, value, ...]` reply as a dictionary.
    private static func fields(_ reply: RESPToken) -> [String: String] {
        let fields = reply.elements ?? []
        var info: [String: String] = [:]
        var i = 0
        while i + 1 < fields.count {
            if let k = fields[i].string { info[k] = fields[i + 1].string ?? "" }
            i += 2
        }
        return info
    }

    private var replicas: [NodeAddress]?
    private var down = Set<NodeAddress>()

    private func fail(_ message: String) {
        self.current += 1
        let promise = self.promise
        self.promise = nil
        promise?.fail(TopologyError(message: message))
    }

    func upstreamReply(_ reply: RESPToken, sequence: UInt32) -> Bool {
        guard self.promise != nil else { return false }
        if sequence == self.round {
            guard let parts = reply.elements, parts.count == 2, let host = parts[0].string,
                let port = parts[1].integer.map(Int.init)
            else {
                self.fail("sentinel does not know master '\(self.settings.master)': \(reply.string ?? "nil")")
                return false
            }
            self.primary = .tcp(host: host, port: port)
        } else if sequence == self.round &+ 1, let primary = self.primary {
            var replicas: [NodeAddress] = []
            var down = Set<NodeAddress>()
            for entry in reply.elements ?? [] {
                let info = Self.fields(entry)
                let flags = info["flags"] ?? ""
                if let ip = info["ip"], let port = info["port"].flatMap(Int.init) {
                    let address = NodeAddress.tcp(host: ip, port: port)
                    guard address != primary else { continue }
                    replicas.append(address)
                    // Porter's own health checks judge the rest; "disconnected" only means the
                    // sentinel has not reached the replica yet.
                    if flags.contains("s_down") || flags.contains("o_down") { down.insert(address) }
                }
            }
            self.replicas = replicas
            self.down = down
        } else if sequence == self.round &+ 2, let primary = self.primary, let replicas = self.replicas {
            guard let epoch = Self.fields(reply)["config-epoch"].flatMap({ Int64($0) }) else {
                self.fail("sentinel gave no config-epoch for master '\(self.settings.master)'")
                return false
            }
            let promise = self.promise
            self.promise = nil
            promise?.succeed(SentinelAnswer(primary: primary, replicas: replicas, down: self.down, epoch: epoch))
        }
        return false
    }

    func upstreamFailed(_ error: UpstreamError, sequence: UInt32) -> Bool {
        if sequence == self.round || sequence == self.round &+ 1 || sequence == self.round &+ 2 {
            self.fail(error.message)
        }
        return false
    }

    func upstreamBatchComplete() {}
}

public struct TopologyError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
