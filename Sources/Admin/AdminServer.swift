import Access
import AdminAPI
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import Migration
import NIOCore
import NIOSSL
import Proxy
import RESP

/// The admin server's settings (`admin` in porter.yaml).
public struct AdminConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 9180
    /// Bearer token for the endpoints that change something (`admin.token`, or the environment's
    /// PORTER_ADMIN_TOKEN). Without one, those endpoints are refused; SIGHUP still reloads.
    public var token: String? = nil
    /// A declared degraded mode: a group whose primary is down but whose replicas serve reads
    /// counts as ready (`admin.ready_without_primary`).
    public var readyWithoutPrimary = false
    /// With several groups, one without a primary makes Porter degraded (still ready: the other
    /// shards' keys work); with this, any group without one makes it not ready
    /// (`admin.ready_requires_every_shard`).
    public var readyRequiresEveryShard = false
    /// `/metrics`, `/v1/topology`, `/v1/migration` (GET) need the token too
    /// (`admin.protect_reads`); `/healthz`, `/readyz` and the console page never do.
    public var protectReads = false
    /// Listen on this unix socket instead of TCP (`admin.listen: unix:/path`), made with
    /// `socketMode` permissions (`admin.socket_mode`, default 0600: the owner only).
    public var unixPath: String? = nil
    public var socketMode: Int = 0o600
    /// HTTPS instead of HTTP (`admin.tls: { cert_file, key_file }`; checked when read).
    public var tlsCertFile: String? = nil
    public var tlsKeyFile: String? = nil
    /// How often the console's rates and the metrics are sampled (`admin.sample_interval`).
    public var sampleInterval: Duration = .seconds(1)
    public var enabled = true

    public init() {}
}

/// The routes, on Hummingbird. `makeRouter` is separate so HummingbirdTesting can drive it.
public struct AdminServer: Sendable {
    public let configuration: AdminConfiguration
    public let monitor: Monitor
    /// Re-reads and applies the config file (PorterApp's reload).
    let reload: @Sendable () async -> ReloadOutcome
    /// The Prometheus registry's text (counters and gauges exported through swift-metrics).
    let registryText: @Sendable () -> String
    /// Wrong tokens are answered slowly (all of them count as one source: guessing is serial).
    let tokenLimiter = FailedAuthLimiter()

    public init(
        configuration: AdminConfiguration, monitor: Monitor, registryText: @escaping @Sendable () -> String,
        reload: @escaping @Sendable () async -> ReloadOutcome
    ) {
        self.configuration = configuration
        self.monitor = monitor
        self.registryText = registryText
        self.reload = reload
    }

