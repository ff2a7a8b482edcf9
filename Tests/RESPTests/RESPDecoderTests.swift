import NIOCore
import NIOTestUtils
import RESP
import Testing

@Suite("RESP decoders")
struct RESPDecoderTests {
    func request(_ args: [String]) -> RESPRequest { RESPRequest(args) }

    @Test func requestDecoderByteByByteAndBatched() throws {
        // The verifier feeds the bytes one at a time and all at once, and checks leftovers.
        let cases: [(String, [RESPRequestPart])] = [
            ("*1\r\n$4\r\nPING\r\n", [.request(request(["PING"]))]),
            ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n", [.request(request(["SET", "k", ""]))]),
            ("*2\r\n$3\r\nGET\r\n$4\r\na\r\nb\r\n", [.request(request(["GET", "a\r\nb"]))]),
        ]
        for (input, expected) in cases {
            try ByteToMessageDecoderVerifier.verifyDecoder(
                stringInputOutputPairs: [(input, expected)],
                decoderFactory: { RESPRequestDecoder() })
        }
    }

    @Test func replyDecoderByteByByte() throws {
        let replies = [
            "+OK\r\n", "-ERR x\r\n", ":42\r\n", "$5\r\nhello\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n", "_\r\n",
            "*2\r\n$1\r\na\r\n*1\r\n:1\r\n", "%1\r\n+k\r\n$1\r\nv\r\n", "~2\r\n:1\r\n:2\r\n", ",3.14\r\n", "#t\r\n",
            "!3\r\nerr\r\n", "=7\r\ntxt:abc\r\n", "(123\r\n", ">2\r\n+invalidate\r\n*1\r\n$1\r\nk\r\n",
            "|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n",
        ]
        for reply in replies {
            try ByteToMessageDecoderVerifier.verifyDecoder(
                stringInputOutputPairs: [(reply, [RESPToken(validated: ByteBuffer(string: reply))])],
                decoderFactory: { RESPReplyDecoder() })
        }
    }

    @Test func emptyCommandsAreSkippedLikeRedis() throws {
        var decoder = RESPRequestDecoder()
        var buffer = ByteBuffer(string: "*0\r\n*-1\r\n\r\n   \r\n*1\r\n$4\r\nPING\r\n")
        let request = try decoder.decode(buffer: &buffer)?.request
        #expect(request?.arguments == [ByteBuffer(string: "PING")])
        #expect(buffer.readableBytes == 0)
    }

    @Test func inlineCommandsAreSplitLikeRedis() throws {
        let cases: [(String, [String])] = [
            ("GET k\r\n", ["GET", "k"]),
            ("SET k \"a b\"\n", ["SET", "k", "a b"]),
            ("SET k 'it\\'s'\n", ["SET", "k", "it's"]),
            ("ECHO \"\\x41\\n\"\n", ["ECHO", "A\n"]),
            ("  PING   \n", ["PING"]),
        ]
        for (input, expected) in cases {
            var decoder = RESPRequestDecoder()
            var buffer = ByteBuffer(string: input)
            let request = try #require(try decoder.decode(buffer: &buffer)?.request)
            #expect(request.arguments.map { String(buffer: $0) } == expected, "\(input.debugDescription)")
            // It is forwarded as multibulk.
            #expect(request.bytes == RESPRequest(expected).bytes)
        }
    }

