import NIOCore
import NIOPosix
import PorterTestHarness
import Testing

@testable import Legacy

/// Memcached's protocol, decoded one byte at a time; and the client against a real memcached.
@Suite("Memcached protocol and client")
struct MemcachedTests {
    func decodeAll(_ wire: String, byteAtATime: Bool) throws -> [MemcachedResponse] {
        var decoder = MemcachedResponseDecoder()
        var buffer = ByteBuffer()
        var out: [MemcachedResponse] = []
        let bytes = Array(wire.utf8)
        let chunks = byteAtATime ? bytes.map { [$0] } : [bytes]
        for chunk in chunks {
            buffer.writeBytes(chunk)
            while let response = try decoder.decode(buffer: &buffer) { out.append(response) }
        }
        #expect(buffer.readableBytes == 0)
        return out
    }

    @Test func responsesDecodeWholeAndByteByByte() throws {
        let wire =
            "VALUE k 5 7\r\nab\r\ncd\r\r\nEND\r\nEND\r\nSTORED\r\nNOT_STORED\r\nDELETED\r\nNOT_FOUND\r\nTOUCHED\r\n"
            + "VALUE e 0 0\r\n\r\nEND\r\nSERVER_ERROR out of memory\r\n"
        let expected: [MemcachedResponse] = [
            .values([MemcachedValue(key: Array("k".utf8), flags: 5, data: Array("ab\r\ncd\r".utf8))]), .values([]),
            .stored, .notStored, .deleted, .notFound, .touched,
            .values([MemcachedValue(key: Array("e".utf8), flags: 0, data: [])]), .error("SERVER_ERROR out of memory"),
        ]
        #expect(try self.decodeAll(wire, byteAtATime: false) == expected)
        #expect(try self.decodeAll(wire, byteAtATime: true) == expected)
        #expect(throws: MemcachedProtocolError.self) { try self.decodeAll("WHAT\r\n", byteAtATime: false) }
        #expect(throws: MemcachedProtocolError.self) { try self.decodeAll("VALUE k 0 3\r\nabcXY", byteAtATime: false) }
    }

    @Test func keysThatWouldBreakTheCommandLineAreRefused() {
        #expect(MemcachedKey.isValid(Array("memc.sess.key.abc123".utf8)))
        #expect(!MemcachedKey.isValid(Array("a b".utf8)))
        #expect(!MemcachedKey.isValid(Array("a\r\nflush_all".utf8)))
        #expect(!MemcachedKey.isValid([]))
        #expect(!MemcachedKey.isValid(Array(repeating: 0x61, count: 251)))
    }

    @Test func theClientStoresReadsTouchesAndDeletesOnARealMemcached() async throws {
        let memcached = try await Harness.startMemcached()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        try await finally {
            let connection = try await loop.submit {
                MemcachedConnection(
                    configuration: MemcachedConfiguration(host: "127.0.0.1", port: memcached.port), eventLoop: loop)
            }.get()
            func on<T: Sendable>(_ body: @escaping @Sendable (MemcachedConnection) -> EventLoopFuture<T>) async throws
                -> T
            {
                try await loop.flatSubmit { body(connection) }.get()
            }
            let key = Array("memc.sess.key.abc".utf8)
            // Values byte for byte: binary with CRLF inside, and the empty session PHP writes.
            let value: [UInt8] = Array("user|s:3:\"bob\";".utf8) + [0, 13, 10, 255]
            try await on { $0.set(key, value, expiry: 600) }
            #expect(try await on { $0.get(key) } == value)
            try await on { $0.set(key, [], expiry: 600) }
            #expect(try await on { $0.get(key) } == [])
            #expect(try await on { $0.get(Array("memc.sess.key.missing".utf8)) } == nil)
            #expect(try await on { $0.touch(key, expiry: 1200) } == true)
            #expect(try await on { $0.delete(key) } == true)
            #expect(try await on { $0.delete(key) } == false)
            #expect(try await on { $0.touch(key, expiry: 10) } == false)
            // A session id with a space is refused before anything is sent.
            await #expect(throws: MemcachedError.self) { _ = try await on { $0.get(Array("a b".utf8)) } }
            // 500 commands in flight at once come back in order.
            let values = try await loop.flatSubmit { () -> EventLoopFuture<[[UInt8]?]> in
                let sets = (0..<250).map { connection.set(Array("k\($0)".utf8), Array("v\($0)".utf8), expiry: 60) }
                let gets = (0..<250).map { connection.get(Array("k\($0)".utf8)) }
                return EventLoopFuture.whenAllSucceed(sets, on: loop).flatMap { _ in
                    EventLoopFuture.whenAllSucceed(gets, on: loop)
                }
            }.get()
            #expect(values == (0..<250).map { Array("v\($0)".utf8) })
            // A large session (512 KiB).
            let big = (0..<(512 * 1024)).map { UInt8(truncatingIfNeeded: $0 * 31) }
            try await on { $0.set(Array("big".utf8), big, expiry: 60) }
            #expect(try await on { $0.get(Array("big".utf8)) } == big)

            // memcached hung: a timeout, not a hang; then killed: unreachable; restarted: works.
            memcached.pause()
            await #expect { _ = try await on { $0.get(key) } } throws: { ($0 as? MemcachedError)?.code == .timeout }
            memcached.resume()
            memcached.kill()
            await #expect { _ = try await on { $0.get(key) } } throws: { ($0 as? MemcachedError)?.code == .unreachable }
            let again = try await Harness.startMemcached(port: memcached.port)
            try await finally {
                try await on { $0.set(key, value, expiry: 60) }
                #expect(try await on { $0.get(key) } == value)
            } stop: {
                again.stop()
            }
            try await loop.submit { connection.close() }.get()
        } stop: {
            memcached.stop()
            try? await group.shutdownGracefully()
        }
    }
}
