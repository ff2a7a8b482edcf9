import Admin
import AdminAPI
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Prometheus
import Proxy
import ServiceLifecycle
import UnixSignals

/// Porter, built from a validated configuration. `@main` only parses arguments and calls
/// `run()`; tests call `start()` / `stop()` with port 0.
public final class PorterApplication: Sendable {
    public let proxy: ProxyServer
    public let monitor: Monitor
    /// The admin routes (tests drive them with HummingbirdTesting).
    public let admin: AdminServer
    let group: MultiThreadedEventLoopGroup
    let logger: Logger
    /// The file reloads read (nil: reloads are refused).
    let configPath: String?
    let environment: [String: String]
    let registry: PrometheusCollectorRegistry

    private struct State {
        var configuration: PorterConfiguration
        var adminServices: (group: ServiceGroup, task: Task<Void, Never>)? = nil
        var adminPort: Int? = nil
        /// Under `run()`: reloads tell systemd (RELOADING=1 … READY=1).
        var notifiesSystemd = false
    }
    private let state: NIOLockedValueBox<State>
    /// One reload at a time.
    private let reloading = ReloadQueue()

    /// The configuration in force (a reload replaces it).
    public var configuration: PorterConfiguration { self.state.withLockedValue { $0.configuration } }

    /// The admin server's port once it listens (tests bind port 0).
    public var adminPort: Int? { self.state.withLockedValue { $0.adminPort } }

    /// - Parameters:
    ///   - configPath: the file `reload()` (SIGHUP, `POST /v1/config/reload`) reads again.
    ///   - metricsFactory: where metrics go; by default a Prometheus registry served on /metrics.
    public init(
        configuration: PorterConfiguration, logger: Logger, configPath: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        metricsFactory: (any MetricsFactory)? = nil,
        logLinesDropped: @escaping @Sendable () -> Int = { 0 }
    ) throws {
        let migration = try configuration.migration?.settings()
        self.state = NIOLockedValueBox(State(configuration: configuration))
        self.logger = logger
        self.configPath = configPath
        self.environment = environment
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        self.proxy = ProxyServer(
            configuration: configuration.proxy, group: self.group, logger: logger, migration: migration)
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.monitor = Monitor(
            proxy: self.proxy, metricsFactory: metricsFactory ?? PrometheusMetricsFactory(registry: registry),
            interval: configuration.admin.sampleInterval, readyWithoutPrimary: configuration.admin.readyWithoutPrimary,
            readyRequiresEveryShard: configuration.admin.readyRequiresEveryShard,
            configPath: configPath, logLinesDropped: logLinesDropped)
        let reload = ReloadBox()
        self.admin = AdminServer(
            configuration: configuration.admin, monitor: self.monitor, registryText: { registry.emitToString() },
            reload: { await reload.application?.reload() ?? ReloadOutcome(applied: false, error: "Porter is stopping") }
        )
        reload.application = self
    }

    /// The Hummingbird application of the admin server; it records its port once bound.
    private func makeAdminApplication(onRunning: @escaping @Sendable (Int) -> Void = { _ in })
        -> some ApplicationProtocol
    {
        self.admin.makeApplication(logger: self.logger) { port in
            self.state.withLockedValue { $0.adminPort = port }
            self.logger.info(
                "admin server listening",
                metadata: [
                    "address": "\(self.admin.configuration.unixPath.map { "unix:\($0)" } ?? "\(self.admin.configuration.host):\(port)")"
                ])
            onRunning(port)
        }
    }

    /// Starts listening (the proxy, then the admin server and the sampler); returns the proxy's
    /// bound addresses. For tests and embedding; `run()` runs the same parts as services.
    @discardableResult
    public func start() async throws -> [SocketAddress] {
        let bound = try await self.proxy.start()
        guard self.configuration.admin.enabled else { return bound }
        let (stream, port) = AsyncStream.makeStream(of: Int.self)
        let application = self.makeAdminApplication { port.yield($0) }
        let services = ServiceGroup(
            configuration: .init(
                services: [.init(service: application), .init(service: MonitorService(monitor: self.monitor))],
                logger: self.logger))
        let task = Task {
            do {
                try await services.run()
            } catch {
                self.logger.error("admin server stopped", metadata: ["error": "\(error)"])
            }
            port.finish()
        }
        self.state.withLockedValue { $0.adminServices = (services, task) }
        var iterator = stream.makeAsyncIterator()
        guard await iterator.next() != nil else {
            await self.stop()
            let admin = self.configuration.admin
            throw AdminStartError(address: "\(admin.host):\(admin.port)")
        }
        return bound
    }

