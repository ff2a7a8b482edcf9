import Commands
import Legacy
import Migration
import NIOCore
import RESP
import Upstream

// The session path of a migration (`migration` in porter.yaml): a command on a session key is
// carried out as `MigrationPolicy` plans it for the stage its session is on. The legacy store
// answers in `legacy` and `shadow`; Redis answers in `redis_first` (through the usual path, with
// its failover and retries) and in `redis_only` (the usual path, untouched). While a session
// command is in flight the client's later commands wait, so a pipeline keeps its order across
// the two stores.

/// A session command in flight: what is still outstanding, and the reply it will give.
final class MigratingCommand {
    let command: SessionCommand
    let request: RESPRequest
    let stage: MigrationStage
    let plan: SessionPlan
    let sequence: UInt32
    /// Parts still outstanding (the answering store's, and a write to the other store).
    var outstanding = 0
    /// The client's reply, once the answering store gave it.
    var answer: ByteBuffer?
    /// redis_first: the legacy store had the session (DEL and EXPIRE answer 1 if either had it).
    var legacyHad = false
    /// The reply from Redis is the answer (redis_first): `reply(_:_:)` hands it here.
    var redisAnswers = false

    init(command: SessionCommand, request: RESPRequest, stage: MigrationStage, plan: SessionPlan, sequence: UInt32) {
        self.command = command
        self.request = request
        self.stage = stage
        self.plan = plan
        self.sequence = sequence
    }
}

extension ClientSession {
    /// True when the migration took the command (answered, or in flight).
    func migrate(_ request: RESPRequest, spec: CommandSpec, _ migration: LoopMigration) -> Bool {
        let dial = migration.dial
        switch SessionCommand.parse(request, spec: spec, patterns: migration.settings.patterns) {
        case .other:
            return false
        case .refused(let what):
            if dial.stage == .redisOnly && dial.percent >= 100 { return false }
            migration.counters.refused += 1
            self.rejectInTransaction()
            self.replyError(
                "ERR Porter: \(what) is not supported while sessions migrate (stage \(dial.stage.rawValue))")
            return true
        case .session(let command):
            let stage = command.id.withUnsafeBytes { dial.stage(ofSession: $0) }
            if stage == .redisOnly { return false }
            if self.transaction.lease != nil || self.transaction.isMultiPending {
                migration.counters.refused += 1
                self.rejectInTransaction()
                self.replyError(
                    "ERR Porter: a session key inside MULTI is not supported while sessions migrate (stage \(stage.rawValue))"
                )
                return true
            }
            let plan = MigrationPolicy.plan(command.operation.kind, stage: stage)
            let pending = MigratingCommand(
                command: command, request: request, stage: stage, plan: plan, sequence: self.allocateSlot())
            self.migrating[pending.sequence] = pending
            if plan.answer == .legacy {
                self.answerFromLegacy(pending, migration)
            } else {
                self.answerFromRedis(pending, spec: spec, migration)
            }
            return true
        }
    }

    // MARK: legacy and shadow: the legacy store answers

    func answerFromLegacy(_ pending: MigratingCommand, _ migration: LoopMigration) {
        let command = pending.command
        let isRead = command.operation.kind == .read
        migration.counters.count(pending.stage, read: isRead)
        pending.outstanding = 1
        if !isRead {
            migration.noteWrite(command.key)
            if pending.plan.alsoWrite.contains(.redis) {
                // shadow mirrors the write, and the client's reply waits for it: the next request
                // may reach a Porter already on redis_first.
                pending.outstanding += 1
                self.loop.sideRequest(pending.request, key: command.key, profile: self.profile) { result in
                    if case .success(let token) = result, !token.isError {
                        migration.counters.alsoWritten += 1
                    } else {
                        migration.counters.alsoWriteErrors += 1
                        // A mirror that failed must not leave an older copy behind.
                        self.loop.sideRequest(Self.del(command.key), key: command.key, profile: self.profile) { _ in }
                    }
                    self.partDone(pending)
                }
            } else {
                // legacy deletes the Redis copy (not waited for: deleting is always safe, the
                // legacy store has the session), so no later stage finds one staler than it.
                self.loop.sideRequest(Self.del(command.key), key: command.key, profile: self.profile) { result in
                    if case .success(let token) = result, !token.isError {
                        migration.counters.redisInvalidated += 1
                    } else {
                        migration.counters.alsoWriteErrors += 1
                    }
                }
            }
        }
        let writesBefore = migration.writeCount(command.key)
        var legacyValue: LegacySession?? = nil
        var redisValue: Result<RESPToken, UpstreamError>? = nil
        func compare() {
            guard let legacy = legacyValue, let redis = redisValue else { return }
            self.shadowCompare(
                command, legacy: legacy, redis: redis, raced: migration.writeCount(command.key) != writesBefore,
                migration)
        }
        if pending.plan.shadowRead, case .get = command.operation {
            self.loop.sideRequest(pending.request, key: command.key, profile: self.profile) { result in
                redisValue = result
                compare()
            }
        }
        self.legacy(command, migration) { result in
            switch result {
            case .success(let outcome):
                pending.answer = self.legacyReply(command.operation, outcome)
                if case .read(let session) = outcome, pending.plan.shadowRead {
                    legacyValue = .some(session)
                    compare()
                }
            case .failure(let error):
                pending.answer = Self.legacyFailed(migration, error)
                if pending.plan.shadowRead { migration.counters.shadowErrors += 1 }
            }
            self.partDone(pending)
        }
    }

