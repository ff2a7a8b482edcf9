import Admin
import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// `porter status`: the topology and key rates from the admin API, for a terminal.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print groups, nodes and traffic from a running Porter's admin API.")

    @Option(name: .long, help: "The admin server, host:port.")
    var admin: String = "127.0.0.1:9180"

    @Flag(name: .long, help: "Print the admin API's JSON as it came.")
    var json = false

    func run() async throws {
        let parts = self.admin.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else {
            throw ValidationError("--admin must be host:port, got '\(self.admin)'")
        }
        let body: ByteBuffer
        do {
            body = try await HTTPGet.fetch(host: String(parts[0]), port: port, path: "/v1/topology")
        } catch {
            FileHandle.standardError.write(
                "porter: cannot reach the admin API at \(self.admin): \(error)\n".data(using: .utf8)!)
            throw ExitCode(1)
        }
        if self.json {
            print(String(buffer: body))
            return
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let status = try decoder.decode(PorterStatus.self, from: Data(body.readableBytesView))
        print(StatusText.render(status))
    }
}

enum StatusText {
    static func number(_ value: Double?, digits: Int = 0) -> String {
        guard let value else { return "-" }
        return String(format: "%.\(digits)f", value)
    }

    static func render(_ s: PorterStatus) -> String {
        var out: [String] = []
        out.append(
            "Porter \(s.ready ? "ready" : "NOT READY: \(s.readyReason ?? "")") · up \(number(s.uptimeSeconds)) s · topology v\(s.version)"
        )
        let t = s.traffic
        out.append(
            "clients \(s.clients.connected) (accepted \(s.clients.accepted), rejected \(s.clients.rejected)) · \(number(t.opsPerSecond)) ops/s · \(number(t.errorsPerSecond, digits: 1)) errors/s"
        )
        out.append(
            "p99 read \(number(t.p99Milliseconds["read"], digits: 2)) ms · write \(number(t.p99Milliseconds["write"], digits: 2)) ms · retries \(t.retries) · held writes \(t.heldWrites) · unconfirmed \(t.unconfirmedWrites) · upstream errors \(t.upstreamErrors)"
        )
        for group in s.groups {
            out.append("")
            let slots = group.slots.map { ", slots \($0)" } ?? ""
            out.append("group \(group.name) (failovers followed: \(group.failovers)\(slots))")
            let header = [
                "NODE", "CONFIGURED", "REPORTS", "HEALTH", "READS", "OPS/S", "P99 MS", "IN FLIGHT", "LAG", "EJECTED",
                "LAST ERROR",
            ]
            var rows = [header]
            for n in group.nodes {
                rows.append([
                    n.address, n.configuredRole, n.role, n.health, n.readable ? "yes" : "no", number(n.opsPerSecond),
                    number(n.p99Milliseconds, digits: 2), "\(n.inFlight)", n.lagBytes.map { "\($0)" } ?? "-",
                    "\(n.ejections)", n.lastError ?? "",
                ])
            }
            let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                out.append(
                    row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                        .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }
        out.append("")
        out.append(
            "config \(s.config.path ?? "-") · reloads \(s.config.reloads) · refused \(s.config.reloadsRefused)\(s.config.lastReloadError.map { " (last: \($0))" } ?? "") · log lines dropped \(s.logLinesDropped)"
        )
        return out.joined(separator: "\n")
    }
}

/// A plain HTTP/1.0 GET: the admin API is on localhost, and this keeps the command line free of
/// an HTTP client library.
enum HTTPGet {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        var received = ByteBuffer()
        let done: EventLoopPromise<ByteBuffer>

        init(done: EventLoopPromise<ByteBuffer>) { self.done = done }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = self.unwrapInboundIn(data)
            self.received.writeBuffer(&buffer)
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.done.succeed(self.received)
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            self.done.fail(error)
            context.close(promise: nil)
        }
    }

    /// A GET that must answer 200; its body.
    static func fetch(host: String, port: Int, path: String) async throws -> ByteBuffer {
        let (status, head, body) = try await Self.send(host: host, port: port, method: "GET", path: path)
        guard status == 200 else { throw Failure(description: head) }
        return body
    }

    /// One request; the status code, the status line and the body.
    static func send(
        host: String, port: Int, method: String, path: String, token: String? = nil, body: String? = nil
    ) async throws -> (status: Int, head: String, body: ByteBuffer) {
        let group = MultiThreadedEventLoopGroup.singleton
        let done = group.next().makePromise(of: ByteBuffer.self)
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(2))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Collector(done: done))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            done.fail(error)
            throw error
        }
        var request = "\(method) \(path) HTTP/1.0\r\nHost: \(host)\r\nConnection: close\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        if let body {
            request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            request += "\r\n"
        }
        try await channel.writeAndFlush(ByteBuffer(string: request)).get()
        channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
        var response = try await done.futureResult.get()
        let text = response.readableBytesView
        guard let split = text.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw Failure(description: "no HTTP response")
        }
        let head = String(decoding: text[text.startIndex..<split.lowerBound], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n").first.map(String.init) ?? "bad response"
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: statusLine) }
        response.moveReaderIndex(to: split.upperBound)
        return (status, statusLine, response)
    }
}
