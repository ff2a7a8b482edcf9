import NIOCore

/// One client command, as the multibulk bytes that will be forwarded (`*N\r\n$len\r\narg\r\n…`).
///
/// A multibulk request is a slice of the bytes the client sent; an inline request (`GET k\n`, as
/// redis-cli and telnet send) is encoded once into multibulk. Arguments are found by walking the
/// bytes, which the decoder has already validated, so no per-request array is allocated.
public struct RESPRequest: Sendable, Equatable {
    /// The whole command in multibulk encoding.
    public var bytes: ByteBuffer
    /// Number of arguments, the command name included (≥ 1).
    public let count: Int

    @inlinable
    public init(bytes: ByteBuffer, count: Int) {
        self.bytes = bytes
        self.count = count
    }

    /// Builds a request from arguments (used for commands Porter sends itself, and in tests).
    public init(_ arguments: [String]) {
        var buffer = ByteBuffer()
        buffer.writeRESPArrayHeader(arguments.count)
        for argument in arguments {
            buffer.writeRESPBulkString(argument)
        }
        self.init(bytes: buffer, count: arguments.count)
    }

    public init(_ arguments: [ByteBuffer]) {
        var buffer = ByteBuffer()
        buffer.writeRESPArrayHeader(arguments.count)
        for argument in arguments {
            buffer.writeRESPBulkString(argument)
        }
        self.init(bytes: buffer, count: arguments.count)
    }

    /// Calls `body` with the reader-relative range of each argument's bytes, in order, until it
    /// returns false.
    @inlinable
    public func forEachArgument(_ body: (_ index: Int, _ offset: Int, _ length: Int) -> Bool) {
        self.bytes.withUnsafeReadableBytes { bytes in
            // Skip "*N\r\n".
            var i = 1
            while bytes[i] != asciiCR { i &+= 1 }
            i &+= 2
            var index = 0
            while index < self.count {
                // "$len\r\n"
                var length = 0
                var j = i &+ 1
                while bytes[j] != asciiCR {
                    length = length &* 10 &+ Int(bytes[j] &- 48)
                    j &+= 1
                }
                let start = j &+ 2
                if !body(index, start, length) { return }
                i = start &+ length &+ 2
                index &+= 1
            }
        }
    }

    /// The reader-relative offset and length of argument `index`.
    @inlinable
    public func argumentRange(_ index: Int) -> (offset: Int, length: Int)? {
        guard index >= 0 && index < self.count else { return nil }
        var result: (Int, Int)? = nil
        self.forEachArgument { i, offset, length in
            if i == index {
                result = (offset, length)
                return false
            }
            return true
        }
        return result
    }

    /// A slice of argument `index` (shares storage; no copy).
    @inlinable
    public func argument(_ index: Int) -> ByteBuffer? {
        guard let (offset, length) = self.argumentRange(index) else { return nil }
        return self.bytes.getSlice(at: self.bytes.readerIndex + offset, length: length)
    }

    /// Argument `index` as a String (for the rare commands Porter interprets; never session data).
    public func string(_ index: Int) -> String? {
        guard let (offset, length) = self.argumentRange(index) else { return nil }
        return self.bytes.getString(at: self.bytes.readerIndex + offset, length: length)
    }

    /// Argument `index` as an integer, if it is one.
    public func integer(_ index: Int) -> Int? {
        guard let (offset, length) = self.argumentRange(index) else { return nil }
        return self.bytes.withUnsafeReadableBytes { $0.parseInteger(from: offset, to: offset + length) }
    }

    /// True when argument `index` equals `upper` ignoring ASCII case (`upper` must be upper case).
    @inlinable
    public func argument(_ index: Int, equalsUppercase upper: StaticString) -> Bool {
        guard let (offset, length) = self.argumentRange(index), length == upper.utf8CodeUnitCount else {
            return false
        }
        return self.bytes.withUnsafeReadableBytes { bytes in
            upper.withUTF8Buffer { expected in
                for k in 0..<length where bytes[offset + k] & 0xDF != expected[k] & 0xDF {
                    return false
                }
                return true
            }
        }
    }