    static func jsonResponse<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? AdminJSON.encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func textResponse(
        _ text: String, status: HTTPResponse.Status = .ok, type: String = "text/plain; charset=utf-8"
    )
        -> Response
    {
        Response(
            status: status, headers: [.contentType: type, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    struct Problem: Encodable {
        var error: String
    }

    /// `refusal(_:)` for the read endpoints, when `admin.protect_reads` asks for it.
    func readRefusal(_ request: Request) async -> Response? {
        guard self.configuration.protectReads else { return nil }
        return await self.refusal(request)
    }

    /// Checks `Authorization: Bearer <token>` in constant time. Nil when allowed. A wrong token
    /// is answered after a delay that grows with the failures (`FailedAuthLimiter`).
    func refusal(_ request: Request) async -> Response? {
        guard let response = self.tokenRefusal(request) else { return nil }
        if response.status == .unauthorized {
            let wait = self.tokenLimiter.failed(
                source: "admin", connectionFailures: 1, now: UInt64(NIODeadline.now().uptimeNanoseconds))
            try? await Task.sleep(nanoseconds: wait)
        }
        return response
    }

    func tokenRefusal(_ request: Request) -> Response? {
        guard let expected = self.configuration.token else {
            return Self.jsonResponse(
                Problem(
                    error: "no admin token is configured: set admin.token or PORTER_ADMIN_TOKEN to enable this endpoint"
                ),
                status: .forbidden)
        }
        let header = Array((request.headers[.authorization] ?? "").utf8)
        // The scheme is case-insensitive (RFC 9110); the token is not.
        let scheme = Array("bearer ".utf8)
        guard header.count > scheme.count,
            header.prefix(scheme.count).map({ $0 | 0x20 }) == scheme,
            constantTimeEquals(header.dropFirst(scheme.count), Array(expected.utf8))
        else {
            var response = Self.jsonResponse(
                Problem(error: "this endpoint needs 'Authorization: Bearer <admin token>'"), status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return nil
    }

    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let monitor = self.monitor
        router.get("/healthz") { _, _ in
            Self.textResponse("ok\n")
        }
        router.get("/readyz") { _, _ in
            let (ready, reason) = await monitor.readiness()
            return ready
                ? Self.textResponse(reason.map { "ready, \($0)\n" } ?? "ready\n")
                : Self.textResponse("not ready: \(reason ?? "unknown")\n", status: .serviceUnavailable)
        }
        router.get("/metrics") { request, _ in
            if let refusal = await self.readRefusal(request) { return refusal }
            let text = await monitor.prometheusText(registryText: self.registryText)
            return Self.textResponse(text, type: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/v1/topology") { request, _ in
            if let refusal = await self.readRefusal(request) { return refusal }
            return Self.jsonResponse(await monitor.status())
        }
        router.post("/v1/config/reload") { request, _ in
            if let refusal = await self.refusal(request) { return refusal }
            let outcome = await self.reload()
            return Self.jsonResponse(outcome, status: outcome.applied ? .ok : .unprocessableContent)
        }
        router.get("/v1/migration") { request, _ in
            if let refusal = await self.readRefusal(request) { return refusal }
            guard let status = await monitor.proxy.migrationStatus() else {
                return Self.jsonResponse(Problem(error: "no migration is configured"), status: .notFound)
            }
            return Self.jsonResponse(status)
        }
        router.put("/v1/migration") { request, _ in
            if let refusal = await self.refusal(request) { return refusal }
            return await self.turnDial(request)
        }
        router.post("/v1/migration/backfill") { request, _ in
            if let refusal = await self.refusal(request) { return refusal }
            struct Start: Decodable {
                var rate: Int?
                var restart: Bool?
            }
            let body = try? await request.body.collect(upTo: 4096)
            let start = body.flatMap { try? JSONDecoder().decode(Start.self, from: Data(buffer: $0)) } ?? Start()
            do {
                let status = try await monitor.proxy.startBackfill(rate: start.rate, restart: start.restart ?? false)
                return Self.jsonResponse(status)
            } catch {
                return Self.jsonResponse(Problem(error: "\(error)"), status: .conflict)
            }
        }
        router.delete("/v1/migration/backfill") { request, _ in
            if let refusal = await self.refusal(request) { return refusal }
            guard let status = await monitor.proxy.stopBackfill() else {
                return Self.jsonResponse(Problem(error: "no backfill has run"), status: .notFound)
            }
            return Self.jsonResponse(status)
        }
        router.get("/") { _, _ in
            Self.textResponse(Console.html, type: "text/html; charset=utf-8")
        }
        return router
    }

    /// `PUT /v1/migration` with `{"stage":"shadow","percent":50}` (and `"force":true` to take
    /// a turn `DialTransition` refuses).
    func turnDial(_ request: Request) async -> Response {
        struct Turn: Decodable {
            var stage: String
            var percent: Double?
            var force: Bool?
        }
        guard let body = try? await request.body.collect(upTo: 4096),
            let turn = try? JSONDecoder().decode(Turn.self, from: Data(buffer: body))
        else {
            return Self.jsonResponse(
                Problem(error: "expected JSON {\"stage\": \"shadow\", \"percent\": 50}"), status: .badRequest)
        }
        guard let stage = MigrationStage(rawValue: turn.stage) else {
            let stages = MigrationStage.allCases.map(\.rawValue).joined(separator: ", ")
            return Self.jsonResponse(Problem(error: "unknown stage; one of \(stages)"), status: .badRequest)
        }
        let percent = turn.percent ?? 100
        guard (0...100).contains(percent) else {
            return Self.jsonResponse(Problem(error: "percent must be from 0 to 100"), status: .badRequest)
        }
        do {
            let status = try await self.monitor.proxy.setMigrationDial(
                MigrationDial(stage: stage, percent: percent), force: turn.force ?? false)
            return Self.jsonResponse(status)
        } catch {
            let notConfigured = (error as? MigrationDialError)?.message == "no migration is configured"
            return Self.jsonResponse(Problem(error: "\(error)"), status: notConfigured ? .notFound : .conflict)
        }
    }

    /// HTTPS with `admin.tls` (its files were tried when the configuration was read).
    func httpsServer() throws -> HTTPServerBuilder? {
        guard let cert = self.configuration.tlsCertFile, let key = self.configuration.tlsKeyFile else { return nil }
        let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
        let privateKey = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        return try HTTPServerBuilder.tls(
            tlsConfiguration: TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: privateKey))
    }

    /// The Hummingbird application, bound to `admin`. `onRunning` gets the bound port.
    ///
    /// It runs on NIO's singleton event loop group, not the proxy's: Hummingbird finishes its
    /// graceful shutdown on its loops after `run()` returns (its quiescing helper fails a promise
    /// when released), and on the proxy's group, already shut down by then, that was a task
    /// scheduled on a closed loop (a crash under `SWIFTNIO_STRICT`, and in later NIO versions).
    public func makeApplication(
        logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let unix = self.configuration.unixPath.map { ($0, self.configuration.socketMode) }
        if let (path, _) = unix {
            // A socket left by an earlier run (nothing else: a regular file there stays, and the bind fails).
            var info = stat()
            if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK { unlink(path) }
        }
        let server = (try? self.httpsServer()) ?? .http1()
        return Application(
            router: self.makeRouter(),
            server: server,
            configuration: .init(
                address: self.configuration.unixPath.map { .unixDomainSocket(path: $0) }
                    ?? .hostname(self.configuration.host, port: self.configuration.port),
                serverName: "Porter"),
            onServerRunning: { channel in
                if let (path, mode) = unix { chmod(path, mode_t(mode)) }
                await onRunning(channel.localAddress?.port ?? 0)
            },
            eventLoopGroupProvider: .singleton, logger: logger)
    }
}
