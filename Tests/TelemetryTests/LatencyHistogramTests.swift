import Testing

@testable import Telemetry

@Suite struct LatencyHistogramTests {
    @Test func bucketSearchFollowsTheBounds() {
        #expect(LatencyHistogram.bounds.count == 15)
        #expect(LatencyHistogram.bucketCount == LatencyHistogram.bounds.count + 1)
        // Each bound is inclusive (Prometheus' `le`): the bound is in its bucket, one more in the next.
        for (index, bound) in LatencyHistogram.bounds.enumerated() {
            #expect(LatencyHistogram.bucket(of: bound) == index)
            #expect(LatencyHistogram.bucket(of: bound - 1) == index)
            #expect(LatencyHistogram.bucket(of: bound + 1) == index + 1)
        }
        #expect(LatencyHistogram.bucket(of: .min) == 0)
        #expect(LatencyHistogram.bucket(of: .max) == 15)
    }

    @Test func recordsIntoTheRightBucket() {
        let recorder = LatencyRecorder()
        var histogram = LatencyHistogram()
        for value: Int64 in [0, 100_000, 100_001, 999_999, 1_000_000, 7_000_000_000, -5] {
            recorder.record(nanoseconds: value)
            histogram.record(nanoseconds: value)
        }
        let snapshot = recorder.snapshot()
        #expect(snapshot == histogram)
        #expect(snapshot.counts[0] == 3)  // 0, 100 µs (le is inclusive) and a negative clock step
        #expect(snapshot.counts[1] == 1)  // 100.001 µs
        #expect(snapshot.counts[3] == 2)  // 999.999 µs and 1 ms
        #expect(snapshot.counts[15] == 1)  // 7 s: +Inf
        #expect(snapshot.count == 7)
        #expect(snapshot.sumNanoseconds == 100_000 + 100_001 + 999_999 + 1_000_000 + 7_000_000_000)
    }

    @Test func quantileInterpolatesAsPrometheusDoes() {
        var histogram = LatencyHistogram()
        #expect(histogram.quantile(0.99) == nil)
        for _ in 0..<100 { histogram.record(nanoseconds: 200_000) }  // (100 µs, 250 µs]
        // rank 99 of 100 in the bucket (100 µs, 250 µs]: 100 + 150 × 0.99 µs.
        #expect(histogram.quantile(0.99) == 248_500)
        histogram.record(nanoseconds: 9_000_000_000)
        #expect(histogram.quantile(1.0) == 5_000_000_000)  // +Inf reports the last bound
    }

    @Test func sinceAndAddAreInverse() {
        var a = LatencyHistogram()
        for v: Int64 in [1_000, 300_000, 2_000_000] { a.record(nanoseconds: v) }
        var b = a
        for v: Int64 in [40_000_000, 300_000] { b.record(nanoseconds: v) }
        let delta = b.since(a)
        #expect(delta.count == 2)
        var sum = a
        sum.add(delta)
        #expect(sum == b)
    }

    @Test func everyMetricIsDeclaredOnceWithPrometheusNames() {
        let names = PorterMetric.all.map(\.name)
        #expect(Set(names).count == names.count)
        for metric in PorterMetric.all {
            #expect(metric.name.hasPrefix("porter_"))
            #expect(metric.name.allSatisfy { $0.isLowercase || $0 == "_" })
            if metric.kind == .counter { #expect(metric.name.hasSuffix("_total")) }
            #expect(!metric.help.isEmpty)
        }
    }
}