    /// All arguments as slices (tests and the slow path only).
    public var arguments: [ByteBuffer] {
        var result: [ByteBuffer] = []
        result.reserveCapacity(self.count)
        self.forEachArgument { _, offset, length in
            result.append(self.bytes.getSlice(at: self.bytes.readerIndex + offset, length: length)!)
            return true
        }
        return result
    }
}

/// What the request decoder hands on: a whole request; or, for a request with a bulk argument of
/// `limits.streamBulkLength` bytes or more that has not all arrived, the request's start and then
/// its remaining bytes as they come (forwarded as they are, never gathered in memory).
///
///   `*3 $3 SET $1 k $104857600 ……………… \r\n`
///    └──── streamStart(head) ───┘└ streamBytes … streamBytes(last: true)
public enum RESPRequestPart: Sendable, Equatable {
    case request(RESPRequest)
    /// `head.bytes` are the request's first bytes: its `*N` header, the `head.count` arguments
    /// that are complete, and the header (`$len\r\n`) of the large one. `arguments` is N.
    case streamStart(head: RESPRequest, arguments: Int)
    /// The next bytes of the streamed request, as the client sent them (validated framing);
    /// `last` when they end it.
    case streamBytes(ByteBuffer, last: Bool)

    /// The whole request, when this is one.
    @inlinable
    public var request: RESPRequest? {
        if case .request(let request) = self { return request }
        return nil
    }
}

