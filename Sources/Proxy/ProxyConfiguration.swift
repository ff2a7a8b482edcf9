// Proxy — the client side of Porter.
//
// Owns: listeners (TCP and unix socket), one ClientSession per client connection, the commands
// Porter answers itself, transactions on dedicated upstream connections, client limits, and the
// drain on shutdown.
//
//   client ──bytes──▶ ClientSession ──RESPRequest──▶ route ──▶ NodePool (this loop) ──▶ Redis
//     ▲                    │ slots: seq → reply (in the order commands came)
//     └── one write per ───┘ batch of replies
//
// A client session, and the pools it uses, live on one event loop.

import Access
import Hashing
import NIOCore
import RESP
import Topology
import Upstream

public enum ListenAddress: Hashable, Sendable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case unix(path: String)

    public var description: String {
        switch self {
        case .tcp(let host, let port): return "\(host):\(port)"
        case .unix(let path): return "unix:\(path)"
        }
    }
}

/// One group of Redis nodes (one shard): a primary and its replicas.
public typealias GroupConfiguration = GroupDefinition

/// twemproxy's key placement, with nutcracker's names and defaults (`fnv1a_64`, `ketama`).
public struct ShardingConfiguration: Sendable, Hashable {
    public var hash: HashFunction = .fnv1a_64
    public var distribution: Distribution = .ketama
    public var hashTag: HashTag? = nil

    public init() {}
}

/// Where reads go (`read_from`).
public enum ReadPolicy: String, Sendable, Hashable, CaseIterable {
    /// The primary; replicas only while the primary is unreachable (availability first).
    case primary
    /// Round robin over readable replicas; the primary when none is.
    case replicasThenPrimary = "replicas_then_primary"
    /// Round robin over the primary and readable replicas.
    case any
}

/// A read policy for keys that start with `prefix` (`read_routes`).
public struct ReadRoute: Sendable, Hashable {
    public var prefix: [UInt8]
    public var policy: ReadPolicy

    public init(prefix: String, policy: ReadPolicy) {
        self.prefix = Array(prefix.utf8)
        self.policy = policy
    }
}

public struct ProxyConfiguration: Sendable {
    public var listen: [ListenAddress] = [.tcp(host: "127.0.0.1", port: 6380)]
    /// TLS listeners beside the plain ones (`tls`).
    public var clientTLS: ClientTLS? = nil
    /// Users and what they may run (`auth`): without configuration, the default user needs no
    /// password and may run everything but Redis' `@dangerous` commands.
    public var access: AccessControl = AccessControl.standard
    public var maxClients: Int = 10_000
    /// Commands one client may have in flight before Porter stops reading from it
    /// (`limits.max_pipeline`): a pipeline of any length works, memory stays bounded.
    public var maxPipeline: Int = 1024
    /// Replies larger than this are written as they came, not copied into the batch buffer.
    public var copyThreshold: Int = 16 * 1024
    /// Bytes of requests not yet whole that Porter holds for all clients together
    /// (`limits.max_buffered_request_bytes`; split evenly over the threads). A client whose
    /// partial request would go past it gets an error and is closed; nobody else is touched.
    /// Large writes are streamed, not held, so this is reached only by many large requests that
    /// must be gathered (MSET of big values, big values inside MULTI) or by a hostile client.
    public var maxBufferedRequestBytes: Int = 1 << 30
    /// A request must be whole this long after its first byte came (`limits.request_timeout`),
    /// or the client gets an error and is closed: a client that sends a byte a second holds
    /// nothing for long. 60 s lets a 512 MiB value arrive at 9 MB/s.
    public var requestTimeout: TimeAmount = .seconds(60)
    /// Close clients idle this long (`client_idle_timeout`; zero: never).
    public var clientIdleTimeout: TimeAmount = .zero
    /// How long shutdown waits for in-flight commands.
    public var drainTimeout: TimeAmount = .seconds(5)
    /// Databases SELECT accepts (0 ..< databases).
    public var databases: Int = 16
    /// The database a client starts in, and RESET returns to (`upstream.database`,
    /// nutcracker's `redis_db`); SELECT changes it as usual.
    public var defaultDatabase: Int = 0
    /// A request with a bulk argument of 256 KiB or more is passed on as it arrives (`+Stream`).
    public var limits: RESPLimits = RESPLimits(streamBulkLength: 256 * 1024)
    public var groups: [GroupConfiguration] = []
    /// How keys are spread over the groups (`upstream.hash`, `distribution`, `hash_tag`).
    public var sharding = ShardingConfiguration()
    /// Redis Cluster instead of groups (`upstream.cluster`): the shards come from the cluster.
    public var cluster: ClusterSettings? = nil
    /// Default read policy, and per-prefix exceptions (first match wins).
    public var readPolicy: ReadPolicy = .primary
    public var readRoutes: [ReadRoute] = []
    /// Retry a failed idempotent read once on another node.
    public var retryReads = true
    /// After this Porter writes a key, its reads of that key go to the primary for this long.
    public var readYourWritesWindow: TimeAmount = .seconds(2)
    /// How long a write waits for its group to have a usable primary again (failover) before it
    /// fails (`write_wait`; zero: fail at once). A session write that waits keeps the user's
    /// session; one that fails may log them out: 5 s covers a Sentinel failover with a short
    /// `down-after-milliseconds` and a primary's restart, and is far below PHP's
    /// `default_socket_timeout` (60 s), so a held request is slow, not dead.
    public var writeWait: TimeAmount = .seconds(5)
    /// Durable writes (`wait_replicas`): after a write to a key with one of `waitPrefixes` (all
    /// keys when empty), Porter sends `WAIT waitReplicas waitTimeout` and acknowledges the write
    /// only when that many replicas have it.
    public var waitReplicas: Int = 0
    public var waitTimeout: TimeAmount = .milliseconds(200)
    public var waitPrefixes: [[UInt8]] = []
    public var health = HealthConfiguration()
    public var upstream: UpstreamConfiguration = UpstreamConfiguration()
    /// Version reported by HELLO (clients use it to pick features).
    public var reportedVersion: String = "7.0.15"

    public init() {}
}
