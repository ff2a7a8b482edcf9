import Testing

@testable import Migration

/// The migration rules without stores: which keys are sessions, which stage each session is on
/// as the dial turns, and what each operation does in each stage (DESIGN.md's table).
@Suite("Migration policy")
struct MigrationPolicyTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func sessionKeysAreMatchedByPatternAndLockKeysNever() {
        let php = SessionKeyPattern("PHPREDIS_SESSION:{id}")!
        #expect(php.id(in: bytes("PHPREDIS_SESSION:abc123")) == bytes("abc123"))
        #expect(php.id(in: bytes("PHPREDIS_SESSION:abc123_LOCK")) == nil)
        #expect(php.id(in: bytes("PHPREDIS_SESSION:")) == nil)
        #expect(php.id(in: bytes("cache:abc")) == nil)
        #expect(php.key(for: bytes("x9")) == bytes("PHPREDIS_SESSION:x9"))
        let inner = SessionKeyPattern("sess:{id}:data")!
        #expect(inner.id(in: bytes("sess:42:data")) == bytes("42"))
        #expect(inner.id(in: bytes("sess:42:meta")) == nil)
        #expect(SessionKeyPattern("no marker") == nil && SessionKeyPattern("{id}{id}") == nil)
        #expect(inner.description == "sess:{id}:data")
    }

    @Test func eachStageAnswersAndWritesAsTheTableSays() {
        typealias P = SessionPlan
        #expect(
            MigrationPolicy.plan(.read, stage: .legacy)
                == P(answer: .legacy, alsoWrite: [], shadowRead: false, readThrough: false))
        #expect(
            MigrationPolicy.plan(.write, stage: .legacy)
                == P(answer: .legacy, alsoWrite: [], shadowRead: false, readThrough: false))
        #expect(
            MigrationPolicy.plan(.read, stage: .shadow)
                == P(answer: .legacy, alsoWrite: [], shadowRead: true, readThrough: false))
        #expect(
            MigrationPolicy.plan(.write, stage: .shadow)
                == P(answer: .legacy, alsoWrite: [.redis], shadowRead: false, readThrough: false))
        #expect(
            MigrationPolicy.plan(.read, stage: .redisFirst)
                == P(answer: .redis, alsoWrite: [], shadowRead: false, readThrough: true))
        #expect(
            MigrationPolicy.plan(.write, stage: .redisFirst)
                == P(answer: .redis, alsoWrite: [.legacy], shadowRead: false, readThrough: false))
        #expect(
            MigrationPolicy.plan(.read, stage: .redisOnly)
                == P(answer: .redis, alsoWrite: [], shadowRead: false, readThrough: false))
        #expect(
            MigrationPolicy.plan(.write, stage: .redisOnly)
                == P(answer: .redis, alsoWrite: [], shadowRead: false, readThrough: false))
    }

    /// Every step back is safe because the stage before writes what this one reads: `shadow`
    /// writes Redis (so `redis_first` finds it), and `redis_first` writes legacy (so `shadow`
    /// finds it).
    @Test func neighbouringStagesWriteWhatTheOtherReads() {
        for stage in MigrationStage.allCases where stage != .legacy {
            let before = stage.previous
            let writesHere = Set(
                [MigrationPolicy.plan(.write, stage: stage).answer]
                    + MigrationPolicy.plan(.write, stage: stage).alsoWrite)
            let writesBefore = Set(
                [MigrationPolicy.plan(.write, stage: before).answer]
                    + MigrationPolicy.plan(.write, stage: before).alsoWrite)
            #expect(
                writesHere.contains(MigrationPolicy.plan(.read, stage: before).answer), "\(stage) → back to \(before)")
            if stage != .redisOnly {
                #expect(
                    writesBefore.contains(MigrationPolicy.plan(.read, stage: stage).answer)
                        || MigrationPolicy.plan(.read, stage: stage).readThrough, "\(before) → on to \(stage)")
            }
        }
    }

    @Test func percentMovesSessionsForwardOnceAndNeverBack() {
        let ids = (0..<20_000).map { bytes("sid\($0 * 7919)") }
        var stageOf = [[UInt8]: MigrationStage]()
        var previousShare = 0
        for percent in [0.0, 1, 10, 50, 99.5, 100] {
            let dial = MigrationDial(stage: .shadow, percent: percent)
            var moved = 0
            for id in ids {
                let stage = id.withUnsafeBytes { dial.stage(ofSession: $0) }
                if stage == .shadow { moved += 1 }
                // Once on shadow, a session stays there as percent grows.
                if stageOf[id] == .shadow { #expect(stage == .shadow) }
                stageOf[id] = stage
            }
            #expect(moved >= previousShare)
            previousShare = moved
            // The share is about percent (buckets are FNV-1a of the id).
            #expect(abs(Double(moved) / Double(ids.count) * 100 - percent) < 1.5, "\(percent): \(moved)")
        }
        #expect(
            MigrationDial(stage: .redisOnly, percent: 0).stage(ofSession: UnsafeRawBufferPointer(start: nil, count: 0))
                == .redisFirst)
        #expect(
            MigrationDial(stage: .legacy, percent: 50).percent == 50
                && MigrationDial(stage: .legacy, percent: 500).percent == 100)
    }

    @Test func bucketsAreStableAcrossRuns() {
        // Fixed values: every Porter on every web server must agree, now and after an upgrade.
        #expect(SessionBucket.of(bytes("abc")) == SessionBucket.of(bytes("abc")))
        #expect(SessionBucket.of(bytes("")) == Int(0xcbf2_9ce4_8422_2325 as UInt64 % 10_000))
        #expect(SessionBucket.of(bytes("a")) == Int(0xaf63_dc4c_8601_ec8c as UInt64 % 10_000))
    }
}
