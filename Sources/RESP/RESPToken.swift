import NIOCore

/// One complete RESP value (RESP2 or RESP3), as a slice of the bytes it arrived in. The proxy
/// forwards `base` untouched; Porter's own logic (handshakes, ROLE, HELLO) decodes it lazily.
public struct RESPToken: Sendable, Hashable {
    public let base: ByteBuffer

    /// `base` must hold exactly one complete, valid value (the decoder guarantees it).
    @inlinable
    public init(validated base: ByteBuffer) {
        self.base = base
    }

    /// Decodes the first value in `buffer`, for bytes that did not come through a decoder.
    public init?(parsing buffer: ByteBuffer, limits: RESPLimits = RESPLimits()) throws {
        var copy = buffer
        var decoder = RESPReplyDecoder(limits: limits)
        guard let token = try decoder.decode(buffer: &copy) else { return nil }
        self = token
    }

    /// The type byte: `+ - : $ * _ , # ! = ( % ~ > |`.
    @inlinable
    public var typeByte: UInt8 { self.base.getInteger(at: self.base.readerIndex, as: UInt8.self)! }

    /// True for `-ERR …` and RESP3 blob errors (`!`).
    @inlinable
    public var isError: Bool {
        let t = self.typeByte
        return t == UInt8(ascii: "-") || t == UInt8(ascii: "!")
    }

    /// True for RESP3 out-of-band pushes (`>`), which are not replies to a command.
    @inlinable
    public var isPush: Bool { self.typeByte == UInt8(ascii: ">") }

    public enum Value: Sendable, Hashable {
        case simpleString(ByteBuffer)
        case simpleError(ByteBuffer)
        case bulkString(ByteBuffer)
        case blobError(ByteBuffer)
        case verbatimString(ByteBuffer)
        case integer(Int64)
        case double(Double)
        case boolean(Bool)
        case bigNumber(ByteBuffer)
        case null
        case array(Elements)
        case set(Elements)
        case push(Elements)
        /// Key-value pairs flattened: k1, v1, k2, v2, …
        case map(Elements)
        case attribute(Elements)
    }

    /// The elements of an aggregate, decoded one at a time from the same bytes.
    public struct Elements: Sequence, Sendable, Hashable {
        public let count: Int
        let buffer: ByteBuffer

        public func makeIterator() -> Iterator { Iterator(buffer: self.buffer, remaining: self.count) }

        public struct Iterator: IteratorProtocol {
            var buffer: ByteBuffer
            var remaining: Int

            public mutating func next() -> RESPToken? {
                guard self.remaining > 0 else { return nil }
                self.remaining -= 1
                let length = RESPReplyDecoder.lengthOfValidatedValue(self.buffer)
                return RESPToken(validated: self.buffer.readSlice(length: length)!)
            }
        }

        public var tokens: [RESPToken] { Array(self) }
    }

    /// Decodes this value one level deep.
    public var value: Value {
        var buffer = self.base
        let type = buffer.readInteger(as: UInt8.self)!
        let line = buffer.withUnsafeReadableBytes { bytes -> (Int, Int) in
            let (cr, _) = bytes.findCRLF(from: 0, limit: .max)
            return (cr!, cr! + 2)
        }
        let header = buffer.getSlice(at: buffer.readerIndex, length: line.0)!
        func integer() -> Int {
            header.withUnsafeReadableBytes { $0.parseInteger(from: 0, to: $0.count) } ?? 0
        }
        switch type {
        case UInt8(ascii: "+"): return .simpleString(header)
        case UInt8(ascii: "-"): return .simpleError(header)
        case UInt8(ascii: ":"): return .integer(Int64(String(buffer: header)) ?? 0)
        case UInt8(ascii: "_"): return .null
        case UInt8(ascii: "#"): return .boolean(header.readableBytesView.first == UInt8(ascii: "t"))
        case UInt8(ascii: ","):
            let text = String(buffer: header)
            switch text {
            case "inf": return .double(.infinity)
            case "-inf": return .double(-.infinity)
            case "nan": return .double(.nan)
            default: return .double(Double(text) ?? .nan)
            }
        case UInt8(ascii: "("): return .bigNumber(header)
        case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
            let length = integer()
            if length < 0 { return .null }
            let data = buffer.getSlice(at: buffer.readerIndex + line.1, length: length)!
            switch type {
            case UInt8(ascii: "$"): return .bulkString(data)
            case UInt8(ascii: "!"): return .blobError(data)
            default: return .verbatimString(data)
            }
        default:
            let count = integer()
            if count < 0 { return .null }
            buffer.moveReaderIndex(forwardBy: line.1)
            switch type {
            case UInt8(ascii: "*"): return .array(Elements(count: count, buffer: buffer))
            case UInt8(ascii: "~"): return .set(Elements(count: count, buffer: buffer))
            case UInt8(ascii: ">"): return .push(Elements(count: count, buffer: buffer))
            case UInt8(ascii: "%"): return .map(Elements(count: count * 2, buffer: buffer))
            default: return .attribute(Elements(count: count * 2, buffer: buffer))
            }
        }
    }

