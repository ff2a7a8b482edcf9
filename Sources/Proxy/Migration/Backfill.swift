import AdminAPI
import Foundation
import Legacy
import Logging
import Migration
import NIOCore
import RESP
import Upstream

/// Copies every live legacy session that is not in Redis yet, with its remaining lifetime
/// (`SET key value EX ttl NX`: a Redis value, newer by definition, is never overwritten), in
/// the legacy store's order, a page at a time, at most `rate` sessions a second. After each page
/// its cursor is saved in Redis (`<dial_key>:backfill`), so a job started again after an
/// interruption (a stop, a restart of Porter) goes on from there; a finished job deletes it.
/// Runs on the dial's event loop.
final class BackfillJob {
    let settings: MigrationSettings
    let upstreams: LoopUpstreams
    let logger: Logger
    let rate: Int?
    let pageSize: Int
    private(set) var status = BackfillStatus()
    private var cursor: [UInt8]?
    private var started = NIODeadline.now()
    private var timer: Scheduled<Void>?
    private var stopping = false
    /// What an interrupted job had scanned when this one took over.
    private var scannedBefore = 0
    private let cursorKey: [UInt8]

    init(settings: MigrationSettings, upstreams: LoopUpstreams, logger: Logger, rate: Int?, pageSize: Int = 200) {
        self.settings = settings
        self.upstreams = upstreams
        self.logger = logger
        self.rate = rate
        self.pageSize = pageSize
        self.cursorKey = Array((settings.dialKey + ":backfill").utf8)
        self.status.rateLimit = rate
    }

    var migration: LoopMigration? { self.upstreams.migration }
    var isRunning: Bool { self.status.state == "running" }

    /// Starts from the saved cursor (unless `restart`), or from the beginning.
    func start(restart: Bool) {
        self.status.state = "running"
        self.started = .now()
        guard let migration = self.migration else { return self.finish("failed", error: "no migration") }
        let begin: ([UInt8]?) -> Void = { [weak self] saved in
            guard let self else { return }
            self.cursor = saved
            self.status.resumed = saved != nil
            migration.store.countLive(on: self.upstreams.eventLoop).assumeIsolated().whenComplete { result in
                if case .success(let total) = result { self.status.total = total }
                self.page()
            }
        }
        if restart {
            self.upstreams.sideRequest(Self.request("DEL", self.cursorKey), key: self.cursorKey) { _ in begin(nil) }
            return
        }
        self.upstreams.sideRequest(Self.request("GET", self.cursorKey), key: self.cursorKey) { result in
            guard case .success(let token) = result, case .bulkString(let bytes) = token.value,
                let saved = try? JSONDecoder().decode(SavedCursor.self, from: Data(bytes.readableBytesView))
            else { return begin(nil) }
            self.status.scanned = saved.scanned
            self.status.copied = saved.copied
            self.status.skipped = saved.skipped
            self.scannedBefore = saved.scanned
            begin(saved.cursor.flatMap { Self.bytes(hex: $0) })
        }
    }

    func stop() {
        self.stopping = true
        self.timer?.cancel()
        self.timer = nil
        if self.isRunning { self.finish("stopped") }
    }

    private func page() {
        guard !self.stopping, let migration = self.migration else { return }
        migration.store.scan(after: self.cursor, limit: self.pageSize, on: self.upstreams.eventLoop).assumeIsolated()
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    self.finish("failed", error: "the legacy store failed: \(error)")
                case .success(let page):
                    self.copy(page, migration)
                }
            }
    }

    private func copy(_ page: LegacyPage, _ migration: LoopMigration) {
        let records = page.records
        guard !records.isEmpty else { return self.paged(page) }
        var outstanding = records.count
        let pattern = self.settings.patterns[0]
        for record in records {
            let key = pattern.key(for: record.id)
            let ttl = Swift.max(1, record.session.ttl ?? self.settings.defaultTTL)
            let set = RESPRequest([
                ByteBuffer(string: "SET"), ByteBuffer(bytes: key), ByteBuffer(bytes: record.session.data),
                ByteBuffer(string: "EX"), ByteBuffer(string: String(ttl)), ByteBuffer(string: "NX"),
            ])
            self.upstreams.sideRequest(set, key: key) { result in
                switch result {
                case .success(let token) where !token.isError:
                    if case .null = token.value {
                        self.status.skipped += 1
                    } else {
                        self.status.copied += 1
                        migration.counters.backfilled += 1
                    }
                default:
                    self.status.errors += 1
                }
                outstanding -= 1
                if outstanding == 0 { self.paged(page) }
            }
        }
    }

    private func paged(_ page: LegacyPage) {
        self.status.scanned += page.records.count
        self.measure()
        guard let next = page.next else {
            self.upstreams.sideRequest(Self.request("DEL", self.cursorKey), key: self.cursorKey) { _ in }
            return self.finish("done")
        }
        self.cursor = next
        let saved = SavedCursor(
            cursor: self.cursor.map(Self.hex), scanned: self.status.scanned, copied: self.status.copied,
            skipped: self.status.skipped)
        let json = (try? JSONEncoder().encode(saved)).map { Array($0) } ?? []
        let save = RESPRequest([ByteBuffer(string: "SET"), ByteBuffer(bytes: self.cursorKey), ByteBuffer(bytes: json)])
        self.upstreams.sideRequest(save, key: self.cursorKey) { _ in }
        // At most `rate` a second: wait until the time the sessions done so far may take.
        var delay = TimeAmount.zero
        if let rate = self.rate, rate > 0 {
            let due = Double(self.status.scanned - self.scannedBefore) / Double(rate)
            delay = .nanoseconds(Int64(Swift.max(0, due - self.status.seconds) * 1e9))
        }
        self.timer = self.upstreams.eventLoop.assumeIsolated().scheduleTask(in: delay) { [weak self] in
            self?.page()
        }
    }

    private func measure() {
        self.status.seconds = Double((NIODeadline.now() - self.started).nanoseconds) / 1e9
        let scanned = Double(self.status.scanned - self.scannedBefore)
        self.status.sessionsPerSecond = self.status.seconds > 0 ? scanned / self.status.seconds : 0
    }

    private func finish(_ state: String, error: String? = nil) {
        self.measure()
        self.status.state = state
        self.status.error = error
        self.logger.notice(
            "backfill \(state)",
            metadata: [
                "scanned": "\(self.status.scanned)", "copied": "\(self.status.copied)",
                "skipped": "\(self.status.skipped)", "errors": "\(self.status.errors)",
                "error": "\(error ?? "")",
            ])
    }

    struct SavedCursor: Codable {
        var cursor: String?
        var scanned: Int
        var copied: Int
        var skipped: Int
    }

    static func request(_ command: String, _ key: [UInt8]) -> RESPRequest {
        RESPRequest([ByteBuffer(string: command), ByteBuffer(bytes: key)])
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
