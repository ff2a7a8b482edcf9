// The one harness every integration test uses: starts real servers (redis-server, sentinel,
// Redis Cluster nodes, nutcracker, memcached and MariaDB) on free loopback
// ports in temporary directories, waits until they answer, and stops them.

import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

public enum HarnessError: Error, CustomStringConvertible {
    case notFound(String)
    case notReady(String)
    case io(String)

    public var description: String {
        switch self {
        case .notFound(let s): return "not installed: \(s) (run `make test`, which installs it)"
        case .notReady(let s): return "did not become ready: \(s)"
        case .io(let s): return s
        }
    }
}

/// Tests open many sockets (clients, Porter, servers, all in one process): lift the soft limit.
private let raisedFileLimit: Void = {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    // As root the hard limit can rise too: the hostile-clients test holds 20,000 client sockets
    // and Porter's side of them in this one process.
    var wanted = limit
    wanted.rlim_cur = max(limit.rlim_max, 65536)
    wanted.rlim_max = max(limit.rlim_max, 65536)
    if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &wanted) != 0 {
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}()

/// A free TCP port on 127.0.0.1 (bound and released; the kernel does not hand it out again soon).
public func freePort() -> Int {
    _ = raisedFileLimit
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// Whether 127.0.0.1:`port` can be bound now.
func isFree(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}

/// A free port for a Redis Cluster node: its cluster bus listens on port + 10000, which must be
/// a valid port and free too.
public func freeClusterPort() -> Int {
    while true {
        let port = freePort()
        if port + 10000 <= 65535 && isFree(port + 10000) { return port }
        // Below the kernel's ephemeral range: probe upwards from a random start.
        let candidate = Int.random(in: 20000...30000)
        if isFree(candidate) && isFree(candidate + 10000) { return candidate }
    }
}

/// Runs `body`, then awaits `stop`, whether `body` threw or not: a `defer` cannot await, and a
/// `Task` started in one is awaited by nothing, so one test's servers could outlive it.
public func finally<T>(_ body: () async throws -> T, stop: () async -> Void) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        await stop()
        throw error
    }
    await stop()
    return result
}

/// Finds an executable on PATH (and the sbin directories Debian puts daemons in).
public func which(_ name: String) -> String? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/local/sbin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// Starts `executable` with `arguments`; stdout and stderr go to the given files (or /dev/null).
/// posix_spawn and waitpid, not Foundation.Process: the harness must reap its children itself.
public func spawn(
    _ executable: String, _ arguments: [String], stdout: String = "/dev/null", stderr: String = "/dev/null",
    stdin: String = "/dev/null", environment: [String: String]? = nil
) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    // NIO opens its sockets without CLOEXEC: a child would hold an in-process Porter's listening
    // socket (and its clients' connections) open after Porter closed them. glibc's closefrom
    // action (2.34+) is not in Swift's Glibc module: looked up by name.
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    if let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") {
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
    }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let merged =
        environment.map { ProcessInfo.processInfo.environment.merging($0) { $1 } }
        ?? ProcessInfo.processInfo.environment
    let env = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { env.forEach { free($0) } }
    // Threads of the test runtime block signals; a child would inherit that mask and ignore
    // SIGTERM. Give it an empty mask and default handlers.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
    guard rc == 0 else { throw HarnessError.io("cannot start \(executable): error \(rc)") }
    return pid
}

/// Waits for `pid` to exit, up to `seconds`. Returns its exit status, or nil on timeout.
@discardableResult
public func waitForExit(_ pid: pid_t, seconds: Double) -> Int32? {
    let deadline = Date().addingTimeInterval(seconds)
    var status: Int32 = 0
    while true {
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
        if r < 0 { return -1 }
        if Date() > deadline { return nil }
        usleep(2_000)
    }
}

/// A server process started by the harness. `stop()` (or deinit) ends it and removes its
/// directory.
public final class ServerProcess: @unchecked Sendable {
    public let name: String
    public let port: Int
    public let directory: URL
    public let pid: pid_t
    private var exited = false
    private var stopped = false

