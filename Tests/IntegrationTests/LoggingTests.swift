import Foundation
import Logging
import PorterApp
import PorterTestHarness
import Testing

@Suite(.serialized) struct LoggingTests {
    /// JSON lines to a file, at trace level, through failures, bad passwords and a reload: no
    /// password and no session data in any line, and every line is JSON.
    @Test func logsCarryNoSecretsOrSessionData() async throws {
        let redis = try await Harness.startRedis(password: "upstream-secret-pw")
        defer { redis.stop() }
        let logPath = redis.directory.appendingPathComponent("porter.log").path
        var log = LogConfiguration()
        log.level = "trace"
        log.format = .json
        log.file = logPath
        let (logger, sink) = makeLogger(log)
        let port = freePort()
        let yaml = """
            listen: 127.0.0.1:\(port)
            auth: { password: client-secret-pw }
            upstream:
              password: upstream-secret-pw
              pool: { connections_per_node: 1, command_timeout: 500ms }
              groups: [ { name: s, primary: 127.0.0.1:\(redis.port) } ]
            """
        let app = try await startPorter(
            yaml: yaml, configPath: redis.directory.appendingPathComponent("porter.yaml").path, logger: logger)
        let client = try RedisTestClient(port: port)
        #expect(try client.command("AUTH", "wrong-guess-pw").isError)
        _ = try client.command("AUTH", "client-secret-pw")
        _ = try client.command("SETEX", "PHPREDIS_SESSION:abc", "600", "user_id|i:4242;secret-session-payload")
        _ = try client.command("GET", "PHPREDIS_SESSION:abc")
        _ = await app.reload()
        redis.kill()
        _ = try? client.command("GET", "PHPREDIS_SESSION:abc")
        try await Task.sleep(for: .milliseconds(300))
        await app.stop()
        sink.flushAndStop()

        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 3, "\(text)")
        for secret in ["client-secret-pw", "upstream-secret-pw", "wrong-guess-pw", "secret-session-payload", "4242"] {
            #expect(!text.contains(secret), "the log contains \(secret)")
        }
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
        }
    }

    /// A log destination that stops taking lines (a pipe nobody reads) costs requests nothing:
    /// lines beyond the buffer are dropped and counted.
    @Test func aStuckLogDropsAndCountsLines() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "porter-log-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fifo = dir.appendingPathComponent("log.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // A reader that never reads: the writer thread's writes block once the pipe is full. It
        // stays open (the blocked writer thread lives on), so no write ever meets a closed pipe.
        #expect(open(fifo, O_RDONLY | O_NONBLOCK) >= 0)
        var log = LogConfiguration()
        log.file = fifo
        log.bufferLines = 16
        let (logger, sink) = makeLogger(log)
        let line = String(repeating: "x", count: 200)
        for i in 0..<5000 { logger.info("line \(i) \(line)") }
        #expect(sink.dropped > 0)
        #expect(sink.dropped < 5000)
    }
}
