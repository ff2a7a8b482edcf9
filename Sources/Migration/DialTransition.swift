/// Which turns of the dial are safe. Every stage before `redis_only` keeps the legacy store
/// current (it answers, or takes every write), and no stage before `redis_first` leaves a Redis
/// copy staler than the legacy one (`legacy` deletes the Redis copy on every write, `shadow`
/// mirrors writes), so moving between them, forward or back, at any percent, loses nothing.
/// Two turns are refused unless forced:
/// - into `redis_only` from anywhere but `redis_first` at 100 %: `redis_only` never reads the
///   legacy store, so a session only there (not read through, not backfilled) would be lost;
/// - back out of `redis_only` (to an earlier stage, or to a lower percent): the legacy store took
///   no writes there, so it would serve old sessions, and bring back destroyed ones.
public enum DialTransition {
    /// nil when `from → to` is safe; else why not, in an operator's words.
    public static func refusal(from: MigrationDial, to: MigrationDial) -> String? {
        if from.stage == .redisOnly {
            if to.stage != .redisOnly {
                return
                    "stepping back from redis_only is refused: the legacy store took no writes in redis_only, so it would serve old sessions and bring back destroyed ones"
            }
            if to.percent < from.percent {
                return
                    "lowering redis_only's percent is refused: the sessions it moves back would be read through from a legacy store that took none of their writes"
            }
            return nil
        }
        if to.stage == .redisOnly && !(from.stage == .redisFirst && from.percent >= 100) {
            return
                "redis_only comes after redis_first at 100 % (and a backfill): it never reads the legacy store, so a session only there would be lost"
        }
        return nil
    }
}