    init(name: String, port: Int, directory: URL, pid: pid_t) {
        self.name = name
        self.port = port
        self.directory = directory
        self.pid = pid
    }

    /// SIGKILL, as a crash would.
    public func kill() {
        guard !self.exited else { return }
        Glibc.kill(self.pid, SIGKILL)
        waitForExit(self.pid, seconds: 10)
        self.exited = true
    }

    /// SIGSTOP: the process stops answering, its connections stay open (a hung node).
    public func pause() {
        guard !self.exited else { return }
        Glibc.kill(self.pid, SIGSTOP)
        // The signal is delivered asynchronously: wait until every thread is stopped (state T),
        // so a command sent next cannot be answered first.
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            let stat = (try? String(contentsOfFile: "/proc/\(self.pid)/stat", encoding: .utf8)) ?? ""
            if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].hasPrefix(" T") { return }
            usleep(1000)
        }
    }

    /// SIGCONT, after `pause()`.
    public func resume() {
        if !self.exited { Glibc.kill(self.pid, SIGCONT) }
    }

    /// SIGTERM, then SIGKILL if it has not exited within 5 s.
    public func stop() {
        guard !self.stopped else { return }
        self.stopped = true
        if !self.exited {
            Glibc.kill(self.pid, SIGCONT)
            Glibc.kill(self.pid, SIGTERM)
            if waitForExit(self.pid, seconds: 5) == nil {
                Glibc.kill(self.pid, SIGKILL)
                waitForExit(self.pid, seconds: 5)
            }
            self.exited = true
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    deinit { self.stop() }
}

public enum Harness {
    static func makeDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "porter-test-\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts redis-server on a free port with no persistence, and waits for PING.
    public static func startRedis(
        host: String = "127.0.0.1", port: Int? = nil, arguments: [String] = [], password: String? = nil
    ) async throws -> ServerProcess {
        guard let binary = which("redis-server") else { throw HarnessError.notFound("redis-server") }
        let port = port ?? freePort()
        let dir = try makeDirectory("redis-\(port)")
        var args = [
            "--bind", host, "--port", "\(port)", "--save", "", "--appendonly", "no", "--dir", dir.path,
            "--logfile", dir.appendingPathComponent("redis.log").path,
        ]
        if let password { args += ["--requirepass", password] }
        let pid = try spawn(binary, args + arguments)
        let server = ServerProcess(name: "redis-server", port: port, directory: dir, pid: pid)
        try await waitForRedis(host: host, port: port, password: password, what: "redis-server on \(host):\(port)")
        return server
    }

    /// Starts redis-sentinel on a free port monitoring `primaryPort` as `master`, with fast
    /// failure detection (down-after 1000 ms), and waits for PING.
    public static func startSentinel(master: String, primaryPort: Int, quorum: Int = 2) async throws -> ServerProcess {
        guard let binary = which("redis-sentinel") ?? which("redis-server") else {
            throw HarnessError.notFound("redis-sentinel")
        }
        let port = freePort()
        let dir = try makeDirectory("sentinel-\(port)")
        let config = dir.appendingPathComponent("sentinel.conf")
        try """
        bind 127.0.0.1
        port \(port)
        dir \(dir.path)
        logfile \(dir.appendingPathComponent("sentinel.log").path)
        sentinel monitor \(master) 127.0.0.1 \(primaryPort) \(quorum)
        sentinel down-after-milliseconds \(master) 1000
        sentinel failover-timeout \(master) 5000
        sentinel parallel-syncs \(master) 1

        """.write(to: config, atomically: true, encoding: .utf8)
        let pid = try spawn(binary, binary.hasSuffix("redis-sentinel") ? [config.path] : [config.path, "--sentinel"])
        let server = ServerProcess(name: "redis-sentinel", port: port, directory: dir, pid: pid)
        try await waitForRedis(port: port, what: "redis-sentinel on \(port)")
        return server
    }

    /// Starts nutcracker (twemproxy) with `pools` (`listen:` is filled in per pool with a free
    /// port), and waits until every pool answers PING (after AUTH with `password`, a pool's
    /// `redis_auth`). A port another process took between `freePort()` and nutcracker's bind
    /// makes it exit: it is tried again with new ports.
    public static func startNutcracker(
        pools: [(name: String, body: String)], password: String? = nil
    ) async throws -> (ServerProcess, [Int]) {
        guard let binary = which("nutcracker") else { throw HarnessError.notFound("nutcracker") }
        var lastError: Error = HarnessError.notReady("nutcracker")
        for _ in 0..<3 {
            let ports = pools.map { _ in freePort() }
            let dir = try makeDirectory("nutcracker-\(ports[0])")
            var yaml = ""
            for (pool, port) in zip(pools, ports) {
                yaml += "\(pool.name):\n  listen: 127.0.0.1:\(port)\n"
                for line in pool.body.split(separator: "\n", omittingEmptySubsequences: false) { yaml += "  \(line)\n" }
            }
            let config = dir.appendingPathComponent("nutcracker.yml")
            try yaml.write(to: config, atomically: true, encoding: .utf8)
            let pid = try spawn(
                binary,
                [
                    "-c", config.path, "-s", "\(freePort())", "-a", "127.0.0.1", "-o",
                    dir.appendingPathComponent("nutcracker.log").path,
                ])
            let server = ServerProcess(name: "nutcracker", port: ports[0], directory: dir, pid: pid)
            do {
                for port in ports {
                    try await waitForRedis(port: port, password: password, what: "nutcracker on \(port)")
                }
                return (server, ports)
            } catch {
                lastError = error
                server.stop()
            }
        }
        throw lastError
    }

    /// Starts memcached on 127.0.0.1 (TCP only, 64 MiB) and waits until it answers `version`.
    public static func startMemcached(port: Int? = nil) async throws -> ServerProcess {
        guard let binary = which("memcached") else { throw HarnessError.notFound("memcached") }
        let port = port ?? freePort()
        let dir = try makeDirectory("memcached-\(port)")
        let pid = try spawn(binary, ["-l", "127.0.0.1", "-p", "\(port)", "-U", "0", "-m", "64", "-u", "root"])
        let server = ServerProcess(name: "memcached", port: port, directory: dir, pid: pid)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let client = try? RedisTestClient(port: port, timeoutSeconds: 1) {
                try? client.send(raw: Array("version\r\n".utf8))
                if let line = try? client.readLineBytes(), String(decoding: line, as: UTF8.self).hasPrefix("VERSION") {
                    return server
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        server.stop()
        throw HarnessError.notReady("memcached on \(port)")
    }

    /// Starts MariaDB in a temporary directory (`mariadb-install-db`, then `mariadbd` on a unix
    /// socket, no TCP), root without a password over the socket; waits until it answers. The
    /// socket is `<directory>/mariadb.sock`.
    public static func startMariaDB() async throws -> ServerProcess {
        guard let install = which("mariadb-install-db"), let server = which("mariadbd") else {
            throw HarnessError.notFound("mariadb-server (mariadb-install-db, mariadbd)")
        }
        let dir = try makeDirectory("mariadb")
        let data = dir.appendingPathComponent("data").path
        let socket = dir.appendingPathComponent("mariadb.sock").path
        let installed = try run(
            install,
            [
                "--no-defaults", "--datadir=\(data)", "--auth-root-authentication-method=normal", "--skip-test-db",
                "--user=root",
            ])
        guard installed.status == 0 else { throw HarnessError.notReady("mariadb-install-db: \(installed.stderr)") }
        let pid = try spawn(
            server,
            [
                "--no-defaults", "--datadir=\(data)", "--socket=\(socket)", "--skip-networking", "--user=root",
                "--pid-file=\(dir.appendingPathComponent("mariadb.pid").path)",
                "--log-error=\(dir.appendingPathComponent("error.log").path)", "--innodb-buffer-pool-size=16M",
            ])
        let process = ServerProcess(name: "mariadbd", port: 0, directory: dir, pid: pid)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if FileManager.default.fileExists(atPath: socket),
                (try? mariadb(socket: socket, "SELECT 1"))?.status == 0
            {
                return process
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.stop()
        throw HarnessError.notReady("mariadbd on \(socket)")
    }

    /// Runs SQL with the `mariadb` client over `socket` as root.
    @discardableResult
    public static func mariadb(socket: String, _ sql: String) throws -> (status: Int32, stdout: String, stderr: String)
    {
        try run("mariadb", ["--no-defaults", "-S", socket, "-uroot", "-N", "-e", sql])
    }

    /// Waits until every replica's ROLE says its link to the primary is `connected`, and a
    /// write to the primary has reached it. After a diskless sync the primary streams nothing to
    /// a replica until its first REPLCONF ACK (up to a second later), though both already say
    /// `connected` and `online`: a failover that promotes it then loses every write since (a
    /// flaky failover test, traced to exactly this).
    public static func waitUntilLinked(
        _ replicas: [ServerProcess], primary: ServerProcess, timeout: Duration = .seconds(20)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        let marker = "porter-test:linked:\(UUID().uuidString)"
        _ = try RedisTestClient(port: primary.port).command("SET", marker, "1")
        for replica in replicas {
            while true {
                if case .array(let role) = try RedisTestClient(port: replica.port).command("ROLE"),
                    role.count > 3, role[3].string == "connected",
                    try RedisTestClient(port: replica.port).command("EXISTS", marker) == .integer(1)
                {
                    break
                }
                guard ContinuousClock.now < deadline else { throw HarnessError.notReady("replica on \(replica.port)") }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        // The marker goes, and the counters tests read start from zero.
        _ = try RedisTestClient(port: primary.port).command("DEL", marker)
        for server in [primary] + replicas { _ = try RedisTestClient(port: server.port).command("CONFIG", "RESETSTAT") }
    }

    /// Polls `condition` every 20 ms until it holds (instead of a fixed sleep); throws after
    /// `timeout`, naming `what`.
    public static func waitUntil(
        _ what: String, timeout: Duration = .seconds(10), _ condition: () throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessError.notReady(what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `waitUntil` for a condition that awaits (Porter's own state).
    public static func waitUntil(
        _ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessError.notReady(what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Polls with PING until a RESP server answers (no fixed sleeps).
    public static func waitForRedis(
        host: String = "127.0.0.1", port: Int, password: String? = nil, what: String, timeout: Duration = .seconds(10)
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let client = try? RedisTestClient(host: host, port: port) {
                if let password { _ = try? client.command("AUTH", password) }
                if let reply = try? client.command("PING"), reply.string == "PONG" { return }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError.notReady(what)
    }

    /// Runs a command line to completion; returns its exit status and output.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let path = executable.hasPrefix("/") ? executable : which(executable) else {
            throw HarnessError.notFound(executable)
        }
        let dir = try makeDirectory("run")
        defer { try? FileManager.default.removeItem(at: dir) }
        let inPath = dir.appendingPathComponent("stdin").path
        _ = FileManager.default.createFile(atPath: inPath, contents: (input ?? "").data(using: .utf8))
        let outPath = dir.appendingPathComponent("stdout").path
        let errPath = dir.appendingPathComponent("stderr").path
        let pid = try spawn(path, arguments, stdout: outPath, stderr: errPath, stdin: inPath, environment: environment)
        guard let status = waitForExit(pid, seconds: 900) else {
            Glibc.kill(pid, SIGKILL)
            waitForExit(pid, seconds: 5)
            throw HarnessError.io("\(executable) did not finish in 900 s")
        }
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (status, out, err)
    }

    /// The package root (for scripts and config files in the repository).
    public static var packageRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }
}

/// A primary, two replicas and three sentinels (quorum 2, down-after 1000 ms) on free ports,
/// returned once the sentinels know both replicas and both replicas are in sync.
public final class SentinelTopology: @unchecked Sendable {
    public let master: String
    public var primary: ServerProcess
    public var replicas: [ServerProcess]
    public let sentinels: [ServerProcess]

    init(master: String, primary: ServerProcess, replicas: [ServerProcess], sentinels: [ServerProcess]) {
        self.master = master
        self.primary = primary
        self.replicas = replicas
        self.sentinels = sentinels
    }

    public static func start(master: String = "sessions") async throws -> SentinelTopology {
        // No 5 s delay before the replicas' first full sync (Redis 7's default).
        let primary = try await Harness.startRedis(arguments: ["--repl-diskless-sync-delay", "0"])
        var replicas: [ServerProcess] = []
        for _ in 0..<2 {
            replicas.append(
                try await Harness.startRedis(arguments: [
                    "--replicaof", "127.0.0.1", "\(primary.port)", "--repl-diskless-sync-delay", "0",
                ]))
        }
        var sentinels: [ServerProcess] = []
        for _ in 0..<3 {
            sentinels.append(try await Harness.startSentinel(master: master, primaryPort: primary.port))
        }
        let topology = SentinelTopology(master: master, primary: primary, replicas: replicas, sentinels: sentinels)
        // Sentinels must have found the replicas before a failover can pick one.
        let deadline = ContinuousClock.now + .seconds(20)
        for sentinel in sentinels {
            while true {
                if case .array(let known) = try RedisTestClient(port: sentinel.port).command(
                    "SENTINEL", "replicas", master),
                    known.count == 2
                {
                    break
                }
                guard ContinuousClock.now < deadline else {
                    topology.stop()
                    throw HarnessError.notReady("sentinels did not discover the replicas")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try await Harness.waitUntilLinked(replicas, primary: primary)
        return topology
    }

    /// `nodes: [...]` for Porter's `sentinel` setting.
    public var sentinelNodes: String { self.sentinels.map { "127.0.0.1:\($0.port)" }.joined(separator: ", ") }

    public func stop() {
        for s in self.sentinels { s.stop() }
        self.primary.stop()
        for r in self.replicas { r.stop() }
    }
}

/// Waits on a sentinel for its next `+switch-master` message, on a thread of its own.
public final class SwitchMasterListener: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: (at: ContinuousClock.Instant, message: String)?

    public init(sentinelPort: Int) throws {
        let client = try RedisTestClient(port: sentinelPort, timeoutSeconds: 120)
        _ = try client.command("SUBSCRIBE", "+switch-master")
        Thread.detachNewThread {
            while let reply = try? client.readReply() {
                if case .array(let parts) = reply, parts.count == 3, parts[0].string == "message" {
                    let now = ContinuousClock.now
                    self.lock.withLock { self.seen = (now, parts[2].string ?? "") }
                    return
                }
            }
        }
    }

    public var switchedAt: ContinuousClock.Instant? { self.lock.withLock { self.seen?.at } }
    public var message: String? { self.lock.withLock { self.seen?.message } }

    public func wait(timeout: Duration) async -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let at = self.switchedAt { return at }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}

/// Session-like writes through Porter on a thread of their own, at a bounded rate: SETEX of a new
/// key each time, with when and how each one ended.
public final class WriteLoad: @unchecked Sendable {
    public struct Outcome: Sendable {
        public var key: String
        public var ok: Bool
        public var error: String?
        public var at: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var outcomes: [Outcome] = []
    private var stopping = false
    private var finished = false

    public init(port: Int, prefix: String, interval: Duration = .milliseconds(2)) {
        Thread.detachNewThread {
            defer { self.lock.withLock { self.finished = true } }
            guard let client = try? RedisTestClient(port: port, timeoutSeconds: 30) else { return }
            var n = 0
            while !self.lock.withLock({ self.stopping }) {
                n += 1
                let key = "\(prefix)\(n)"
                var failure = "no reply"
                let reply: RedisTestClient.Reply?
                do {
                    reply = try client.command("SETEX", key, "3600", "session-\(n)")
                } catch {
                    reply = nil
                    failure = "no reply: \(error)"
                }
                let outcome = Outcome(
                    key: key, ok: reply == .simple("OK"),
                    error: reply.map { $0.isError ? $0.errorText : nil } ?? failure,
                    at: .now)
                self.lock.withLock { self.outcomes.append(outcome) }
                if reply == nil { return }
                Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18)
            }
        }
    }

    public var snapshot: [Outcome] { self.lock.withLock { self.outcomes } }

    /// Stops and returns every outcome.
    public func stop() async -> [Outcome] {
        self.lock.withLock { self.stopping = true }
        while !self.lock.withLock({ self.finished }) { try? await Task.sleep(for: .milliseconds(5)) }
        return self.snapshot
    }
}

/// Names in /etc/hosts for tests of DNS re-resolution (glibc reads the file on every lookup).
/// Every name set is removed by `restore()`.
public final class HostsFile: @unchecked Sendable {
    private let path = "/etc/hosts"
    private let original: String
    private var names: Set<String> = []

    public init() throws {
        self.original = try String(contentsOfFile: self.path, encoding: .utf8)
    }

    /// Points `name` at `ip`, replacing an earlier line for it.
    public func set(_ name: String, to ip: String) throws {
        self.names.insert(name)
        let current = try String(contentsOfFile: self.path, encoding: .utf8)
        var lines = current.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeAll { $0.hasSuffix(" \(name)") }
        if lines.last == "" { lines.removeLast() }
        lines.append("\(ip) \(name)")
        try (lines.joined(separator: "\n") + "\n").write(toFile: self.path, atomically: false, encoding: .utf8)
    }

    public func restore() {
        try? self.original.write(toFile: self.path, atomically: false, encoding: .utf8)
    }
}

/// Client connections to `port`, each on a thread of its own, each running `body` until
/// stopped: the scaffolding of every load the tests generate.
public final class ClientThreads: @unchecked Sendable {
    private let lock = NSLock()
    private var stopping = false
    private var running: Int

    /// `body(client, index, stopping)` runs once per connection; it loops until `stopping()`.
    /// `cannotConnect(index)` is called instead when a connection cannot be made.
    public init(
        port: Int, connections: Int, cannotConnect: @escaping @Sendable (Int) -> Void,
        body: @escaping @Sendable (RedisTestClient, Int, () -> Bool) -> Void
    ) {
        self.running = connections
        for index in 0..<connections {
            Thread.detachNewThread {
                defer { self.lock.withLock { self.running -= 1 } }
                guard let client = try? RedisTestClient(port: port, timeoutSeconds: 30) else {
                    cannotConnect(index)
                    return
                }
                body(client, index, { self.lock.withLock { self.stopping } })
            }
        }
    }

    /// Asks every connection to stop and waits until all have.
    public func stop() async {
        self.lock.withLock { self.stopping = true }
        while self.lock.withLock({ self.running > 0 }) { try? await Task.sleep(for: .milliseconds(5)) }
    }
}

/// Pipelines through Porter on threads of their own: each connection sends `depth` commands at
/// a time (SETEX then GET of its own keys) and reads every reply, until stopped. Counts replies
/// and keeps the first error texts.
public final class PipelineLoad: @unchecked Sendable {
    private let lock = NSLock()
    private var replies = 0
    private var errors: [String] = []
    private var threads: ClientThreads?

    public init(port: Int, connections: Int = 4, depth: Int = 50, prefix: String = "pipeline") {
        self.threads = ClientThreads(
            port: port, connections: connections,
            cannotConnect: { _ in self.lock.withLock { self.errors.append("cannot connect") } }
        ) { client, c, stopping in
            var round = 0
            while !stopping() {
                round += 1
                var bytes: [UInt8] = []
                for i in 0..<depth {
                    let key = "\(prefix):\(c):\(i % 10)"
                    bytes +=
                        i % 2 == 0
                        ? RedisTestClient.encode(["SETEX", key, "600", "round-\(round)"])
                        : RedisTestClient.encode(["GET", key])
                }
                do {
                    try client.send(raw: bytes)
                    for _ in 0..<depth {
                        let reply = try client.readReply()
                        self.lock.withLock {
                            self.replies += 1
                            if reply.isError && self.errors.count < 20 { self.errors.append(reply.errorText) }
                        }
                    }
                } catch {
                    self.lock.withLock { self.errors.append("connection: \(error)") }
                    return
                }
            }
        }
    }

    public var replyCount: Int { self.lock.withLock { self.replies } }

    /// Stops and returns the replies counted and the errors seen.
    public func stop() async -> (replies: Int, errors: [String]) {
        await self.threads?.stop()
        return self.lock.withLock { (self.replies, self.errors) }
    }
}

/// Session traffic as a web tier makes it, on threads of their own: each connection alternates
/// `SET key value EX 3600` and `GET` of a key it wrote earlier, at a bounded rate, and keeps how
/// each command ended.
public final class SessionLoad: @unchecked Sendable {
    public struct Outcome: Sendable {
        public var write: Bool
        public var ok: Bool
        public var error: String?
        public var at: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var outcomes: [Outcome] = []
    private var threads: ClientThreads?

    /// - Parameter perSecond: commands per second per connection.
    public init(port: Int, connections: Int = 4, perSecond: Int = 500, prefix: String = "sess") {
        let pause = 1.0 / Double(max(1, perSecond))
        self.threads = ClientThreads(
            port: port, connections: connections,
            cannotConnect: { _ in
                self.lock.withLock {
                    self.outcomes.append(Outcome(write: false, ok: false, error: "cannot connect", at: .now))
                }
            }
        ) { client, c, stopping in
            var n = 0
            while !stopping() {
                n += 1
                let write = n % 2 == 1
                // Reads go to a key this connection wrote a few commands earlier.
                let key = "\(prefix):\(c):\(write ? n : Swift.max(1, n - 1 - 2 * (n % 7)))"
                let reply =
                    write
                    ? try? client.command("SET", key, "session-data-\(n)", "EX", "3600")
                    : try? client.command("GET", key)
                let ok = reply.map { !$0.isError } ?? false
                let outcome = Outcome(
                    write: write, ok: ok, error: ok ? nil : (reply?.errorText ?? "no reply"), at: .now)
                self.lock.withLock { self.outcomes.append(outcome) }
                if reply == nil { return }
                Thread.sleep(forTimeInterval: pause)
            }
        }
    }

    public var snapshot: [Outcome] { self.lock.withLock { self.outcomes } }

    /// Stops and returns every outcome.
    public func stop() async -> [Outcome] {
        await self.threads?.stop()
        return self.snapshot
    }
}

/// A TCP server that accepts connections and never answers (a node hung mid-handshake), and
/// counts the connections it accepted.
public final class SilentServer: @unchecked Sendable {
    public let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var accepted: [Int32] = []
    private var stopped = false

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw HarnessError.io("SilentServer: cannot listen")
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.fd = fd
        self.port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread {
            while true {
                let client = accept(self.fd, nil, nil)
                guard client >= 0 else { return }
                let keep = self.lock.withLock { () -> Bool in
                    if self.stopped { return false }
                    self.accepted.append(client)
                    return true
                }
                if !keep {
                    close(client)
                    return
                }
            }
        }
    }

    public var connections: Int { self.lock.withLock { self.accepted.count } }

    public func stop() {
        let open = self.lock.withLock { () -> [Int32] in
            self.stopped = true
            return self.accepted
        }
        for client in open { close(client) }
        shutdown(self.fd, Int32(SHUT_RDWR))
        close(self.fd)
    }
}

/// A Redis Cluster of `primaries` primaries with `replicasEach` replicas each, made with
/// `redis-cli --cluster create` on free ports (`cluster-node-timeout` 2000 ms, so a failover
/// takes 2–4 s), returned once every node says `cluster_state:ok` and every replica is in sync.
public final class ClusterTopology: @unchecked Sendable {
    public let nodes: [ServerProcess]

    init(nodes: [ServerProcess]) { self.nodes = nodes }

    public static func start(primaries: Int = 3, replicasEach: Int = 1) async throws -> ClusterTopology {
        var nodes: [ServerProcess] = []
        do {
            for _ in 0..<(primaries * (1 + replicasEach)) {
                nodes.append(
                    try await Harness.startRedis(
                        port: freeClusterPort(),
                        arguments: [
                            "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
                            "2000", "--repl-diskless-sync-delay", "0",
                        ]))
            }
            let create = try Harness.run(
                "redis-cli",
                ["--cluster", "create"] + nodes.map { "127.0.0.1:\($0.port)" } + [
                    "--cluster-replicas", "\(replicasEach)", "--cluster-yes",
                ])
            guard create.status == 0 else {
                throw HarnessError.notReady("redis-cli --cluster create: \(create.stdout)")
            }
            let topology = ClusterTopology(nodes: nodes)
            try await topology.waitUntilHealthy(replicas: replicasEach > 0)
            return topology
        } catch {
            for node in nodes { node.stop() }
            throw error
        }
    }

    /// Every live node says the cluster is ok, every live replica is linked to its primary, and
    /// `CLUSTER SLOTS` lists a replica for every slot range (the cluster announces replicas a
    /// few seconds after they link).
    /// After a primary died, its promoted replica has none: `replicas: false`.
    public func waitUntilHealthy(timeout: Duration = .seconds(30), replicas: Bool = true) async throws {
        try await Harness.waitUntil("the cluster to be ok", timeout: timeout) {
            guard let first = self.live.first,
                case .array(let ranges) = try RedisTestClient(port: first.port).command("CLUSTER", "SLOTS"),
                !ranges.isEmpty
            else { return false }
            for case .array(let range) in ranges where replicas && range.count < 4 { return false }
            for node in self.live {
                guard let info = try? RedisTestClient(port: node.port).command("CLUSTER", "INFO").string,
                    info.contains("cluster_state:ok")
                else { return false }
                if case .array(let role) = try RedisTestClient(port: node.port).command("ROLE"),
                    role.first?.string == "slave", role.count > 3, role[3].string != "connected"
                {
                    return false
                }
            }
            return true
        }
    }

    private var killed = Set<Int>()
    public var live: [ServerProcess] { self.nodes.filter { !self.killed.contains($0.port) } }

    /// The live primaries, by ROLE.
    public func primaries() throws -> [ServerProcess] {
        try self.live.filter {
            if case .array(let role) = try RedisTestClient(port: $0.port).command("ROLE") {
                return role.first?.string == "master"
            }
            return false
        }
    }

    /// A node's cluster id (`CLUSTER MYID`).
    public func id(_ node: ServerProcess) throws -> String {
        try RedisTestClient(port: node.port).command("CLUSTER", "MYID").string ?? ""
    }

    /// SIGKILL, as a crash would; the node stays dead.
    public func kill(_ node: ServerProcess) {
        node.kill()
        self.killed.insert(node.port)
    }

    public func stop() {
        for node in self.nodes { node.stop() }
    }
}

/// A datagram socket the test plays systemd on: a child started with `NOTIFY_SOCKET=path`
/// sends its sd_notify(3) messages here.
public final class FakeSystemd: @unchecked Sendable {
    public let path: String
    private let descriptor: Int32

    public init(path: String) throws {
        self.path = path
        self.descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            close(self.descriptor)
            throw HarnessError.io("cannot bind \(path): errno \(errno)")
        }
    }

    /// The next message, or nil when none comes within `seconds` (blocks its thread; 0: only
    /// a message already waiting).
    public func receive(seconds: Int = 30) -> String? {
        var wait = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(self.descriptor, &buffer, buffer.count, seconds == 0 ? Int32(MSG_DONTWAIT) : 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }

    /// Messages until one starts with `prefix` (that one last), or nil after `seconds` of silence.
    public func receive(until prefix: String, seconds: Int = 30) -> [String]? {
        var messages: [String] = []
        while let message = self.receive(seconds: seconds) {
            messages.append(message)
            if message.hasPrefix(prefix) { return messages }
        }
        return nil
    }

    deinit {
        close(self.descriptor)
        unlink(self.path)
    }
}
