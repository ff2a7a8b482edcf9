import Foundation

/// The dial as every Porter shares it: stored in Redis under `migration.dial_key` as JSON,
/// `{"stage":"shadow","percent":50,"version":7}`. `version` grows with every change, so a
/// Porter takes a value only if it is newer than the one it has (a slow read cannot turn the
/// dial back).
public struct SharedDialValue: Codable, Sendable, Hashable {
    public var stage: String
    public var percent: Double
    public var version: Int

    public init(dial: MigrationDial, version: Int) {
        self.stage = dial.stage.rawValue
        self.percent = dial.percent
        self.version = version
    }

    public var dial: MigrationDial? {
        MigrationStage(rawValue: self.stage).map { MigrationDial(stage: $0, percent: self.percent) }
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// nil for bytes that are not a valid dial (wrong JSON, unknown stage, percent outside 0–100).
    public static func decode(_ bytes: [UInt8]) -> SharedDialValue? {
        guard let value = try? JSONDecoder().decode(SharedDialValue.self, from: Data(bytes)),
            MigrationStage(rawValue: value.stage) != nil, (0...100).contains(value.percent), value.version >= 0
        else { return nil }
        return value
    }
}

/// What one Porter knows of the shared dial: the newest value it has read, and whether it can
/// still read it. It starts from the configuration's stage (the bootstrap default) and keeps
/// its last known value when the shared one cannot be read, saying so: a Porter never falls
/// back to another stage on its own. Time comes in as `now:` (seconds), so the rules are
/// unit-tested.
public struct DialFollower: Sendable {
    public private(set) var current: MigrationDial
    public private(set) var version: Int
    /// Why the shared value could not be read, since when; nil while it can.
    public private(set) var problem: (reason: String, since: Double)?
    public private(set) var lastRead: Double?

    public init(bootstrap: MigrationDial) {
        self.current = bootstrap
        self.version = -1
    }

    public enum Change: Equatable, Sendable {
        case none
        /// A newer dial: every session path uses it from now on.
        case moved(from: MigrationDial, to: MigrationDial)
        /// The shared value cannot be read (or is not a dial): the last known one stays.
        case lost(String)
        /// It can be read again.
        case recovered
    }

    /// A read of the shared key: its bytes (nil when the key does not exist yet: the bootstrap
    /// stage stays until someone sets the dial), or the error.
    public mutating func read(_ result: Result<[UInt8]?, DialReadError>, now: Double) -> Change {
        switch result {
        case .failure(let error):
            return self.fail(error.reason, now: now)
        case .success(nil):
            self.lastRead = now
            return self.clearProblem()
        case .success(let bytes?):
            guard let value = SharedDialValue.decode(bytes), let dial = value.dial else {
                return self.fail(
                    "the shared dial is not valid JSON with a known stage and a percent in 0–100", now: now)
            }
            self.lastRead = now
            let recovered = self.clearProblem()
            guard value.version > self.version else { return recovered }
            let from = self.current
            self.current = dial
            self.version = value.version
            return from == dial ? recovered : .moved(from: from, to: dial)
        }
    }

    private mutating func fail(_ reason: String, now: Double) -> Change {
        if self.problem == nil {
            self.problem = (reason, now)
            return .lost(reason)
        }
        return .none
    }

    private mutating func clearProblem() -> Change {
        guard self.problem != nil else { return .none }
        self.problem = nil
        return .recovered
    }

    /// The value to write for an operator's change: the next version after the newest known.
    public func next(_ dial: MigrationDial) -> SharedDialValue {
        SharedDialValue(dial: dial, version: Swift.max(self.version, 0) + 1)
    }
}

public struct DialReadError: Error, Sendable, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}
