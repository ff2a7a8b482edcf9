import Foundation
import Hashing
import NIOConcurrencyHelpers
import PorterApp
import PorterTestHarness
import Testing

/// Runs blocking work (sockets) on a thread of its own, not on the concurrency pool: two cores
/// give that pool two threads, and blocking them would stop the test and Porter's services.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}

/// Fault injection (issue 13): one group's node misbehaves in every way a node or the network
/// to it can (`FaultProxy`), while a control client works on the other group's keys. The
/// control client sees no error and no stall; the faulty group's client gets a clear error, or
/// its answer, and the group works again once the fault ends.
@Suite(.serialized) struct FaultTests {
    /// GET/SET on its keys until told to stop: every latency, and every error.
    final class ControlClient: @unchecked Sendable {
        let state = NIOLockedValueBox<(stop: Bool, latencies: [Double], errors: [String])>((false, [], []))
        var task: Task<Void, Never>?

        init(port: Int, keys: [String]) {
            self.task = Task { await onThread {
                guard let client = try? RedisTestClient(port: port) else { return }
                var i = 0
                while !self.state.withLockedValue({ $0.stop }) {
                    let key = keys[i % keys.count]
                    let started = Date()
                    let reply = try? (i % 2 == 0 ? client.command("SET", key, "v\(i)") : client.command("GET", key))
                    let elapsed = Date().timeIntervalSince(started)
                    self.state.withLockedValue { state in
                        state.latencies.append(elapsed)
                        if reply == nil || reply!.isError { state.errors.append("\(reply.map { "\($0)" } ?? "no reply")") }
                    }
                    i += 1
                    usleep(2_000)
                }
            } }
        }

        func stop() async -> (count: Int, p99: Double, max: Double, errors: [String]) {
            self.state.withLockedValue { $0.stop = true }
            await self.task?.value
            let (_, latencies, errors) = self.state.withLockedValue { $0 }
            let sorted = latencies.sorted()
            let p99 = sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
            return (sorted.count, p99, sorted.last ?? 0, errors)
        }
    }

