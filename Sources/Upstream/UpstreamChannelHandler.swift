import NIOCore
import RESP

/// The channel handler of one TCP connection of an `UpstreamConnection`.
final class UpstreamChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    let connection: UpstreamConnection
    let generation: Int
    private let processor: NIOSingleStepByteToMessageProcessor<RESPReplyDecoder>
    private var closedReported = false

    init(connection: UpstreamConnection, generation: Int) {
        self.connection = connection
        self.generation = generation
        self.processor = NIOSingleStepByteToMessageProcessor(RESPReplyDecoder(limits: connection.configuration.limits))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = self.unwrapInboundIn(data)
        do {
            try self.processor.process(buffer: buffer) { token in
                self.connection.channelRead(token, generation: self.generation)
            }
        } catch {
            self.report(error)
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.connection.channelReadComplete(generation: self.generation)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.connection.channelWritabilityChanged(generation: self.generation, writable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        self.report(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.report(nil)
    }

    private func report(_ error: Error?) {
        guard !self.closedReported else { return }
        self.closedReported = true
        self.connection.channelClosed(generation: self.generation, error: error)
    }
}
