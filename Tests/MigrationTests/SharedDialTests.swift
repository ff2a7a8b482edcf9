import Testing

@testable import Migration

/// The shared dial's value and one Porter's view of it, with injected time.
@Suite("Shared migration dial")
struct SharedDialTests {
    func value(_ stage: MigrationStage, _ percent: Double, _ version: Int) -> [UInt8] {
        SharedDialValue(dial: MigrationDial(stage: stage, percent: percent), version: version).encoded()
    }

    @Test func valuesRoundTripAndBadOnesAreRefused() {
        let bytes = self.value(.shadow, 50, 3)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"percent":50,"stage":"shadow","version":3}"#)
        #expect(SharedDialValue.decode(bytes)?.dial == MigrationDial(stage: .shadow, percent: 50))
        for bad in [
            #"{"stage":"sideways","percent":5,"version":1}"#, #"{"stage":"shadow","percent":120,"version":1}"#, "nope",
            "",
        ] {
            #expect(SharedDialValue.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func aPorterFollowsNewerValuesOnly() {
        var follower = DialFollower(bootstrap: MigrationDial(stage: .legacy))
        // No shared value yet: the bootstrap stage stays.
        #expect(follower.read(.success(nil), now: 0) == .none && follower.current.stage == .legacy)
        #expect(
            follower.read(.success(self.value(.shadow, 1, 1)), now: 1)
                == .moved(from: MigrationDial(stage: .legacy), to: MigrationDial(stage: .shadow, percent: 1)))
        #expect(follower.read(.success(self.value(.shadow, 50, 2)), now: 2) != .none)
        // A read that raced an older write cannot turn the dial back.
        #expect(follower.read(.success(self.value(.shadow, 1, 1)), now: 3) == .none)
        #expect(follower.current == MigrationDial(stage: .shadow, percent: 50))
        // Stepping back is a newer version, and is followed.
        #expect(follower.read(.success(self.value(.legacy, 100, 3)), now: 4) != .none)
        #expect(follower.current.stage == .legacy && follower.next(MigrationDial(stage: .shadow)).version == 4)
    }

    @Test func anUnreadableDialKeepsTheLastKnownStageAndSaysSo() {
        var follower = DialFollower(bootstrap: MigrationDial(stage: .legacy))
        _ = follower.read(.success(self.value(.redisFirst, 100, 5)), now: 0)
        #expect(follower.read(.failure(DialReadError("Redis is unreachable")), now: 1) == .lost("Redis is unreachable"))
        // Said once, not on every failed read; the stage stays.
        #expect(follower.read(.failure(DialReadError("Redis is unreachable")), now: 2) == .none)
        #expect(follower.current.stage == .redisFirst && follower.problem?.since == 1)
        #expect(follower.read(.success(Array("garbage".utf8)), now: 3) == .none)
        #expect(follower.read(.success(self.value(.redisFirst, 100, 5)), now: 4) == .recovered)
        #expect(follower.problem == nil && follower.lastRead == 4)
    }
}
