import NIOCore
import NIOPosix

/// What went wrong talking to Memcached.
public struct MemcachedError: Error, CustomStringConvertible, Sendable {
    public enum Code: Sendable { case invalidKey, unreachable, timeout, protocolError, server }
    public let code: Code
    public let message: String
    public var description: String { self.message }
}

public struct MemcachedConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var connectTimeout: TimeAmount = .milliseconds(250)
    public var commandTimeout: TimeAmount = .milliseconds(500)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// One pipelined connection to a Memcached server, on one event loop (use it only there):
/// commands are written as they come and matched to responses in order. It connects on first
/// use and again after a failure; a command not answered within `commandTimeout` fails, with
/// everything behind it, and the connection is made again (as Porter's Redis connections do).
public final class MemcachedConnection {
    public let configuration: MemcachedConfiguration
    public let eventLoop: EventLoop
    private var channel: Channel?
    private var connecting: EventLoopFuture<Channel>?
    private var pending: CircularBuffer<(promise: EventLoopPromise<MemcachedResponse>, deadline: NIODeadline)> = []
    private var timer: Scheduled<Void>?

    public init(configuration: MemcachedConfiguration, eventLoop: EventLoop) {
        self.configuration = configuration
        self.eventLoop = eventLoop
    }

    /// The value stored under `key`, nil on a miss.
    public func get(_ key: [UInt8]) -> EventLoopFuture<[UInt8]?> {
        self.fetch(key).map { $0?.data }
    }

    /// The value and its flags (clients such as php-memcached record the value's type and
    /// compression there).
    public func fetch(_ key: [UInt8]) -> EventLoopFuture<MemcachedValue?> {
        guard MemcachedKey.isValid(key) else { return self.invalid(key) }
        var request = ByteBuffer()
        MemcachedRequest.get(key, into: &request)
        return self.send(request).flatMapThrowing { response in
            guard case .values(let values) = response else { throw Self.unexpected(response) }
            return values.first(where: { $0.key == key })
        }
    }

    /// Stores `value` under `key` for `expiry` seconds (0: no expiry).
    public func set(_ key: [UInt8], _ value: [UInt8], expiry: Int, flags: UInt32 = 0) -> EventLoopFuture<Void> {
        guard MemcachedKey.isValid(key) else { return self.invalid(key) }
        var request = ByteBuffer()
        MemcachedRequest.set(key, value, flags: flags, expiry: expiry, into: &request)
        return self.send(request).flatMapThrowing { response in
            guard response == .stored else { throw Self.unexpected(response) }
        }
    }

    /// Deletes `key`; true when it was there.
    public func delete(_ key: [UInt8]) -> EventLoopFuture<Bool> {
        guard MemcachedKey.isValid(key) else { return self.invalid(key) }
        var request = ByteBuffer()
        MemcachedRequest.delete(key, into: &request)
        return self.send(request).flatMapThrowing { response in
            switch response {
            case .deleted: return true
            case .notFound: return false
            default: throw Self.unexpected(response)
            }
        }
    }

    /// Sets a new expiry on `key`; true when it was there.
    public func touch(_ key: [UInt8], expiry: Int) -> EventLoopFuture<Bool> {
        guard MemcachedKey.isValid(key) else { return self.invalid(key) }
        var request = ByteBuffer()
        MemcachedRequest.touch(key, expiry: expiry, into: &request)
        return self.send(request).flatMapThrowing { response in
            switch response {
            case .touched: return true
            case .notFound: return false
            default: throw Self.unexpected(response)
            }
        }
    }

    public func close() {
        self.timer?.cancel()
        self.channel?.close(promise: nil)
        self.channel = nil
        self.failAll(MemcachedError(code: .unreachable, message: "the connection was closed"))
    }

    // MARK: Internals