    func shadowCompare(
        _ command: SessionCommand, legacy: LegacySession?, redis: Result<RESPToken, UpstreamError>, raced: Bool,
        _ migration: LoopMigration
    ) {
        guard case .success(let token) = redis, !token.isError else {
            migration.counters.shadowErrors += 1
            return
        }
        if raced {
            migration.counters.shadowRaced += 1
            return
        }
        let redisBytes: [UInt8]?
        switch token.value {
        case .bulkString(let bytes): redisBytes = Array(bytes.readableBytesView)
        case .null: redisBytes = nil
        default:
            migration.counters.shadowErrors += 1
            return
        }
        switch (legacy, redisBytes) {
        case (nil, nil): migration.counters.shadowMatches += 1
        case (_?, nil): migration.counters.shadowMissing += 1
        case (let legacy?, let redis?) where legacy.data == redis: migration.counters.shadowMatches += 1
        default: migration.noteMismatch(command.id)
        }
    }

    // MARK: redis_first: Redis answers

    func answerFromRedis(_ pending: MigratingCommand, spec: CommandSpec, _ migration: LoopMigration) {
        let command = pending.command
        let isRead = command.operation.kind == .read
        pending.redisAnswers = true
        pending.outstanding = 1
        migration.counters.count(pending.stage, read: isRead)
        if !isRead {
            migration.noteWrite(command.key)
            pending.outstanding += 1
            self.legacy(command, migration) { result in
                switch result {
                case .success(let outcome):
                    migration.counters.alsoWritten += 1
                    if case .existed(let had) = outcome { pending.legacyHad = had }
                case .failure(let error):
                    // Redis answers: a legacy store that fails is counted and said, not the client's error.
                    migration.counters.alsoWriteErrors += 1
                    _ = Self.legacyFailed(migration, error)
                }
                self.partDone(pending)
            }
        }
        let shard = self.loop.router.shard(of: command.key)
        self.forward(pending.request, spec: spec, shard: shard, sequence: pending.sequence)
    }

    /// `reply(_:_:)` hands over the reply of a session command Redis answers. True when taken.
    func migratingReplied(_ sequence: UInt32, _ reply: ByteBuffer) -> Bool {
        guard let pending = self.migrating[sequence], pending.redisAnswers, pending.answer == nil,
            let migration = self.loop.migration
        else { return false }
        pending.answer = reply
        if pending.command.operation.kind == .read && pending.plan.readThrough
            && Self.isMiss(pending.command.operation, reply)
        {
            self.readThrough(pending, migration)
            return true
        }
        self.partDone(pending)
        return true
    }

    /// A miss in Redis: the legacy store's session, copied into Redis with its remaining
    /// lifetime unless Redis has one by then (`SET … NX`: a newer value is never overwritten).
    func readThrough(_ pending: MigratingCommand, _ migration: LoopMigration) {
        let command = pending.command
        migration.counters.readThroughs += 1
        self.legacy(SessionCommand(id: command.id, key: command.key, operation: .ttl(milliseconds: false)), migration) {
            result in
            switch result {
            case .failure(let error):
                // Not "no session": the client would start a new one and overwrite this one.
                pending.answer = Self.legacyFailed(migration, error)
                self.partDone(pending)
            case .success(.read(nil)), .success(.existed), .success(.stored):
                migration.counters.readThroughMisses += 1
                self.partDone(pending)
            case .success(.read(let session?)):
                let ttl = Swift.max(1, session.ttl ?? migration.settings.defaultTTL)
                let copy = RESPRequest([
                    ByteBuffer(string: "SET"), ByteBuffer(bytes: command.key), ByteBuffer(bytes: session.data),
                    ByteBuffer(string: "EX"), ByteBuffer(string: String(ttl)), ByteBuffer(string: "NX"),
                ])
                pending.answer = self.legacyReply(command.operation, .read(session))
                self.loop.sideRequest(copy, key: command.key, profile: self.profile) { result in
                    if case .success(let token) = result, !token.isError {
                        if case .null = token.value, case .get = command.operation {
                            // Written meanwhile: Redis' value is the newer one.
                            self.loop.sideRequest(pending.request, key: command.key, profile: self.profile) { again in
                                if case .success(let token) = again, !token.isError { pending.answer = token.base }
                                self.partDone(pending)
                            }
                            return
                        }
                    } else {
                        migration.counters.alsoWriteErrors += 1
                    }
                    self.partDone(pending)
                }
            }
        }
    }

