import Access
import Logging
import NIOCore
import NIOEmbedded
import RESP
import Testing
import Topology

@testable import Proxy

/// The session handler in an `EmbeddedChannel` (swift-nio's own style): bytes in, bytes out,
/// no sockets. What needs no upstream is checked here: pipelining and reply order, Redis'
/// errors, AUTH, protocol errors closing the connection, and the error with no group.
@Suite("ClientSession in an EmbeddedChannel")
struct ClientSessionTests {
    func channel(_ configure: (inout ProxyConfiguration) -> Void = { _ in }) throws -> EmbeddedChannel {
        var configuration = ProxyConfiguration()
        configure(&configuration)
        let channel = EmbeddedChannel()
        let loop = LoopUpstreams(
            eventLoop: channel.eventLoop, configuration: configuration, logger: Logger(label: "test"),
            topology: TopologySnapshot(version: 0, groups: []), healthChecker: nil)
        try channel.pipeline.syncOperations.addHandler(ClientSession(loop: loop, id: 1) {})
        return channel
    }

    /// Writes `input` as one read, and returns everything the session wrote back.
    func exchange(_ channel: EmbeddedChannel, _ input: String) throws -> String {
        try channel.writeInbound(ByteBuffer(string: input))
        var out = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { out += String(buffer: buffer) }
        return out
    }

    @Test func pipelinedCommandsAreAnsweredInOrderInOneRead() throws {
        let channel = try self.channel()
        let out = try self.exchange(channel, "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING\r\n")
        #expect(out == "+PONG\r\n$2\r\nhi\r\n+PONG\r\n")
        // A command split over two reads is answered once it is whole.
        #expect(try self.exchange(channel, "*1\r\n$4\r\nPI") == "")
        #expect(try self.exchange(channel, "NG\r\n") == "+PONG\r\n")
    }

    @Test func unknownCommandsAndArityGetRedisWords() throws {
        let channel = try self.channel()
        #expect(
            try self.exchange(channel, "*2\r\n$4\r\nNOPE\r\n$1\r\na\r\n")
                == "-ERR unknown command 'NOPE', with args beginning with: 'a' \r\n")
        #expect(
            try self.exchange(channel, "*1\r\n$3\r\nGET\r\n") == "-ERR wrong number of arguments for 'get' command\r\n")
    }

    @Test func authIsRequiredBeforeAnythingElse() throws {
        let channel = try self.channel { $0.access = try! AccessControl(password: "s3cret") }
        #expect(try self.exchange(channel, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") == "-NOAUTH Authentication required.\r\n")
        // A wrong password is answered after a delay, and what was pipelined behind it waits.
        #expect(try self.exchange(channel, "*2\r\n$4\r\nAUTH\r\n$5\r\nwrong\r\n*1\r\n$4\r\nPING\r\n") == "")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(10))
        let answered = try self.exchange(channel, "")
        #expect(answered.hasPrefix("-WRONGPASS") && answered.hasSuffix("-NOAUTH Authentication required.\r\n"))
        // The second failure in a row waits twice as long.
        #expect(try self.exchange(channel, "*2\r\n$4\r\nAUTH\r\n$5\r\nwrong\r\n") == "")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(10))
        #expect(try self.exchange(channel, "") == "")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(10))
        #expect(try self.exchange(channel, "").hasPrefix("-WRONGPASS"))
        #expect(try self.exchange(channel, "*2\r\n$4\r\nAUTH\r\n$6\r\ns3cret\r\n") == "+OK\r\n")
        #expect(try self.exchange(channel, "*1\r\n$4\r\nPING\r\n") == "+PONG\r\n")
    }

    @Test func aProtocolErrorIsAnsweredThenTheConnectionCloses() throws {
        let channel = try self.channel()
        let out = try self.exchange(channel, "*1\r\n$x\r\n")
        #expect(out.hasPrefix("-ERR Protocol error"), "\(out)")
        #expect(!channel.isActive)
    }

    @Test func aForwardedCommandWithoutAGroupGetsAnError() throws {
        let channel = try self.channel()
        #expect(
            try self.exchange(channel, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
                == "-ERR Porter: no upstream group is configured\r\n")
        // Commands behind it still get their replies, in order.
        #expect(try self.exchange(channel, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n").hasSuffix("+PONG\r\n"))
    }
}
