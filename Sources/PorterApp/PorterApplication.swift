import Logging
import NIOCore
import NIOPosix
import Proxy
import ServiceLifecycle

/// Porter, built from a validated configuration. `@main` only parses arguments and calls
/// `run()`; tests call `start()` / `stop()` with port 0.
public final class PorterApplication: Sendable {
    public let configuration: PorterConfiguration
    public let proxy: ProxyServer
    let group: MultiThreadedEventLoopGroup
    let logger: Logger

    public init(configuration: PorterConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        self.proxy = ProxyServer(configuration: configuration.proxy, group: self.group, logger: logger)
    }

    /// Starts listening; returns the bound addresses.
    @discardableResult
    public func start() async throws -> [SocketAddress] {
        try await self.proxy.start()
    }

    /// Drains clients, closes upstreams, stops the threads.
    public func stop() async {
        await self.proxy.shutdown()
        try? await self.group.shutdownGracefully()
    }

    /// Runs until SIGTERM or SIGINT, then drains and stops.
    public func run() async throws {
        let service = ProxyService(application: self)
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: self.logger
            ))
        try await serviceGroup.run()
    }
}

/// The proxy as a lifecycle service: start, wait for the shutdown signal, drain.
struct ProxyService: Service {
    let application: PorterApplication

    func run() async throws {
        try await self.application.start()
        try? await gracefulShutdown()
        self.application.logger.info("shutting down: draining clients")
        await self.application.stop()
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