    /// Drains clients, closes upstreams, stops the admin server and the threads.
    public func stop() async {
        await self.proxy.shutdown()
        let admin = self.state.withLockedValue { state in
            defer { state.adminServices = nil }
            return state.adminServices
        }
        if let admin {
            await admin.group.triggerGracefulShutdown()
            await admin.task.value
        }
        try? await self.group.shutdownGracefully()
    }

    /// Runs until SIGTERM or SIGINT, then drains and stops. One ServiceGroup holds the proxy,
    /// the admin server (Hummingbird), the sampler, and the SIGHUP reloader; on shutdown they stop
    /// in reverse order, the proxy last, after draining its clients.
    ///
    /// With `takeover`, the listening sockets and then the clients come from the Porter running
    /// with the same `shutdown.takeover_socket`, which exits (`Takeover.swift`).
    /// `upgrade`: what SIGUSR2 starts to take over (nil: SIGUSR2 does nothing).
    public func run(takeover: Bool = false, upgrade: (executable: String, arguments: [String])? = nil) async throws {
        // Trapped before the proxy listens: until the services run, SIGTERM would end the process
        // without a drain and SIGHUP without a reload (signals sent as soon as the port answered
        // did, in tests under load); now they wait for their service.
        let stops = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let upgrades = await UnixSignalsSequence(trapping: .sigusr2)
        let predecessor = takeover ? try await self.contactPredecessor() : nil
        let inherited = predecessor?.1 ?? []
        // Listen first: a bind failure (or no sentinel answering) ends here with the address
        // named, before any other part starts and has to be stopped.
        do {
            try await self.proxy.start(inheriting: inherited)
        } catch {
            try? predecessor?.0.send(TakeoverMessage(error: "the new process did not start: \(error)"))
            for listener in inherited { close(listener.descriptor) }
            try? await self.group.shutdownGracefully()
            throw error
        }
        // A socket for an address this configuration no longer has closes with the old process.
        let proxy = self.configuration.proxy
        let configured = proxy.listen.map { ("\($0)", false) } + (proxy.clientTLS?.listen ?? []).map { ("\($0)", true) }
        for listener in inherited where !configured.contains(where: { $0 == (listener.address, listener.tls) }) {
            self.logger.warning("takeover: not listening on \(listener.address) any more")
            close(listener.descriptor)
        }
        if let (peer, _) = predecessor { try await self.takeOver(from: peer) }
        self.state.withLockedValue { $0.notifiesSystemd = true }
        SystemdNotify.send(
            "READY=1\nSTATUS=listening on \(configured.map(\.0).joined(separator: ", "))", environment: self.environment)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: ProxyService(application: self))
        ]
        if self.configuration.admin.enabled {
            services.append(.init(service: self.makeAdminApplication()))
            services.append(.init(service: MonitorService(monitor: self.monitor)))
        }
        services.append(.init(service: ReloadOnHangup(application: self, signals: hangups)))
        if let interval = SystemdNotify.watchdogInterval(environment: self.environment) {
            services.append(.init(service: WatchdogService(proxy: self.proxy, interval: interval, environment: self.environment)))
        }
        if let path = self.configuration.takeoverSocket {
            if let upgrade {
                services.append(.init(service: UpgradeOnSignal(application: self, command: upgrade, signals: upgrades)))
            }
            services.append(
                .init(
                    service: TakeoverService(application: self, path: path),
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup))
        }
        let serviceGroup = ServiceGroup(configuration: .init(services: services, logger: self.logger))
        let stopping = Task {
            for await _ in stops {
                await serviceGroup.triggerGracefulShutdown()
                break
            }
        }
        defer { stopping.cancel() }
        do {
            try await serviceGroup.run()
        } catch {
            try? await self.group.shutdownGracefully()
            let admin = self.configuration.admin
            if admin.enabled && self.adminPort == nil {
                throw AdminStartError(address: "\(admin.host):\(admin.port)", reason: "\(error)")
            }
            throw error
        }
        try? await self.group.shutdownGracefully()
    }

    /// Reads the config file again and applies it: nodes added and removed, pools, health
    /// settings, read policies and write settings, without dropping a client. A file that does
    /// not parse or validate is refused with the reason, and the running configuration stays.
    public func reload() async -> ReloadOutcome {
        await self.reloading.run {
            let notify = self.state.withLockedValue { $0.notifiesSystemd }
            if notify { SystemdNotify.reloading(environment: self.environment) }
            let outcome = await self.reloadNow()
            if notify {
                let status = outcome.applied ? "configuration reloaded" : "configuration reload refused"
                SystemdNotify.send("READY=1\nSTATUS=\(status)", environment: self.environment)
            }
            await self.monitor.noteReload(outcome)
            if outcome.applied {
                self.logger.info(
                    "configuration reloaded",
                    metadata: [
                        "changes": "\(outcome.changes.joined(separator: "; "))",
                        "restart_required": "\(outcome.restartRequired.joined(separator: ", "))",
                    ])
            } else {
                self.logger.error("configuration reload refused", metadata: ["error": "\(outcome.error ?? "")"])
            }
            return outcome
        }
    }

    private func reloadNow() async -> ReloadOutcome {
        guard let path = self.configPath else {
            return ReloadOutcome(applied: false, error: "Porter was started without a config file to reload")
        }
        let new: PorterConfiguration
        do {
            new = try PorterConfiguration.load(path: path, environment: self.environment)
        } catch {
            return ReloadOutcome(applied: false, error: "\(path): \(error)")
        }
        let old = self.configuration
        var applied = new
        let (changes, restartRequired) = ConfigurationDiff.compare(old, new)
        // What needs a restart keeps its running value, so the configuration reported stays true.
        applied.proxy.listen = old.proxy.listen
        applied.threads = old.threads
        applied.admin = old.admin
        applied.log = old.log
        applied.takeoverSocket = old.takeoverSocket
        for (index, group) in applied.proxy.groups.enumerated() where index < old.proxy.groups.count {
            if group.sentinel != old.proxy.groups[index].sentinel {
                applied.proxy.groups[index] = old.proxy.groups[index]
            }
        }
        await self.proxy.apply(applied.proxy)
        self.state.withLockedValue { $0.configuration = applied }
        return ReloadOutcome(applied: true, changes: changes, restartRequired: restartRequired)
    }
}