/// Decodes client requests: multibulk (`*`) and inline. Empty commands (`*0`, `*-1`, blank
/// lines) are skipped, as Redis does. Errors carry Redis' own wording.
public struct RESPRequestDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RESPRequestPart

    public let limits: RESPLimits

    // Where a partly received multibulk request stands, so the next read resumes there.
    @usableFromInline var expected = -1
    @usableFromInline var seen = 0
    @usableFromInline var scanned = 0

    /// A request being streamed: its arguments not yet passed on (the current one included), and
    /// the bytes left of the current argument's body and CRLF (0: its `$len` header is next).
    @usableFromInline
    struct Stream {
        var argumentsLeft: Int
        var bodyLeft: Int
    }
    @usableFromInline var stream: Stream? = nil

    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    @usableFromInline
    enum Step {
        case incomplete
        case skip(Int)
        case request(length: Int, count: Int)
        /// `length` bytes: the `*N` header, `complete` arguments and the header of a large one.
        case streamStart(length: Int, complete: Int, count: Int, bodyLength: Int)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPRequestPart? {
        if self.stream != nil { return try self.streamBytes(&buffer) }
        while let first = buffer.readableBytesView.first {
            let step: Step
            if first == UInt8(ascii: "*") {
                step = try self.scanMultibulk(buffer)
            } else {
                step = try self.scanInline(buffer)
            }
            switch step {
            case .incomplete:
                return nil
            case .skip(let length):
                buffer.moveReaderIndex(forwardBy: length)
            case .request(let length, let count):
                if count < 0 {
                    // Inline: re-encode the line as multibulk. Blank lines are skipped in this
                    // loop (not by recursion: a peer may send any number of them).
                    if let request = try self.readInline(&buffer, lineLength: length) {
                        return request
                    }
                    continue
                }
                return .request(RESPRequest(bytes: buffer.readSlice(length: length)!, count: count))
            case .streamStart(let length, let complete, let count, let bodyLength):
                self.stream = Stream(argumentsLeft: count - complete, bodyLeft: bodyLength + 2)
                return .streamStart(
                    head: RESPRequest(bytes: buffer.readSlice(length: length)!, count: complete), arguments: count)
            }
        }
        return nil
    }

    /// The bytes of the streamed request that have come: the rest of the current argument, and
    /// any later arguments whose headers are complete (their framing checked as they pass).
    @usableFromInline
    mutating func streamBytes(_ buffer: inout ByteBuffer) throws -> RESPRequestPart? {
        var stream = self.stream!
        let limits = self.limits
        let taken = try buffer.withUnsafeReadableBytes { bytes -> Int in
            var at = 0
            while stream.argumentsLeft > 0 && at < bytes.count {
                if stream.bodyLeft == 0 {
                    guard bytes[at] == UInt8(ascii: "$") else {
                        throw RESPError(.unexpectedType, "Protocol error: expected '$', got '\(printableByte(bytes[at]))'")
                    }
                    switch bytes.parseHeaderInteger(at: at) {
                    case .incomplete:
                        return at
                    case .malformed:
                        throw RESPError(.invalidBulkLength, "Protocol error: invalid bulk length")
                    case .complete(let length, let end):
                        guard length >= 0 else { throw RESPError(.invalidBulkLength, "Protocol error: invalid bulk length") }
                        if length > limits.maxBulkLength {
                            throw RESPError(
                                .limitExceeded,
                                "Protocol error: bulk string of \(length) bytes is over the limit of \(limits.maxBulkLength) (limits.max_bulk_bytes)"
                            )
                        }
                        stream.bodyLeft = length + 2
                        at = end
                    }
                }
                let take = Swift.min(stream.bodyLeft, bytes.count - at)
                // The CRLF after the body: whichever of its two bytes are in this read.
                var offset = Swift.max(0, stream.bodyLeft - 2)
                while offset < take {
                    let expected = offset == stream.bodyLeft - 2 ? asciiCR : asciiLF
                    guard bytes[at + offset] == expected else {
                        throw RESPError(.unterminated, "Protocol error: bulk string not terminated by CRLF")
                    }
                    offset += 1
                }
                stream.bodyLeft -= take
                at += take
                if stream.bodyLeft == 0 { stream.argumentsLeft -= 1 }
            }
            return at
        }
        guard taken > 0 else { return nil }
        let last = stream.argumentsLeft == 0
        self.stream = last ? nil : stream
        return .streamBytes(buffer.readSlice(length: taken)!, last: last)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPRequestPart? {
        // A half-received command at EOF is dropped: the client went away before sending it all.
        try self.decode(buffer: &buffer)
    }

    @inlinable
    mutating func scanMultibulk(_ buffer: ByteBuffer) throws -> Step {
        let limits = self.limits
        var expected = self.expected
        var seen = self.seen
        var scanned = self.scanned
        defer {
            self.expected = expected
            self.seen = seen
            self.scanned = scanned
        }
        return try buffer.withUnsafeReadableBytes { bytes -> Step in
            if expected < 0 {
                switch bytes.parseHeaderInteger(at: 0) {
                case .incomplete:
                    return .incomplete
                case .malformed:
                    throw RESPError(.invalidMultibulkLength, "Protocol error: invalid multibulk length")
                case .complete(let count, let end):
                    if count <= 0 {
                        return .skip(end)
                    }
                    if count > limits.maxArrayLength {
                        throw RESPError(
                            .limitExceeded,
                            "Protocol error: command has \(count) arguments, over the limit of \(limits.maxArrayLength) (limits.max_array_length)"
                        )
                    }
                    expected = count
                    seen = 0
                    scanned = end
                }
            }
            while seen < expected {
                guard scanned < bytes.count else { return .incomplete }
                let type = bytes[scanned]
                guard type == UInt8(ascii: "$") else {
                    throw RESPError(.unexpectedType, "Protocol error: expected '$', got '\(printableByte(type))'")
                }
                switch bytes.parseHeaderInteger(at: scanned) {
                case .incomplete:
                    return .incomplete
                case .malformed:
                    throw RESPError(.invalidBulkLength, "Protocol error: invalid bulk length")
                case .complete(let length, let end):
                    guard length >= 0 else {
                        throw RESPError(.invalidBulkLength, "Protocol error: invalid bulk length")
                    }
                    if length > limits.maxBulkLength {
                        throw RESPError(
                            .limitExceeded,
                            "Protocol error: bulk string of \(length) bytes is over the limit of \(limits.maxBulkLength) (limits.max_bulk_bytes)"
                        )
                    }
                    guard end + length + 2 <= bytes.count else {
                        // A large argument that has not all come: pass the request on as it
                        // arrives, once the arguments before it (the command, its key) are here.
                        if length >= limits.streamBulkLength && seen >= 1 {
                            let result = Step.streamStart(
                                length: end, complete: seen, count: expected, bodyLength: length)
                            expected = -1
                            seen = 0
                            scanned = 0
                            return result
                        }
                        return .incomplete
                    }
                    guard bytes[end + length] == asciiCR && bytes[end + length + 1] == asciiLF else {
                        throw RESPError(.unterminated, "Protocol error: bulk string not terminated by CRLF")
                    }
                    scanned = end + length + 2
                    seen += 1
                }
            }
            let result = Step.request(length: scanned, count: expected)
            expected = -1
            seen = 0
            scanned = 0
            return result
        }
    }

    @usableFromInline
    func scanInline(_ buffer: ByteBuffer) throws -> Step {
        let limit = self.limits.maxInlineLength
        return try buffer.withUnsafeReadableBytes { bytes -> Step in
            let end = Swift.min(bytes.count, limit + 1)
            var i = 0
            while i < end {
                if bytes[i] == asciiLF {
                    return .request(length: i + 1, count: -1)
                }
                i += 1
            }
            if bytes.count > limit {
                throw RESPError(.tooBigInline, "Protocol error: too big inline request")
            }
            return .incomplete
        }
    }

    mutating func readInline(_ buffer: inout ByteBuffer, lineLength: Int) throws -> RESPRequestPart? {
        var line = buffer.readSlice(length: lineLength)!
        line.moveWriterIndex(to: line.writerIndex - 1)
        if line.readableBytesView.last == asciiCR {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        let arguments = try InlineSplitter.split(line.readableBytesView)
        if arguments.isEmpty {
            return nil
        }
        var encoded = ByteBuffer()
        encoded.reserveCapacity(lineLength + 16 * arguments.count)
        encoded.writeRESPArrayHeader(arguments.count)
        for argument in arguments {
            encoded.writeRESPBulkString(argument)
        }
        return .request(RESPRequest(bytes: encoded, count: arguments.count))
    }
}

/// Splits an inline command line the way redis-server does: whitespace separates arguments;
/// "double quotes" take \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes' take \'; a closing
/// quote must be followed by a space or the end of the line.
enum InlineSplitter {
    static func split(_ line: ByteBufferView) throws -> [[UInt8]] {
        let unbalanced = RESPError(.unbalancedQuotes, "Protocol error: unbalanced quotes in request")
        var result: [[UInt8]] = []
        var i = line.startIndex
        let end = line.endIndex
        func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 11 || c == 12 }
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: return nil
            }
        }
        while true {
            while i < end && isSpace(line[i]) { i += 1 }
            if i >= end { return result }
            var current: [UInt8] = []
            var inDouble = false
            var inSingle = false
            var done = false
            while !done {
                if inDouble {
                    guard i < end else { throw unbalanced }
                    let c = line[i]
                    if c == UInt8(ascii: "\\") && i + 3 < end && line[i + 1] == UInt8(ascii: "x"),
                        let hi = hex(line[i + 2]), let lo = hex(line[i + 3])
                    {
                        current.append(hi << 4 | lo)
                        i += 3
                    } else if c == UInt8(ascii: "\\") && i + 1 < end {
                        i += 1
                        switch line[i] {
                        case UInt8(ascii: "n"): current.append(10)
                        case UInt8(ascii: "r"): current.append(13)
                        case UInt8(ascii: "t"): current.append(9)
                        case UInt8(ascii: "b"): current.append(8)
                        case UInt8(ascii: "a"): current.append(7)
                        default: current.append(line[i])
                        }
                    } else if c == UInt8(ascii: "\"") {
                        if i + 1 < end && !isSpace(line[i + 1]) { throw unbalanced }
                        done = true
                    } else {
                        current.append(c)
                    }
                } else if inSingle {
                    guard i < end else { throw unbalanced }
                    let c = line[i]
                    if c == UInt8(ascii: "\\") && i + 1 < end && line[i + 1] == UInt8(ascii: "'") {
                        i += 1
                        current.append(UInt8(ascii: "'"))
                    } else if c == UInt8(ascii: "'") {
                        if i + 1 < end && !isSpace(line[i + 1]) { throw unbalanced }
                        done = true
                    } else {
                        current.append(c)
                    }
                } else {
                    if i >= end {
                        done = true
                        break
                    }
                    let c = line[i]
                    if isSpace(c) {
                        done = true
                    } else if c == UInt8(ascii: "\"") {
                        inDouble = true
                    } else if c == UInt8(ascii: "'") {
                        inSingle = true
                    } else {
                        current.append(c)
                    }
                }
                if i < end { i += 1 }
            }
            result.append(current)
        }
    }
}