    /// DEL and EXPIRE answer 1 when the session was in either store (one not yet read through
    /// is only in the legacy store).
    func adjustedWriteReply(_ pending: MigratingCommand, _ reply: ByteBuffer) -> ByteBuffer {
        guard pending.legacyHad, reply.readableBytesView.elementsEqual(":0\r\n".utf8) else { return reply }
        switch pending.command.operation {
        case .delete, .expire: return ByteBuffer(string: ":1\r\n")
        default: return reply
        }
    }

    static func isMiss(_ operation: SessionCommand.Operation, _ reply: ByteBuffer) -> Bool {
        let view = reply.readableBytesView
        switch operation {
        case .get: return view.elementsEqual("$-1\r\n".utf8) || view.elementsEqual("_\r\n".utf8)
        case .exists: return view.elementsEqual(":0\r\n".utf8)
        case .ttl: return view.elementsEqual(":-2\r\n".utf8)
        default: return false
        }
    }

    // MARK: Finishing

    /// One part of a session command is done; the reply goes out when all are.
    func partDone(_ pending: MigratingCommand) {
        pending.outstanding -= 1
        // A write to the other store may still be out when the answer is in: wait for both, so
        // the client's next request finds the session in every store the stage writes.
        guard pending.outstanding <= 0, var answer = pending.answer else { return }
        guard self.migrating.removeValue(forKey: pending.sequence) != nil else { return }
        if pending.redisAnswers && pending.command.operation.kind == .write {
            answer = self.adjustedWriteReply(pending, answer)
        }
        self.reply(pending.sequence, answer)
        self.flushOutbound()
        if self.migrating.isEmpty && !self.queued.isEmpty { self.replayQueued() }
    }

    static func del(_ key: [UInt8]) -> RESPRequest { RESPRequest([ByteBuffer(string: "DEL"), ByteBuffer(bytes: key)]) }

    // MARK: The legacy store

    enum LegacyOutcome {
        case read(LegacySession?)
        case stored
        case existed(Bool)
    }

    /// Runs a session command on the legacy store, timing it and noting its health.
    func legacy(
        _ command: SessionCommand, _ migration: LoopMigration, _ done: @escaping (Result<LegacyOutcome, Error>) -> Void
    ) {
        let store = migration.store
        let loop = self.loop.eventLoop
        let started = self.loop.now()
        let future: EventLoopFuture<LegacyOutcome>
        switch command.operation {
        case .get, .exists:
            future = store.read(command.id, on: loop).map { .read($0) }
        case .ttl:
            future = store.readWithTTL(command.id, on: loop).map { .read($0) }
        case .set(let value, let ttl):
            future = store.write(command.id, value, ttl: ttl ?? migration.settings.defaultTTL, on: loop).map { .stored }
        case .expire(let ttl):
            future = store.touch(command.id, ttl: ttl, on: loop).map { .existed($0) }
        case .delete:
            future = store.delete(command.id, on: loop).map { .existed($0) }
        }
        future.assumeIsolated().whenComplete { result in
            migration.legacyLatency.record(nanoseconds: Int64(truncatingIfNeeded: self.loop.now() &- started))
            if case .success = result { migration.answered() }
            done(result)
        }
    }

    /// The client's reply for a legacy store's outcome, as Redis would give it.
    func legacyReply(_ operation: SessionCommand.Operation, _ outcome: LegacyOutcome) -> ByteBuffer {
        var buffer = ByteBuffer()
        switch (operation, outcome) {
        case (.get, .read(let session)):
            if let session {
                buffer.writeRESPBulkString(session.data)
            } else {
                buffer.writeRESPNull(self.profile.proto)
            }
        case (.exists, .read(let session)):
            buffer.writeRESPInteger(session == nil ? 0 : 1)
        case (.ttl(let milliseconds), .read(let session)):
            let ttl = session.map { $0.ttl ?? -1 } ?? -2
            buffer.writeRESPInteger(milliseconds && ttl > 0 ? ttl * 1000 : ttl)
        case (_, .existed(let had)):
            buffer.writeRESPInteger(had ? 1 : 0)
        default:
            return Replies.ok
        }
        return buffer
    }

    /// The error a client gets when the legacy store answers and fails: it names the store,
    /// never the session.
    static func legacyFailed(_ migration: LoopMigration, _ error: Error) -> ByteBuffer {
        migration.counters.legacyErrors += 1
        migration.failing(reason: "\(error)")
        var buffer = ByteBuffer()
        buffer.writeRESPError(
            "ERR Porter: the legacy session store (\(migration.settings.legacy.name)) failed: \(error)")
        return buffer
    }
}
