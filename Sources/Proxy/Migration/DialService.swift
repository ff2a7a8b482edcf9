import AdminAPI
import Logging
import Migration
import NIOConcurrencyHelpers
import NIOCore
import RESP
import Topology
import Upstream

/// One Porter's side of the shared dial: it reads `migration.dial_key` every poll interval and
/// whenever a change is published on the channel of that name, and gives every event loop a
/// newer dial the moment it sees one. A dial that cannot be read leaves the last known one in
/// force (said once, and shown). Setting the dial writes the next version and publishes it, so
/// every Porter follows within about a second. Lives on one event loop (`home`).
final class DialService {
    let settings: MigrationSettings
    let home: NIOLoopBoundBox<LoopUpstreams>
    let everyLoop: NIOLockedValueBox<[NIOLoopBoundBox<LoopUpstreams>]>
    let logger: Logger
    private(set) var follower: DialFollower
    private var timer: Scheduled<Void>?
    private var subscriber: (connection: UpstreamConnection, node: NodeAddress)?
    private var stopped = false
    private let key: [UInt8]
    private let started = NIODeadline.now()

    init(
        settings: MigrationSettings, home: NIOLoopBoundBox<LoopUpstreams>,
        everyLoop: NIOLockedValueBox<[NIOLoopBoundBox<LoopUpstreams>]>, logger: Logger
    ) {
        self.settings = settings
        self.home = home
        self.everyLoop = everyLoop
        self.logger = logger
        self.follower = DialFollower(bootstrap: settings.bootstrap)
        self.key = Array(settings.dialKey.utf8)
    }

    var upstreams: LoopUpstreams { self.home.value }
    var now: Double { Double((NIODeadline.now() - self.started).nanoseconds) / 1e9 }

    /// Starts following; the future completes with the first read (whatever it found), so a
    /// restarted Porter takes the fleet's dial before its first client, not the bootstrap stage.
    func start() -> EventLoopFuture<Void> {
        let first = self.upstreams.eventLoop.makePromise(of: Void.self)
        self.poll { _ in first.succeed(()) }
        return first.futureResult
    }

    /// The backfill job, the last one run (its status stays for the console).
    private(set) var backfill: BackfillJob?

    func startBackfill(rate: Int?, restart: Bool) throws -> BackfillStatus {
        if let job = self.backfill, job.isRunning { throw MigrationDialError("a backfill is running already") }
        let job = BackfillJob(settings: self.settings, upstreams: self.upstreams, logger: self.logger, rate: rate)
        self.backfill = job
        job.start(restart: restart)
        return job.status
    }

    func stop() {
        self.backfill?.stop()
        self.stopped = true
        self.timer?.cancel()
        self.timer = nil
        self.subscriber?.connection.close()
        self.subscriber = nil
    }

    /// Reads the dial now (`done` gets what the read changed), and again after the poll interval.
    func poll(_ done: @escaping (DialFollower.Change) -> Void = { _ in }) {
        guard !self.stopped else { return }
        self.timer?.cancel()
        self.timer = self.upstreams.eventLoop.assumeIsolated().scheduleTask(in: self.settings.pollInterval) {
            [weak self] in self?.poll()
        }
        self.subscribe()
        self.read(done)
    }

    /// One read of the shared value; `done` gets the change it made.
    func read(_ done: @escaping (DialFollower.Change) -> Void) {
        self.upstreams.sideRequest(
            RESPRequest([ByteBuffer(string: "GET"), ByteBuffer(bytes: self.key)]), key: self.key
        ) { [weak self] result in
            guard let self else { return }
            let change = self.follower.read(Self.value(result), now: self.now)
            self.apply(change)
            done(change)
        }
    }

    static func value(_ result: Result<RESPToken, UpstreamError>) -> Result<[UInt8]?, DialReadError> {
        switch result {
        case .failure(let error):
            return .failure(DialReadError(error.message))
        case .success(let token):
            switch token.value {
            case .bulkString(let bytes): return .success(Array(bytes.readableBytesView))
            case .null: return .success(nil)
            case .simpleError(let bytes), .blobError(let bytes):
                return .failure(DialReadError(String(buffer: bytes)))
            default: return .failure(DialReadError("the dial key does not hold a string"))
            }
        }
    }