    @Test func aFaultyNodeFailsOnlyItsOwnKeys() async throws {
        let good = try await Harness.startRedis()
        let bad = try await Harness.startRedis()
        let proxy = try FaultProxy(target: bad.port)
        defer {
            proxy.stop()
            good.stop()
            bad.stop()
        }
        let port = freePort()
        let yaml = """
            listen: 127.0.0.1:\(port)
            log: { level: critical }
            limits: { max_bulk_bytes: 1mb }
            upstream:
              pool: { connections_per_node: 1, connect_timeout: 250ms, command_timeout: 500ms }
              health: { interval: 100ms, timeout: 250ms, rise: 1, fall: 2 }
              write_wait: 0
              groups:
                - { name: good, primary: 127.0.0.1:\(good.port) }
                - { name: faulty, primary: 127.0.0.1:\(proxy.port) }
            """
        let app = try await startPorter(yaml: yaml)
        let ring = KeyRing(servers: [.init(identity: "good"), .init(identity: "faulty")], hash: .fnv1a_64, distribution: .ketama)
        func keys(_ shard: Int, _ count: Int) -> [String] {
            (0..<10_000).map { "PHPREDIS_SESSION:\($0)" }.filter { ring.server(for: Array($0.utf8)) == shard }
                .prefix(count).map { $0 }
        }
        let (goodKeys, badKey) = (keys(0, 20), keys(1, 1)[0])
        try await finally {
            let control = ControlClient(port: port, keys: goodKeys)
            let faulty = try RedisTestClient(port: port, timeoutSeconds: 5)
            #expect(try faulty.command("SET", badKey, "before") == .simple("OK"))
            var seen: [String] = []
            let faults: [(FaultProxy.Fault, String)] = [
                (.resetMidReply, "reset mid-reply"), (.halfClose, "half-close"), (.stall, "stall"),
                (.slow(milliseconds: 200), "slow (200 ms)"), (.malformed, "malformed RESP"),
                (.oversized, "oversized bulk"), (.unsolicited, "unsolicited reply"),
            ]
            for (fault, name) in faults {
                proxy.fault = fault
                let started = Date()
                let reply = try faulty.command("GET", badKey)
                let took = Date().timeIntervalSince(started)
                seen.append("\(name): \(reply) in \(Int(took * 1000)) ms")
                if case .slow = fault {
                    #expect(reply == .bulk(Array("before".utf8)), "\(name): \(reply)")
                } else if fault == .unsolicited {
                    // The reply itself is right; the extra one ends the connection (nothing waited for it).
                    #expect(reply == .bulk(Array("before".utf8)), "\(name): \(reply)")
                } else {
                    #expect(reply.errorText.hasPrefix("ERR Porter:") && reply.errorText.contains("127.0.0.1:\(proxy.port)"), "\(name): \(reply)")
                }
                #expect(took < 3, "\(name) took \(took) s")
                proxy.fault = .none
                // The group works again once the node behaves.
                var recovered = false
                for _ in 0..<100 {
                    if try faulty.command("GET", badKey) == .bulk(Array("before".utf8)) {
                        recovered = true
                        break
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(recovered, "\(name): the group did not recover")
            }
            let (count, p99, worst, errors) = await control.stop()
            print("fault injection: \(seen.joined(separator: "; "))")
            print("control client: \(count) commands, p99 \(Int(p99 * 1000)) ms, max \(Int(worst * 1000)) ms, errors \(errors.count)")
            #expect(errors.isEmpty, "the control client saw \(errors.prefix(3))")
            #expect(count > 100)
        } stop: {
            await app.stop()
        }
    }

    /// Hostile clients: 3,000 connections at once (three times `max_clients`), and a client that
    /// pipelines a million commands without reading a reply. The control client keeps working.
    /// (Both sides of every connection are in this process; `make soak` does 20,000 against the binary.)
    @Test func hostileClientsDoNotStarveOthers() async throws {
        try await withPorter(extraYAML: "limits: { max_clients: 1000, max_pipeline: 1024 }") { porter in
            let control = ControlClient(port: porter.port, keys: ["control:1", "control:2"])
            try await Task.sleep(for: .milliseconds(200))

            // A million GETs of a 1 kB value written without reading a reply (a gigabyte of
            // replies): once the kernel's buffers are full Porter stops reading this client, so
            // the writer blocks and nothing grows.
            _ = try porter.client().command("SET", "flood", String(repeating: "x", count: 1024))
            let flooder = try RedisTestClient(port: porter.port, timeoutSeconds: 2)
            let flood = Task { await onThread {
                let batch = (0..<10_000).flatMap { _ in RedisTestClient.encode(["GET", "flood"]) }
                var sent = 0
                for _ in 0..<100 {
                    guard (try? flooder.send(raw: batch)) != nil else { break }
                    sent += 10_000
                }
                return sent
            } }

            // 3,000 connections: the first 1,000 (with the control and flood clients) are served,
            // the rest get Redis' own "max number of clients" error and are closed.
            var open: [RedisTestClient] = []
            var refused = 0
            for _ in 0..<3_000 {
                guard let client = try? RedisTestClient(port: porter.port, timeoutSeconds: 2) else { break }
                open.append(client)
            }
            for client in open.suffix(1_000) {
                if (try? client.readReply())?.errorText == "ERR max number of clients reached" { refused += 1 }
            }
            #expect(try open[0].command("PING") == .simple("PONG"))
            #expect(refused == 1_000, "refused \(refused) of the last 1,000")
            open.removeAll()

            let sent = await flood.value
            let (count, p99, worst, errors) = await control.stop()
            print("hostile clients: flooder wrote \(sent) commands before Porter stopped reading it; control client \(count) commands, p99 \(Int(p99 * 1000)) ms, max \(Int(worst * 1000)) ms, errors \(errors.count)")
            #expect(sent < 1_000_000, "Porter kept reading a client that does not read its replies")
            // Served throughout: the flooder's commands past max_pipeline wait in its session, not
            // in front of the control client's on the shared upstream connection.
            #expect(count > 100 && errors.isEmpty, "the control client saw \(errors.prefix(3))")
            #expect(try porter.client().command("PING") == .simple("PONG"))
        }
    }

    /// A pipeline far past `max_pipeline`, with a streamed large value in the middle, is run and
    /// answered in the order it was sent.
    @Test func aPipelinePastMaxPipelineKeepsItsOrder() async throws {
        try await withPorter(extraYAML: "limits: { max_pipeline: 8 }") { porter in
            let client = try porter.client()
            let big = String(repeating: "b", count: 300_000)  // past stream_bulk_bytes: streamed
            var bytes: [UInt8] = []
            for i in 1...1_000 { bytes += RedisTestClient.encode(["INCR", "order"]) ; if i == 500 { bytes += RedisTestClient.encode(["SET", "big", big]) } }
            bytes += RedisTestClient.encode(["STRLEN", "big"]) + RedisTestClient.encode(["GET", "order"])
            try client.send(raw: bytes)
            for i in 1...1_000 {
                guard let r = try? client.readReply() else { Issue.record("stalled before reply \(i)"); return }
                #expect(r == .integer(i), "INCR \(i)")
                if i == 500 { #expect(try client.readReply() == .simple("OK")) }
            }
            #expect(try client.readReply() == .integer(300_000))
            #expect(try client.readReply() == .bulk(Array("1000".utf8)))
        }
    }
}