    /// The text of a simple or bulk string, or of an error.
    public var string: String? {
        switch self.value {
        case .simpleString(let b), .bulkString(let b), .simpleError(let b), .blobError(let b), .verbatimString(let b):
            return String(buffer: b)
        case .integer(let i): return String(i)
        default: return nil
        }
    }

    public var integer: Int64? {
        if case .integer(let i) = self.value { return i }
        if let s = self.string { return Int64(s) }
        return nil
    }

    /// Elements of an array, set, push or (flattened) map.
    public var elements: [RESPToken]? {
        switch self.value {
        case .array(let e), .set(let e), .push(let e), .map(let e): return e.tokens
        default: return nil
        }
    }

    /// The text of an error without its prefix code, and the code (`ERR`, `READONLY`, `MOVED`…).
    public var errorCode: Substring? {
        guard self.isError, let text = self.string else { return nil }
        return text.split(separator: " ", maxSplits: 1).first
    }
}

/// Decodes replies from Redis: every RESP2 and RESP3 type, nested up to `limits.maxDepth`, with
/// an attribute (`|`) kept together with the value it annotates.
public struct RESPReplyDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RESPToken

    public let limits: RESPLimits

    // Resume state: open aggregates (elements still expected; attributes negative) and how far the
    // current value has been scanned.
    @usableFromInline var open: [Int] = []
    @usableFromInline var scanned = 0
    /// Set while a reply over a limit is read and dropped.
    @usableFromInline var skipping: Skip? = nil

    /// A reply over a limit is not kept: it is read past, header by header, keeping only counts,
    /// and one error reply stands in its place. The connection stays in step, so the other
    /// clients whose commands share it never notice (the one who asked gets the error).
    @usableFromInline
    struct Skip {
        /// Bytes already scanned that belong to the reply (dropped when skipping starts).
        var consumed: Int
        /// Values still to read, at every level (an aggregate's header adds its elements).
        var values: Int
        /// Bytes of a bulk string (and its CRLF) still to drop.
        var bytes = 0
        /// Inside a simple line, until its LF.
        var inLine = false
        var message: String

        @usableFromInline
        init(consumed: Int, values: Int, bytes: Int, message: String) {
            self.consumed = consumed
            self.values = values
            self.bytes = bytes
            self.message = message
        }
    }

    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
        self.open.reserveCapacity(8)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPToken? {
        if self.skipping != nil { return try self.skip(&buffer) }
        guard buffer.readableBytes > 0 else { return nil }
        do {
            guard let length = try self.scan(buffer) else { return nil }
            return RESPToken(validated: buffer.readSlice(length: length)!)
        } catch let error as RESPError where self.skipping != nil {
            _ = error
            buffer.moveReaderIndex(forwardBy: self.skipping!.consumed)
            self.open.removeAll(keepingCapacity: true)
            self.scanned = 0
            return try self.skip(&buffer)
        }
    }

    /// Values still to read before the reply is complete, as the open aggregates say before the
    /// header at the scan position is read.
    @usableFromInline
    func valuesStillToRead() -> Int {
        guard let first = self.open.first else { return 1 }
        // Each level still expects |e| elements, one of which is under way when the next level
        // is an aggregate's (an attribute is no element: the value it annotates is, and has not
        // begun). An attribute at the top annotates a top-level value still to come.
        var values = first < 0 ? 1 : 0
        for (level, remaining) in self.open.enumerated() {
            let next = level + 1 < self.open.count ? self.open[level + 1] : 0
            values += Swift.abs(remaining) - (next > 0 ? 1 : 0)
        }
        return values
    }

    /// Reads past the rest of an over-limit reply; returns the error that replaces it once done.
    mutating func skip(_ buffer: inout ByteBuffer) throws -> RESPToken? {
        var skip = self.skipping!
        defer { self.skipping = skip.values == 0 && skip.bytes == 0 && !skip.inLine ? nil : skip }
        while true {
            if skip.bytes > 0 {
                let n = Swift.min(skip.bytes, buffer.readableBytes)
                buffer.moveReaderIndex(forwardBy: n)
                skip.bytes -= n
                if skip.bytes > 0 { return nil }
            }
            if skip.inLine {
                let lf = buffer.readableBytesView.firstIndex(of: asciiLF)
                buffer.moveReaderIndex(to: lf.map { $0 + 1 } ?? buffer.writerIndex)
                if lf == nil { return nil }
                skip.inLine = false
                skip.values -= 1
            }
            if skip.values == 0 {
                var reply = ByteBuffer()
                reply.writeRESPError(skip.message)
                return RESPToken(validated: reply)
            }
            guard let type = buffer.readableBytesView.first else { return nil }
            switch type {
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "_"),
                UInt8(ascii: ","), UInt8(ascii: "#"), UInt8(ascii: "("):
                skip.inLine = true
                buffer.moveReaderIndex(forwardBy: 1)
            case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="),
                UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "|"):
                let header = buffer.withUnsafeReadableBytes { $0.parseHeaderInteger(at: 0) }
                guard case .complete(let count, let end) = header else {
                    if case .incomplete = header { return nil }
                    throw RESPError(.invalidMultibulkLength, "Protocol error: invalid length in a reply")
                }
                buffer.moveReaderIndex(forwardBy: end)
                let bulk = type == UInt8(ascii: "$") || type == UInt8(ascii: "!") || type == UInt8(ascii: "=")
                if bulk {
                    skip.values -= 1
                    skip.bytes = count < 0 ? 0 : count + 2
                } else {
                    let elements = count <= 0 ? 0 : (type == UInt8(ascii: "%") || type == UInt8(ascii: "|") ? 2 * count : count)
                    // An attribute is no value of its parent: the value it annotates is.
                    skip.values += elements - (type == UInt8(ascii: "|") ? 0 : 1)
                    guard skip.values < 1 << 60 else {
                        throw RESPError(.limitExceeded, "Protocol error: a reply announced more elements than can exist")
                    }
                }
            default:
                throw RESPError(.invalidReplyType, "Protocol error: invalid reply type '\(printableByte(type))'")
            }
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPToken? {
        try self.decode(buffer: &buffer)
    }

    /// Returns the length of the complete value at the front of `buffer`, or nil if more bytes
    /// are needed (the scan position is kept for the next call).
    @inlinable
    mutating func scan(_ buffer: ByteBuffer) throws -> Int? {
        let limits = self.limits
        var scanned = self.scanned
        defer { self.scanned = scanned }
        return try buffer.withUnsafeReadableBytes { bytes -> Int? in
            while true {
                guard scanned < bytes.count else { return nil }
                let type = bytes[scanned]
                var aggregate = 0
                var isAttribute = false
                switch type {
                case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "_"),
                    UInt8(ascii: ","), UInt8(ascii: "#"), UInt8(ascii: "("):
                    let (cr, _) = bytes.findCRLF(from: scanned + 1, limit: .max)
                    guard let cr, cr + 1 < bytes.count else { return nil }
                    guard bytes[cr + 1] == asciiLF else {
                        throw RESPError(.unterminated, "Protocol error: line not terminated by CRLF")
                    }
                    scanned = cr + 2
                case UInt8(ascii: "$"), UInt8(ascii: "!"), UInt8(ascii: "="):
                    switch bytes.parseHeaderInteger(at: scanned) {
                    case .incomplete: return nil
                    case .malformed: throw RESPError(.invalidBulkLength, "Protocol error: invalid bulk length")
                    case .complete(let length, let end):
                        if length < 0 {
                            guard length == -1 else {
                                throw RESPError(.invalidBulkLength, "Protocol error: invalid bulk length")
                            }
                            scanned = end
                        } else {
                            if length > limits.maxBulkLength {
                                self.skipping = Skip(
                                    consumed: end, values: self.valuesStillToRead() - 1, bytes: length + 2,
                                    message:
                                        "ERR Porter: the reply (a bulk of \(length) bytes) is over the limit of \(limits.maxBulkLength) (limits.max_bulk_bytes); it was dropped"
                                )
                                throw RESPError(
                                    .limitExceeded,
                                    "Protocol error: reply bulk of \(length) bytes is over the limit of \(limits.maxBulkLength) (limits.max_bulk_bytes)"
                                )
                            }
                            guard end + length + 2 <= bytes.count else { return nil }
                            guard bytes[end + length] == asciiCR && bytes[end + length + 1] == asciiLF else {
                                throw RESPError(.unterminated, "Protocol error: bulk string not terminated by CRLF")
                            }
                            scanned = end + length + 2
                        }
                    }
                case UInt8(ascii: "*"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: ">"), UInt8(ascii: "|"):
                    switch bytes.parseHeaderInteger(at: scanned) {
                    case .incomplete: return nil
                    case .malformed:
                        throw RESPError(.invalidMultibulkLength, "Protocol error: invalid multibulk length")
                    case .complete(let count, let end):
                        if count < 0 {
                            guard count == -1 else {
                                throw RESPError(.invalidMultibulkLength, "Protocol error: invalid multibulk length")
                            }
                        } else if count > limits.maxArrayLength {
                            let elements = type == UInt8(ascii: "%") || type == UInt8(ascii: "|") ? 2 * count : count
                            self.skipping = Skip(
                                consumed: end,
                                values: self.valuesStillToRead() + elements - (type == UInt8(ascii: "|") ? 0 : 1),
                                bytes: 0,
                                message:
                                    "ERR Porter: the reply (an aggregate of \(count) elements) is over the limit of \(limits.maxArrayLength) (limits.max_array_length); it was dropped"
                            )
                            throw RESPError(
                                .limitExceeded,
                                "Protocol error: reply aggregate of \(count) elements is over the limit of \(limits.maxArrayLength) (limits.max_array_length)"
                            )
                        }
                        let pairs = type == UInt8(ascii: "%") || type == UInt8(ascii: "|")
                        aggregate = count <= 0 ? 0 : (pairs ? count * 2 : count)
                        isAttribute = type == UInt8(ascii: "|")
                        scanned = end
                    }
                default:
                    throw RESPError(.invalidReplyType, "Protocol error: invalid reply type '\(printableByte(type))'")
                }

                if aggregate > 0 {
                    if self.open.count >= limits.maxDepth {
                        self.skipping = Skip(
                            consumed: scanned, values: self.valuesStillToRead() + aggregate - (isAttribute ? 0 : 1),
                            bytes: 0,
                            message:
                                "ERR Porter: the reply is nested deeper than \(limits.maxDepth) (limits.max_depth); it was dropped"
                        )
                        throw RESPError(
                            .tooDeep,
                            "Protocol error: reply nested deeper than \(limits.maxDepth) (limits.max_depth)"
                        )
                    }
                    self.open.append(isAttribute ? -aggregate : aggregate)
                    continue
                }
                if isAttribute {
                    // An empty attribute: the annotated value follows.
                    continue
                }
                // One value completed; close every aggregate it completes.
                var attributeClosed = false
                while let last = self.open.last {
                    if last > 0 {
                        if last > 1 {
                            self.open[self.open.count - 1] = last - 1
                            break
                        }
                        self.open.removeLast()
                    } else {
                        if last < -1 {
                            self.open[self.open.count - 1] = last + 1
                            break
                        }
                        // An attribute completed: the value it annotates is still to come, and it,
                        // not the attribute, counts as the parent's element.
                        self.open.removeLast()
                        attributeClosed = true
                        break
                    }
                }
                if self.open.isEmpty && !attributeClosed {
                    let length = scanned
                    scanned = 0
                    return length
                }
            }
        }
    }

    /// The length of the first value of already validated bytes.
    static func lengthOfValidatedValue(_ buffer: ByteBuffer) -> Int {
        var decoder = RESPReplyDecoder(limits: RESPLimits(maxBulkLength: .max, maxArrayLength: .max, maxDepth: .max))
        return (try? decoder.scan(buffer)).flatMap { $0 } ?? buffer.readableBytes
    }
}