    @Test(arguments: [
        ("*2\r\n$3\r\nGET\r\n+k\r\n", RESPError.Code.unexpectedType),
        ("*1\r\n$-1\r\n", .invalidBulkLength),
        ("*1\r\n$abc\r\n", .invalidBulkLength),
        ("*abc\r\n", .invalidMultibulkLength),
        ("*1\r\n$3\r\nGETXY", .unterminated),
        ("*99999999\r\n", .limitExceeded),
        ("*1\r\n$999999999999\r\n", .limitExceeded),
        ("SET \"a\n", .unbalancedQuotes),
        ("SET \"a\"b\n", .unbalancedQuotes),
        ("*1\r\n$1234567890123456789012345678901234567890\r\n", .invalidBulkLength),
    ])
    func malformedRequestsAreRejected(input: String, code: RESPError.Code) throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxBulkLength: 1 << 20, maxArrayLength: 1000))
        var buffer = ByteBuffer(string: input)
        #expect(throws: RESPError.self) { _ = try decoder.decode(buffer: &buffer) }
        do {
            var again = RESPRequestDecoder(limits: RESPLimits(maxBulkLength: 1 << 20, maxArrayLength: 1000))
            var b = ByteBuffer(string: input)
            _ = try again.decode(buffer: &b)
        } catch let error as RESPError {
            #expect(error.code == code, "\(input.debugDescription): \(error)")
            #expect(error.message.hasPrefix("Protocol error: "))
        }
    }

    @Test func inlineLineLimit() throws {
        var decoder = RESPRequestDecoder(limits: RESPLimits(maxInlineLength: 100))
        var buffer = ByteBuffer(string: String(repeating: "A", count: 101))
        #expect(throws: RESPError.self) { _ = try decoder.decode(buffer: &buffer) }
        var short = ByteBuffer(string: String(repeating: "A", count: 99))
        var fresh = RESPRequestDecoder(limits: RESPLimits(maxInlineLength: 100))
        #expect(try fresh.decode(buffer: &short) == nil)  // waits for the newline
    }

    @Test func replyDepthLimit() throws {
        var decoder = RESPReplyDecoder(limits: RESPLimits(maxDepth: 3))
        var buffer = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
        let token = try #require(try decoder.decode(buffer: &buffer))
        #expect(token.isError && token.string?.contains("limits.max_depth") == true, "\(token.string ?? "")")
        var ok = RESPReplyDecoder(limits: RESPLimits(maxDepth: 3))
        var shallow = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(try ok.decode(buffer: &shallow) != nil)
    }

    /// A reply over a limit is read past and replaced by one error; the replies after it decode
    /// as usual, so a connection shared by many clients stays in step. Before, the decoder threw
    /// and the connection (with every other client's commands on it) was dropped.
    @Test(arguments: [
        // Too deep (limit 3), with attributes, maps, sets and pushes inside.
        ("*1\r\n*2\r\n*1\r\n*1\r\n%1\r\n+k\r\n$3\r\nabc\r\n:5\r\n", "limits.max_depth"),
        ("*2\r\n|1\r\n+a\r\n:0\r\n*1\r\n*1\r\n*1\r\n_\r\n~1\r\n#t\r\n", "limits.max_depth"),
        ("*1\r\n|1\r\n+a\r\n*1\r\n*1\r\n:0\r\n$1\r\nv\r\n", "limits.max_depth"),
        ("|1\r\n+a\r\n:0\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", "limits.max_depth"),
        // A bulk over 8 bytes, alone and nested, and a blob error and verbatim string.
        ("$20\r\n01234567890123456789\r\n", "limits.max_bulk_bytes"),
        ("*3\r\n:1\r\n$9\r\n123456789\r\n*1\r\n$-1\r\n", "limits.max_bulk_bytes"),
        ("%1\r\n=12\r\ntxt:12345678\r\n!10\r\n0123456789\r\n", "limits.max_bulk_bytes"),
        // More than 4 elements, at the top and nested.
        ("*5\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n", "limits.max_array_length"),
        ("*2\r\n>9\r\n" + String(repeating: "+x\r\n", count: 9) + "*0\r\n", "limits.max_array_length"),
        ("%5\r\n" + String(repeating: ":1\r\n(2\r\n", count: 5), "limits.max_array_length"),
    ])
    func overLimitReplyIsDroppedAndTheStreamStaysInStep(reply: String, limit: String) throws {
        let limits = RESPLimits(maxBulkLength: 8, maxArrayLength: 4, maxDepth: 3)
        let after = "+OK\r\n$2\r\nhi\r\n"
        let input = ByteBuffer(string: reply + after)
        // All at once, and one byte at a time.
        for chunk in [input.readableBytes, 1] {
            var decoder = RESPReplyDecoder(limits: limits)
            var buffer = ByteBuffer()
            var tokens: [RESPToken] = []
            var offset = 0
            while offset < input.readableBytes {
                var piece = input.getSlice(at: offset, length: min(chunk, input.readableBytes - offset))!
                offset += piece.readableBytes
                buffer.writeBuffer(&piece)
                while let token = try decoder.decode(buffer: &buffer) { tokens.append(token) }
            }
            #expect(tokens.count == 3, "\(reply.debugDescription) in pieces of \(chunk): \(tokens.map { $0.string ?? "" })")
            #expect(tokens.first?.isError == true && tokens.first?.string?.contains(limit) == true)
            #expect(tokens.dropFirst().map { $0.string } == ["OK", "hi"])
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test func aSkippedBulkIsNeverHeldInMemory() throws {
        // 64 MiB announced, limit 1 KiB: the bytes are dropped as they come.
        var decoder = RESPReplyDecoder(limits: RESPLimits(maxBulkLength: 1024))
        var buffer = ByteBuffer(string: "$67108864\r\n")
        #expect(try decoder.decode(buffer: &buffer) == nil)
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<64 {
            var piece = chunk
            buffer.writeBuffer(&piece)
            #expect(try decoder.decode(buffer: &buffer) == nil)
            #expect(buffer.readableBytes == 0)
        }
        buffer.writeString("\r\n:7\r\n")
        #expect(try decoder.decode(buffer: &buffer)?.isError == true)
        #expect(try decoder.decode(buffer: &buffer)?.integer == 7)
    }

    @Test func aBrokenStreamStillFailsWhileSkipping() throws {
        var decoder = RESPReplyDecoder(limits: RESPLimits(maxArrayLength: 2))
        var buffer = ByteBuffer(string: "*3\r\n:1\r\n?bad\r\n")
        #expect(throws: RESPError.self) { _ = try decoder.decode(buffer: &buffer) }
    }

    @Test func largeReplyInManyReadsIsScannedOnce() throws {
        // 100,000 elements arriving in 1 KiB pieces: the decoder resumes instead of rescanning.
        var text = "*100000\r\n"
        for i in 0..<100_000 { text += ":\(i)\r\n" }
        let all = ByteBuffer(string: text)
        var decoder = RESPReplyDecoder()
        var buffer = ByteBuffer()
        var token: RESPToken? = nil
        var offset = 0
        while offset < all.readableBytes {
            let n = min(1024, all.readableBytes - offset)
            var piece = all.getSlice(at: offset, length: n)!
            buffer.writeBuffer(&piece)
            offset += n
            if let t = try decoder.decode(buffer: &buffer) { token = t }
        }
        #expect(token?.base.readableBytes == all.readableBytes)
        #expect(token?.elements?.count == 100_000)
    }

    @Test func tokenValues() throws {
        let token = try #require(try RESPToken(parsing: ByteBuffer(string: "*3\r\n$6\r\nmaster\r\n:10\r\n*0\r\n")))
        let elements = try #require(token.elements)
        #expect(elements[0].string == "master")
        #expect(elements[1].integer == 10)
        #expect(try RESPToken(parsing: ByteBuffer(string: "-READONLY no\r\n"))?.errorCode == "READONLY")
    }

    @Test func encoderRoundTrips() throws {
        let value: RESPValue = .map([("a", .array([1, "x", .null])), ("b", .set([.simple("s")]))])
        for proto in [RESPProtocol.resp2, .resp3] {
            var buffer = value.encoded(proto)
            var decoder = RESPReplyDecoder()
            let token = try #require(try decoder.decode(buffer: &buffer))
            #expect(buffer.readableBytes == 0)
            // Two pairs: a RESP3 map or a flat RESP2 array, four elements either way.
            #expect(token.elements?.count == 4)
        }
        var e = ByteBuffer()
        e.writeRESPError("ERR a\r\nb")
        #expect(String(buffer: e) == "-ERR a  b\r\n")
    }

    @Test func argumentsAreFoundInTheBytes() throws {
        let request = RESPRequest(["SET", "key", "value", "EX", "10"])
        #expect(request.string(1) == "key")
        #expect(request.integer(4) == 10)
        #expect(request.argument(3, equalsUppercase: "EX"))
        #expect(!request.argument(3, equalsUppercase: "PX"))
        #expect(request.argument(9) == nil)
    }
}

/// Requests with a large argument are passed on as they arrive: the start once the arguments
/// before the large one are in, then the bytes as they come, never the whole request at once.
@Suite("RESP decoder: streamed requests")
struct RESPStreamedRequestTests {
    let limits = RESPLimits(maxBulkLength: 1 << 20, streamBulkLength: 100)

    /// Feeds `input` in pieces of `chunk` bytes; returns every part decoded.
    func parts(_ input: [UInt8], chunk: Int, limits: RESPLimits? = nil) throws -> [RESPRequestPart] {
        var decoder = RESPRequestDecoder(limits: limits ?? self.limits)
        var buffer = ByteBuffer()
        var out: [RESPRequestPart] = []
        var offset = 0
        while offset < input.count {
            buffer.writeBytes(input[offset..<min(input.count, offset + chunk)])
            offset += chunk
            while let part = try decoder.decode(buffer: &buffer) { out.append(part) }
        }
        #expect(buffer.readableBytes == 0)
        return out
    }

    @Test(arguments: [1, 7, 64, 150, 100_000])
    func aLargeRequestStreamsAndTheNextIsWhole(chunk: Int) throws {
        let value = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var big = RESPRequest(["SET", "session:1"]).bytes  // *2: rewritten below as *5
        big = ByteBuffer(string: "*5\r\n$3\r\nSET\r\n$9\r\nsession:1\r\n$1000\r\n")
        big.writeBytes(value)
        big.writeString("\r\n$2\r\nEX\r\n$3\r\n600\r\n")
        let next = RESPRequest(["GET", "session:1"])
        let input = Array(big.readableBytesView) + Array(next.bytes.readableBytesView)
        let parts = try self.parts(input, chunk: chunk)
        if chunk >= input.count {
            // All of it in one read: nothing to stream, the whole request is there.
            #expect(parts.first == .request(RESPRequest(bytes: big, count: 5)))
            #expect(parts.last == .request(next))
            return
        }
        guard case .streamStart(let head, let arguments) = parts.first else {
            Issue.record("no stream start: \(parts.first.debugDescription)")
            return
        }
        #expect(arguments == 5 && head.count == 2)
        #expect(head.string(0) == "SET" && head.string(1) == "session:1")
        // The start and the streamed bytes, in order, are the request's bytes exactly.
        var forwarded = head.bytes
        var lastIndex: Int? = nil
        for (index, part) in parts.enumerated().dropFirst() {
            guard case .streamBytes(var bytes, let last) = part else { break }
            forwarded.writeBuffer(&bytes)
            if last { lastIndex = index }
        }
        #expect(forwarded == big)
        let end = try #require(lastIndex)
        #expect(parts[(end + 1)...].map { $0 } == [.request(next)])
    }

    @Test func smallArgumentsAndTheCommandNameNeverStream() throws {
        // The large argument is the first (nothing to route by yet): the request is gathered.
        let name = String(repeating: "X", count: 200)
        let input = Array(RESPRequest([name]).bytes.readableBytesView)
        let parts = try self.parts(input, chunk: 10)
        #expect(parts == [.request(RESPRequest([name]))])
        // Arguments under the threshold: whole, however they are split.
        let small = Array(RESPRequest(["SET", "k", String(repeating: "v", count: 99)]).bytes.readableBytesView)
        #expect(try self.parts(small, chunk: 3).count == 1)
    }

    @Test(arguments: [
        // The body's CRLF is wrong; the header of a later argument is not a bulk; one is too long.
        ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$150\r\n" + String(repeating: "v", count: 150) + "XY", RESPError.Code.unterminated),
        ("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$150\r\n" + String(repeating: "v", count: 150) + "\r\n+EX\r\n", .unexpectedType),
        ("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$150\r\n" + String(repeating: "v", count: 150) + "\r\n$9999999\r\n", .limitExceeded),
        ("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$150\r\n" + String(repeating: "v", count: 150) + "\r\n$x\r\n", .invalidBulkLength),
    ])
    func malformedStreamsAreRejected(input: String, code: RESPError.Code) throws {
        for chunk in [1, 40, 1_000] {
            do {
                _ = try self.parts(Array(input.utf8), chunk: chunk)
                Issue.record("accepted \(input.prefix(40).debugDescription) in pieces of \(chunk)")
            } catch let error as RESPError {
                #expect(error.code == code, "\(error)")
            }
        }
    }
}