    private func invalid<T>(_ key: [UInt8]) -> EventLoopFuture<T> {
        // The key is not echoed: it holds a session id.
        self.eventLoop.makeFailedFuture(
            MemcachedError(
                code: .invalidKey, message: "a Memcached key must be 1–250 bytes without spaces or control characters"))
    }

    static func unexpected(_ response: MemcachedResponse) -> MemcachedError {
        if case .error(let line) = response { return MemcachedError(code: .server, message: "memcached: \(line)") }
        return MemcachedError(code: .protocolError, message: "memcached gave an unexpected answer (\(response.kind))")
    }

    private var address: String { "\(self.configuration.host):\(self.configuration.port)" }

    private func send(_ request: ByteBuffer) -> EventLoopFuture<MemcachedResponse> {
        self.eventLoop.preconditionInEventLoop()
        let promise = self.eventLoop.makePromise(of: MemcachedResponse.self)
        let deadline = NIODeadline.now() + self.configuration.commandTimeout
        self.pending.append((promise, deadline))
        self.armTimer()
        if let channel = self.channel {
            channel.writeAndFlush(request, promise: nil)
        } else {
            self.connect().whenComplete { result in
                switch result {
                case .success(let channel): channel.writeAndFlush(request, promise: nil)
                case .failure: break  // pending commands were failed with the reason
                }
            }
        }
        return promise.futureResult
    }

    private func connect() -> EventLoopFuture<Channel> {
        if let connecting = self.connecting { return connecting }
        // The channel is on this connection's loop: the initializer runs there.
        let bound = NIOLoopBound(self, eventLoop: self.eventLoop)
        let future = ClientBootstrap(group: self.eventLoop)
            .connectTimeout(self.configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(MemcachedChannelHandler(connection: bound.value))
                }
            }
            .connect(host: self.configuration.host, port: self.configuration.port)
        self.connecting = future
        future.assumeIsolated().whenComplete { result in
            self.connecting = nil
            switch result {
            case .success(let channel):
                self.channel = channel
            case .failure(let error):
                self.failAll(
                    MemcachedError(code: .unreachable, message: "memcached \(self.address) is unreachable (\(error))"))
            }
        }
        return future
    }

    fileprivate func received(_ response: MemcachedResponse) {
        guard let (promise, _) = self.pending.popFirst() else { return }
        promise.succeed(response)
        if self.pending.isEmpty {
            self.timer?.cancel()
            self.timer = nil
        }
    }

    fileprivate func connectionFailed(_ error: MemcachedError) {
        self.channel = nil
        self.failAll(error)
    }

    private func failAll(_ error: MemcachedError) {
        while let (promise, _) = self.pending.popFirst() { promise.fail(error) }
        self.timer?.cancel()
        self.timer = nil
    }

    private func armTimer() {
        guard self.timer == nil, let first = self.pending.first else { return }
        self.timer = self.eventLoop.assumeIsolated().scheduleTask(deadline: first.deadline) { [weak self] in
            guard let self else { return }
            self.timer = nil
            guard let oldest = self.pending.first else { return }
            if oldest.deadline <= .now() {
                let ms = self.configuration.commandTimeout.nanoseconds / 1_000_000
                let channel = self.channel
                self.channel = nil
                self.failAll(
                    MemcachedError(code: .timeout, message: "memcached \(self.address) did not answer within \(ms)ms"))
                channel?.close(promise: nil)
            } else {
                self.armTimer()
            }
        }
    }
}

/// Decodes the connection's responses and hands them, in order, to its `MemcachedConnection`.
final class MemcachedChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: MemcachedConnection
    private let processor = NIOSingleStepByteToMessageProcessor(MemcachedResponseDecoder())

    init(connection: MemcachedConnection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try self.processor.process(buffer: self.unwrapInboundIn(data)) { self.connection.received($0) }
        } catch {
            self.connection.connectionFailed(MemcachedError(code: .protocolError, message: "memcached: \(error)"))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.connection.connectionFailed(MemcachedError(code: .unreachable, message: "memcached closed the connection"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