public struct AdminStartError: Error, CustomStringConvertible {
    public let address: String
    public var reason: String? = nil
    public var description: String {
        "cannot start the admin server on \(self.address)" + (self.reason.map { ": \($0)" } ?? "")
    }
}

/// Runs reloads one after another.
actor ReloadQueue {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        while self.busy {
            await withCheckedContinuation { self.waiters.append($0) }
        }
        self.busy = true
        let result = await body()
        self.busy = false
        if !self.waiters.isEmpty { self.waiters.removeFirst().resume() }
        return result
    }
}

/// Lets the admin server's reload hook reach the application that owns the admin server (weak:
/// the application owns the hook).
final class ReloadBox: Sendable {
    private struct Weak {
        weak var application: PorterApplication?
    }
    private let box = NIOLockedValueBox(Weak())

    var application: PorterApplication? {
        get { self.box.withLockedValue { $0.application } }
        set { self.box.withLockedValue { $0.application = newValue } }
    }
}

/// The proxy as a lifecycle service: start, wait for the shutdown signal, drain.
struct ProxyService: Service {
    let application: PorterApplication

    /// The proxy is listening already (`run()` starts it first).
    func run() async throws {
        try? await gracefulShutdown()
        SystemdNotify.send("STOPPING=1\nSTATUS=draining clients", environment: self.application.environment)
        self.application.logger.info("shutting down: draining clients")
        await self.application.proxy.shutdown()
    }
}

/// Samples the proxy's counters every `admin.sample_interval` until shutdown.
struct MonitorService: Service {
    let monitor: Monitor

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.monitor.run() }
    }
}

/// SIGHUP reloads the configuration file, as twemproxy users have long asked.
struct ReloadOnHangup: Service {
    let application: PorterApplication
    let signals: UnixSignalsSequence

    func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in self.signals.cancelOnGracefulShutdown() {
                self.application.logger.info("SIGHUP: reloading the configuration")
                _ = await self.application.reload()
            }
        } onGracefulShutdown: {
        }
    }
}

/// Makes the process-wide logger from the log configuration.
public func makeLogger(_ configuration: LogConfiguration) -> (Logger, LogSink) {
    let sink = LogSink(configuration: configuration)
    let level = Logger.Level(rawValue: configuration.level) ?? .info
    let logger = Logger(label: "porter") { label in
        PorterLogHandler(label: label, sink: sink, format: configuration.format, level: level)
    }
    return (logger, sink)
}
