// RESP — the wire format, and nothing else.
//
// Owns: framing of requests (multibulk and inline) and replies (RESP2 and RESP3), the limits that
// keep a peer from making Porter hang or grow without bound, tokens that are slices of the bytes
// that came off the wire (so the proxy forwards without re-encoding), and an encoder for the
// replies Porter builds itself.
//
//   socket bytes ──▶ RESPRequestDecoder ──▶ RESPRequest (slice: `*N\r\n$..`, arg count), or a
//                                           large one's start and then its bytes as they come
//   socket bytes ──▶ RESPReplyDecoder   ──▶ RESPToken   (slice of one complete value)
//
// Both decoders are NIOSingleStepByteToMessageDecoders and resume where they stopped, so a value
// that arrives in many reads is scanned once, not once per read.

import NIOCore

/// Size and shape limits for what a peer may send. Every limit has a config key in `porter.yaml`
/// (`limits.*`); the names in error messages are those keys.
public struct RESPLimits: Sendable, Equatable {
    /// Largest bulk string accepted (`limits.max_bulk_bytes`). Redis' own default is 512 MiB.
    public var maxBulkLength: Int
    /// Most elements in one array (`limits.max_array_length`), i.e. arguments in one command.
    public var maxArrayLength: Int
    /// Deepest nesting of aggregates in a reply (`limits.max_depth`).
    public var maxDepth: Int
    /// Longest inline command line (`limits.max_inline_bytes`). Redis' own is 64 KiB.
    public var maxInlineLength: Int
    /// A request with a bulk argument this large is passed on as it arrives instead of being
    /// gathered whole (`limits.stream_bulk_bytes`); `Int.max` never streams.
    public var streamBulkLength: Int

    public init(
        maxBulkLength: Int = 512 * 1024 * 1024,
        maxArrayLength: Int = 1024 * 1024,
        maxDepth: Int = 32,
        maxInlineLength: Int = 64 * 1024,
        streamBulkLength: Int = .max
    ) {
        self.maxBulkLength = maxBulkLength
        self.maxArrayLength = maxArrayLength
        self.maxDepth = maxDepth
        self.maxInlineLength = maxInlineLength
        self.streamBulkLength = streamBulkLength
    }
}

/// The one error type of this module. `message` is what Redis would say, ready to be sent after
/// `-ERR ` (it starts with "Protocol error: ").
public struct RESPError: Error, Hashable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case invalidMultibulkLength
        case invalidBulkLength
        case unexpectedType
        case unterminated
        case tooBigInline
        case unbalancedQuotes
        case limitExceeded
        case invalidReplyType
        case tooDeep
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