    private func apply(_ change: DialFollower.Change) {
        switch change {
        case .none:
            return
        case .moved(let from, let to):
            self.logger.notice(
                "migration dial moved",
                metadata: [
                    "from": "\(from.stage.rawValue) \(from.percent)%", "to": "\(to.stage.rawValue) \(to.percent)%",
                    "version": "\(self.follower.version)",
                ])
            for loop in self.everyLoop.withLockedValue({ $0 }) {
                loop.eventLoop.execute { loop.value.migration?.dial = to }
            }
        case .lost(let reason):
            let current = self.follower.current
            self.logger.warning(
                "cannot read the shared migration dial: keeping the last known one",
                metadata: ["stage": "\(current.stage.rawValue)", "percent": "\(current.percent)", "error": "\(reason)"])
        case .recovered:
            self.logger.notice("the shared migration dial can be read again")
        }
    }

    /// Subscribes to the dial's channel on the primary of the dial key's shard (again when that
    /// primary changes): a published change is read at once.
    private func subscribe() {
        let shard = self.upstreams.router.shard(of: self.key)
        guard shard < self.upstreams.topology.groups.count else { return }
        let node = self.upstreams.topology.groups[shard].primary.address
        if let subscriber = self.subscriber {
            if subscriber.node == node { return }
            subscriber.connection.close()
        }
        var configuration = self.upstreams.configuration.upstream
        configuration.clientName = "porter-migration-dial"
        let connection = UpstreamConnection(
            address: node, eventLoop: self.upstreams.eventLoop, profile: ConnectionProfile(),
            configuration: configuration, logger: self.logger)
        connection.subscribe(RESPRequest([ByteBuffer(string: "SUBSCRIBE"), ByteBuffer(bytes: self.key)])) {
            [weak self] token in
            guard let parts = token.elements, parts.count == 3, parts[0].string == "message" else { return }
            self?.read { _ in }
        }
        self.subscriber = (connection, node)
    }

    /// An operator's change: refused when unsafe (unless forced) or when the shared value cannot
    /// be read (its version must be known); else the next version is written and published.
    func set(_ dial: MigrationDial, force: Bool) -> EventLoopFuture<SharedDialValue> {
        let promise = self.upstreams.eventLoop.makePromise(of: SharedDialValue.self)
        self.read { [weak self] _ in
            guard let self else { return promise.fail(MigrationDialError("Porter is stopping")) }
            if let problem = self.follower.problem {
                return promise.fail(
                    MigrationDialError("the shared dial cannot be read (\(problem.reason)): not changed"))
            }
            if !force, let refusal = DialTransition.refusal(from: self.follower.current, to: dial) {
                return promise.fail(MigrationDialError(refusal))
            }
            let value = self.follower.next(dial)
            let set = RESPRequest([
                ByteBuffer(string: "SET"), ByteBuffer(bytes: self.key), ByteBuffer(bytes: value.encoded()),
            ])
            self.upstreams.sideRequest(set, key: self.key) { result in
                if case .success(let token) = result, !token.isError {
                    self.apply(self.follower.read(.success(value.encoded()), now: self.now))
                    let publish = RESPRequest([
                        ByteBuffer(string: "PUBLISH"), ByteBuffer(bytes: self.key),
                        ByteBuffer(string: "\(value.version)"),
                    ])
                    self.upstreams.sideRequest(publish, key: self.key) { _ in }
                    promise.succeed(value)
                } else {
                    let reason: String
                    switch result {
                    case .failure(let error): reason = error.message
                    case .success(let token): reason = token.string ?? "an error reply"
                    }
                    promise.fail(MigrationDialError("the shared dial could not be written: \(reason)"))
                }
            }
        }
        return promise.futureResult
    }
}

public struct MigrationDialError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { self.message }
}
