import Foundation
import NIOCore
import NIOPosix
import PorterTestHarness
import Testing

@testable import Legacy

/// The PHP session files store against PHP's own `files` handler: what PHP wrote Porter reads
/// byte for byte, what Porter writes PHP reads, expiry follows mtime + gc_maxlifetime, and no
/// session id ever names a path outside the directory.
@Suite("PHP session files")
struct SessionFilesTests {
    static let script = Harness.packageRoot.appendingPathComponent(
        "Tests/IntegrationTests/Clients/php_files_session.php"
    ).path

    func php(_ dir: String, _ args: String...) throws -> String {
        let r = try Harness.run("php", [Self.script, dir] + args)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func porterAndPHPReadEachOthersSessions() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "porter-sess-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        try await finally {
            var configuration = SessionFilesConfiguration(directory: dir.path)
            configuration.gcMaxLifetime = 1440
            let files = SessionFiles(configuration: configuration, pool: pool)

            #expect(try self.php(dir.path, "abc123", "write", "7") == "OK")
            let read = try await files.read(Array("abc123".utf8), on: loop).get()
            let onDisk = try [UInt8](Data(contentsOf: dir.appendingPathComponent("sess_abc123")))
            #expect(read?.data == onDisk && String(decoding: onDisk, as: UTF8.self) == "user|s:3:\"bob\";n|i:7;")
            #expect((read?.ttl ?? 0) > 1430 && (read?.ttl ?? 0) <= 1440)

            try await files.write(Array("porter1".utf8), Array("user|s:5:\"alice\";n|i:9;".utf8), on: loop).get()
            #expect(try self.php(dir.path, "porter1", "read") == "{\"user\":\"alice\",\"n\":9}")
            // PHP's empty session is an empty file, and reads back empty, not missing.
            try await files.write(Array("empty".utf8), [], on: loop).get()
            #expect(try await files.read(Array("empty".utf8), on: loop).get()?.data == [])

            // Older than gc_maxlifetime: expired, though PHP itself would still read it.
            let old = timeval(tv_sec: time(nil) - 2000, tv_usec: 0)
            var times = [old, old]
            _ = times.withUnsafeMutableBufferPointer {
                utimes(dir.appendingPathComponent("sess_abc123").path, $0.baseAddress)
            }
            #expect(try await files.read(Array("abc123".utf8), on: loop).get() == nil)
            #expect(try await files.touch(Array("abc123".utf8), on: loop).get() == true)
            #expect(try await files.read(Array("abc123".utf8), on: loop).get() != nil)

            #expect(try await files.delete(Array("porter1".utf8), on: loop).get() == true)
            #expect(try await files.delete(Array("porter1".utf8), on: loop).get() == false)
            #expect(try self.php(dir.path, "porter1", "read") == "[]")
            #expect(try await files.read(Array("never".utf8), on: loop).get() == nil)

            // Ids from cookies never leave the directory.
            for bad in ["../escape", "a/b", "a b", "", "x\u{0}y", "..", String(repeating: "a", count: 300)] {
                await #expect(throws: SessionFilesError.self, "\(bad)") {
                    try await files.write(Array(bad.utf8), Array("x".utf8), on: loop).get()
                }
            }
            let parent = dir.deletingLastPathComponent()
            #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("sess_../escape").path))
            // (PHP's read of the deleted id made an empty file for it, as PHP does.)
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            #expect(names == ["sess_abc123", "sess_empty", "sess_porter1"], "\(names)")
        } stop: {
            try? await group.shutdownGracefully()
            try? await pool.shutdownGracefully()
            try? FileManager.default.removeItem(at: dir)
        }
    }
}
