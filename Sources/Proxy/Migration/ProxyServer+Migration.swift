import AdminAPI
import Legacy
import Logging
import Migration
import NIOConcurrencyHelpers
import NIOCore
import Telemetry
import Topology


extension ProxyServer {
    /// The dial this Porter follows and what its sessions did; nil without `migration`.
    public func migrationStatus() async -> MigrationStatus? {
        guard let dial = self.dial, let migration = self.migration else { return nil }
        let (follower, backfill) =
            (try? await dial.eventLoop.submit { (dial.value.follower, dial.value.backfill?.status) }.get()) ?? (
                nil, nil
            )
        let metrics = await self.metricsSnapshot()
        let latency = metrics.legacyLatency
        func ms(_ q: Double) -> Double? { latency.quantile(q).map { Double($0) / 1e6 } }
        let current = follower?.current ?? migration.bootstrap
        return MigrationStatus(
            stage: current.stage.rawValue, percent: current.percent, version: follower?.version ?? -1,
            store: migration.legacy.name, dialKey: migration.dialKey, dialReadable: follower?.problem == nil,
            dialProblem: follower?.problem?.reason, sessionKeys: migration.patterns.map(\.description),
            counters: metrics.migration ?? MigrationCounters(), legacyLatencyP50Ms: ms(0.5),
            legacyLatencyP99Ms: ms(0.99),
            mismatchedSessions: Array(metrics.mismatchedSessions.suffix(10)), backfill: backfill)
    }

    /// Turns the shared dial: every Porter follows within about a second. Throws when there is
    /// no migration, when the turn is unsafe (`DialTransition`) and not forced, or when the
    /// shared value cannot be read or written.
    public func setMigrationDial(_ dial: MigrationDial, force: Bool = false) async throws -> MigrationStatus {
        guard let service = self.dial else { throw MigrationDialError("no migration is configured") }
        _ = try await service.eventLoop.flatSubmit { service.value.set(dial, force: force) }.get()
        guard let status = await self.migrationStatus() else { throw MigrationDialError("no migration is configured") }
        return status
    }

    /// Starts copying the legacy store's live sessions into Redis (see `BackfillJob`); throws
    /// when one is running already.
    public func startBackfill(rate: Int? = nil, restart: Bool = false) async throws -> BackfillStatus {
        guard let service = self.dial else { throw MigrationDialError("no migration is configured") }
        return try await service.eventLoop.submit { try service.value.startBackfill(rate: rate, restart: restart) }
            .get()
    }

    /// Stops a running backfill (its cursor stays, so the next one goes on from there).
    public func stopBackfill() async -> BackfillStatus? {
        guard let service = self.dial else { return nil }
        return try? await service.eventLoop.submit { () -> BackfillStatus? in
            service.value.backfill?.stop()
            return service.value.backfill?.status
        }.get()
    }
}

/// The legacy Redis topology as every loop's pools follow it.
struct LegacyTopology: Sendable {
    let configuration: ProxyConfiguration
    let initial: TopologySnapshot
    let checker: HealthChecker
}

extension ProxyServer {
    /// A health checker for `migration.legacy.redis`, publishing to every loop's legacy pools.
    static func legacyTopology(
        _ migration: MigrationSettings?, logger: Logger,
        loops: NIOLockedValueBox<[NIOLoopBoundBox<LoopUpstreams>]>
    ) -> LegacyTopology? {
        guard case .redis(let topology, _)? = migration?.legacy.kind,
            let checker = Self.healthChecker(
                topology, logger: logger,
                publish: { snapshot in
                    for upstreams in loops.withLockedValue({ $0 }) {
                        upstreams.eventLoop.execute { upstreams.value.legacyUpstreams?.topology = snapshot }
                    }
                })
        else { return nil }
        return LegacyTopology(configuration: topology, initial: checker.initialSnapshot, checker: checker)
    }
}

extension LoopUpstreams {
    /// A loop's migration state and, for a legacy Redis topology, the loop's pools for it.
    static func migration(
        _ settings: MigrationSettings?, _ legacy: LegacyTopology?, eventLoop: EventLoop, logger: Logger
    ) -> (LoopMigration?, LoopUpstreams?) {
        guard let settings else { return (nil, nil) }
        switch settings.legacy.kind {
        case .perLoop(let make):
            return (LoopMigration(settings: settings, store: make(eventLoop), logger: logger), nil)
        case .redis(_, let pattern):
            guard let legacy else { return (nil, nil) }
            let upstreams = LoopUpstreams(
                eventLoop: eventLoop, configuration: legacy.configuration, logger: logger, topology: legacy.initial,
                healthChecker: legacy.checker)
            let store = RedisSessions(upstreams: upstreams, pattern: pattern)
            return (LoopMigration(settings: settings, store: store, logger: logger), upstreams)
        }
    }
}
