// Telemetry — what Porter measures, declared once.
//
// Owns: the table of metric names, kinds, help texts and label names (every exporter renders
// from it), and the latency histogram that each event loop keeps without locks. Recording is a
// few integer operations; the admin server merges the loops' histograms when it samples them.
//
//   event loop ──record(ns)──▶ LatencyHistogram (plain integers, one per loop and node/class)
//   admin sampler ──copies every loop's──▶ merged ──▶ /metrics, /v1/topology, console

/// Latency observations in fixed buckets (the Prometheus bucket bounds below), with their count
/// and sum. A value type: a loop records into its own; the sampler adds copies together.
public struct LatencyHistogram: Sendable, Hashable {
    /// Upper bounds in nanoseconds: 100 µs to 5 s, then +Inf. Sessions are small and local, so
    /// the interesting part is below a few milliseconds; a failover's held writes reach seconds.
    public static let bounds: [Int64] = [
        100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000,
    ]

    /// Observations per bucket (not cumulative); the last one is +Inf.
    public var counts: [Int]
    public var count = 0
    public var sumNanoseconds: Int64 = 0

    public init() {
        self.counts = [Int](repeating: 0, count: Self.bucketCount)
    }

    /// Buckets, +Inf included.
    public static let bucketCount = 16

    /// The bucket a value falls in (bounds are inclusive, as Prometheus' `le`).
    @inlinable
    static func bucket(of value: Int64) -> Int {
        // A binary search over constants: four compares, where a loop over `bound(_:)` cost ~120
        // instructions a record (two records a request).
        if value <= 10_000_000 {
            if value <= 1_000_000 {
                if value <= 250_000 { return value <= 100_000 ? 0 : 1 }
                return value <= 500_000 ? 2 : 3
            }
            if value <= 5_000_000 { return value <= 2_500_000 ? 4 : 5 }
            return 6
        }
        if value <= 250_000_000 {
            if value <= 50_000_000 { return value <= 25_000_000 ? 7 : 8 }
            return value <= 100_000_000 ? 9 : 10
        }
        if value <= 2_500_000_000 {
            if value <= 1_000_000_000 { return value <= 500_000_000 ? 11 : 12 }
            return 13
        }
        return value <= 5_000_000_000 ? 14 : 15
    }

    @inlinable
    public mutating func record(nanoseconds value: Int64) {
        self.counts[Self.bucket(of: value)] &+= 1
        self.count &+= 1
        self.sumNanoseconds &+= Swift.max(0, value)
    }

    public mutating func add(_ other: LatencyHistogram) {
        for index in self.counts.indices { self.counts[index] &+= other.counts[index] }
        self.count &+= other.count
        self.sumNanoseconds &+= other.sumNanoseconds
    }

    /// What was recorded since `earlier` (an older copy of the same histogram).
    public func since(_ earlier: LatencyHistogram) -> LatencyHistogram {
        var delta = self
        for index in delta.counts.indices {
            delta.counts[index] = Swift.max(0, self.counts[index] - earlier.counts[index])
        }
        delta.count = Swift.max(0, self.count - earlier.count)
        delta.sumNanoseconds = Swift.max(0, self.sumNanoseconds - earlier.sumNanoseconds)
        return delta
    }

    /// The q-quantile (0...1) in nanoseconds, interpolated within its bucket as Prometheus'
    /// `histogram_quantile` does; nil when nothing was recorded. Past the last bound: that bound.
    public func quantile(_ q: Double) -> Int64? {
        guard self.count > 0 else { return nil }
        let rank = q * Double(self.count)
        var seen = 0
        for (index, n) in self.counts.enumerated() where n > 0 {
            if Double(seen + n) >= rank {
                guard index < Self.bounds.count else { return Self.bounds.last! }
                let lower = index == 0 ? 0 : Double(Self.bounds[index - 1])
                let upper = Double(Self.bounds[index])
                let fraction = Swift.max(0, rank - Double(seen)) / Double(n)
                return Int64(lower + (upper - lower) * fraction)
            }
            seen += n
        }
        return Self.bounds.last!
    }
}

/// Where one event loop records latencies: the same buckets as `LatencyHistogram`, in memory
/// allocated once, so a record is a few compares and two adds (no copy-on-write checks, no
/// lock). Used only on its loop; `snapshot()` copies it out for the sampler.
public final class LatencyRecorder {
    /// Bucket counts, then the count, then the sum of nanoseconds.
    @usableFromInline let storage: UnsafeMutablePointer<Int64>
    @usableFromInline static let countSlot = LatencyHistogram.bucketCount
    @usableFromInline static let sumSlot = LatencyHistogram.bucketCount + 1
    static let slots = LatencyHistogram.bucketCount + 2

    public init() {
        self.storage = .allocate(capacity: Self.slots)
        self.storage.initialize(repeating: 0, count: Self.slots)
    }

    deinit {
        self.storage.deallocate()
    }

    @inlinable
    public func record(nanoseconds value: Int64) {
        self.storage[LatencyHistogram.bucket(of: value)] &+= 1
        self.storage[Self.countSlot] &+= 1
        self.storage[Self.sumSlot] &+= Swift.max(0, value)
    }

    public func snapshot() -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for index in histogram.counts.indices { histogram.counts[index] = Int(self.storage[index]) }
        histogram.count = Int(self.storage[Self.countSlot])
        histogram.sumNanoseconds = self.storage[Self.sumSlot]
        return histogram
    }
}
