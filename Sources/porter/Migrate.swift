import AdminAPI
import ArgumentParser
import Foundation
import NIOCore
import PorterApp

/// `porter migrate status|set`: the shared migration dial, through any Porter's admin API.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or turn the session migration's shared dial (every Porter follows it).",
        subcommands: [MigrateStatus.self, MigrateSet.self])
}

enum MigrationText {
    static func render(_ body: ByteBuffer) throws -> String {
        let s = try AdminJSON.decode(MigrationStatus.self, from: Data(body.readableBytesView))
        let c = s.counters
        func ms(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
        var lines = [
            "stage \(s.stage) · \(s.percent.formatted()) % · dial v\(s.version) (\(s.dialKey))"
                + (s.dialReadable
                    ? "" : " · CANNOT READ THE SHARED DIAL: \(s.dialProblem ?? "") (last known stage holds)"),
            "legacy store \(s.store) · p50 \(ms(s.legacyLatencyP50Ms)) ms · p99 \(ms(s.legacyLatencyP99Ms)) ms · errors \(c.legacyErrors)",
            "session keys \(s.sessionKeys.joined(separator: ", "))",
            "reads/writes on legacy \(c.readsOnLegacy)/\(c.writesOnLegacy) · shadow \(c.readsOnShadow)/\(c.writesOnShadow) · redis_first \(c.readsOnRedisFirst)/\(c.writesOnRedisFirst)",
            "read-throughs \(c.readThroughs) (missing in both \(c.readThroughMisses)) · also written \(c.alsoWritten) (errors \(c.alsoWriteErrors)) · redis copies invalidated \(c.redisInvalidated)",
            "shadow: match \(c.shadowMatches) · mismatch \(c.shadowMismatches) · missing in redis \(c.shadowMissing) · raced \(c.shadowRaced) · errors \(c.shadowErrors)",
            "backfilled \(c.backfilled) · refused \(c.refused)",
        ]
        if !s.mismatchedSessions.isEmpty {
            lines.append("mismatched sessions (ids): \(s.mismatchedSessions.joined(separator: " "))")
        }
        return lines.joined(separator: "\n")
    }
}

struct MigrateStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The stage, percent and counters a Porter follows.")

    @OptionGroup var options: AdminOptions

    @Option(name: .long, help: "The admin token, when admin.protect_reads is on (default: $PORTER_ADMIN_TOKEN).")
    var token: String?

    @Flag(name: .long, help: "Print the admin API's JSON as it came.")
    var json = false

    func run() async throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["PORTER_ADMIN_TOKEN"]
        let body = try await self.options.send(method: .GET, path: "/v1/migration", token: token)
        print(self.json ? String(buffer: body) : try MigrationText.render(body))
    }
}

struct MigrateSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Turn the shared dial: every Porter follows within about a second.",
        discussion:
            "Unsafe turns (into redis_only before redis_first at 100 %, back out of redis_only) are refused unless --force."
    )

    @OptionGroup var options: AdminOptions

    @Argument(help: "legacy, shadow, redis_first or redis_only.")
    var stage: String

    @Argument(help: "The share of sessions on the stage, 0–100 (the others stay on the stage before).")
    var percent: Double = 100

    @Option(name: .long, help: "The admin token (default: $PORTER_ADMIN_TOKEN).")
    var token: String?

    @Flag(name: .long, help: "Take a turn Porter refuses as unsafe.")
    var force = false

    func run() async throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["PORTER_ADMIN_TOKEN"]
        let body = "{\"stage\":\"\(self.stage)\",\"percent\":\(self.percent),\"force\":\(self.force)}"
        let reply = try await self.options.send(method: .PUT, path: "/v1/migration", token: token, body: body)
        print(try MigrationText.render(reply))
    }
}

/// `porter backfill --config FILE`: copies every live legacy session not yet in Redis, as a job
/// of the Porter that config runs (its admin API), with a progress bar until it is done.
struct Backfill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the legacy store's live sessions into Redis (never over a newer Redis value).",
        discussion:
            "Runs as a job of the local Porter (the admin server and token of --config). An interrupted job goes on from where it stopped when started again; --restart starts from the beginning. Interrupting this command leaves the job running: --stop stops it."
    )

    @Option(name: .shortAndLong, help: "Path to porter.yaml (its admin address and token are used).")
    var config: String = "porter.yaml"

    @Option(name: .long, help: "At most this many sessions a second (default: no limit).")
    var rate: Int?

    @Flag(name: .long, help: "Start from the beginning, not from where an interrupted job stopped.")
    var restart = false

    @Flag(name: .long, help: "Stop a running job (its place is kept for the next).")
    var stop = false

    func run() async throws {
        let configuration: PorterConfiguration
        do {
            configuration = try PorterConfiguration.load(
                path: self.config, environment: ProcessInfo.processInfo.environment)
        } catch {
            FileHandle.standardError.write("porter: \(self.config): \(error)\n".data(using: .utf8)!)
            throw ExitCode(2)
        }
        var options = AdminOptions()
        options.admin = configuration.admin.clientAddress
        let token = configuration.admin.token
        if self.stop {
            _ = try await options.send(method: .DELETE, path: "/v1/migration/backfill", token: token)
            print("backfill stopped")
            return
        }
        var body = "{\"restart\":\(self.restart)"
        if let rate = self.rate { body += ",\"rate\":\(rate)" }
        body += "}"
        _ = try await options.send(method: .POST, path: "/v1/migration/backfill", token: token, body: body)
        let terminal = isatty(STDERR_FILENO) != 0
        while true {
            try await Task.sleep(for: .milliseconds(250))
            let reply = try await options.send(method: .GET, path: "/v1/migration")
            let status = try AdminJSON.decode(MigrationStatus.self, from: Data(reply.readableBytesView))
            guard let job = status.backfill else { continue }
            if terminal { FileHandle.standardError.write(("\r" + Self.bar(job)).data(using: .utf8)!) }
            if job.state != "running" {
                if terminal { FileHandle.standardError.write("\n".data(using: .utf8)!) }
                print(
                    "backfill \(job.state): scanned \(job.scanned), copied \(job.copied), already in Redis \(job.skipped), errors \(job.errors), \(String(format: "%.0f", job.sessionsPerSecond)) sessions/s over \(String(format: "%.1f", job.seconds)) s"
                        + (job.error.map { " (\($0))" } ?? ""))
                if job.state != "done" { throw ExitCode(1) }
                return
            }
        }
    }

    static func bar(_ job: BackfillStatus) -> String {
        let width = 30
        guard let total = job.total, total > 0 else {
            return "scanned \(job.scanned) · copied \(job.copied) · \(Int(job.sessionsPerSecond))/s"
        }
        let fraction = Swift.min(1, Double(job.scanned) / Double(total))
        let filled = Int(fraction * Double(width))
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            + "] \(Int(fraction * 100))% \(job.scanned)/\(total) · copied \(job.copied) · \(Int(job.sessionsPerSecond))/s"
    }
}
