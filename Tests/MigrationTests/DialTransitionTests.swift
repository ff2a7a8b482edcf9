import Testing

@testable import Migration

/// Which turns of the dial Porter takes, and which it refuses as unsafe.
@Suite("Dial transitions")
struct DialTransitionTests {
    func dial(_ stage: MigrationStage, _ percent: Double = 100) -> MigrationDial {
        MigrationDial(stage: stage, percent: percent)
    }

    @Test func everyTurnBeforeRedisOnlyIsSafeBothWays() {
        let before: [MigrationStage] = [.legacy, .shadow, .redisFirst]
        for from in before {
            for to in before {
                for (a, b) in [(1.0, 50.0), (50, 1), (100, 100), (0, 100)] {
                    #expect(
                        DialTransition.refusal(from: dial(from, a), to: dial(to, b)) == nil, "\(from) \(a) → \(to) \(b)"
                    )
                }
            }
        }
    }

    @Test func redisOnlyComesOnlyAfterRedisFirstAtFullPercent() {
        #expect(DialTransition.refusal(from: dial(.redisFirst, 100), to: dial(.redisOnly, 1)) == nil)
        #expect(DialTransition.refusal(from: dial(.redisFirst, 100), to: dial(.redisOnly, 100)) == nil)
        #expect(DialTransition.refusal(from: dial(.redisFirst, 99), to: dial(.redisOnly, 1)) != nil)
        #expect(DialTransition.refusal(from: dial(.shadow, 100), to: dial(.redisOnly)) != nil)
        #expect(DialTransition.refusal(from: dial(.legacy), to: dial(.redisOnly)) != nil)
    }

    @Test func redisOnlyNeverStepsBack() {
        #expect(DialTransition.refusal(from: dial(.redisOnly, 10), to: dial(.redisOnly, 50)) == nil)
        #expect(DialTransition.refusal(from: dial(.redisOnly, 50), to: dial(.redisOnly, 10)) != nil)
        for stage in [MigrationStage.legacy, .shadow, .redisFirst] {
            #expect(DialTransition.refusal(from: dial(.redisOnly, 1), to: dial(stage)) != nil)
        }
    }
}
