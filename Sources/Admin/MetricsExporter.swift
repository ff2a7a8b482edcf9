// Admin — Porter's HTTP face for operators.
//
// Owns: the Hummingbird routes (/healthz, /readyz, /metrics, /v1/topology, /v1/config/reload),
// the console page, and the sampler that turns the event loops' counters into rates, metrics and
// the topology view. Reads the proxy and topology; changes nothing itself but through the reload
// hook PorterApp gives it.
//
//   every second ──▶ Monitor.sample() ──ProxyServer.metricsSnapshot()──▶ every loop's counters
//                        │ deltas ──▶ swift-metrics handles (Prometheus registry, or a test factory)
//                        └ rates, p99 ──▶ /v1/topology ──▶ console, `porter status`

import CoreMetrics
import Foundation
import NIOConcurrencyHelpers
import Telemetry

/// Keeps one swift-metrics handle per metric and label set, and feeds them from totals the
/// event loops counted: counters are incremented by what was added since the last export, gauges
/// set. Label sets that stop being reported (a node removed by a reload) are destroyed.
final class MetricsExporter: Sendable {
    let factory: any MetricsFactory

    private struct State {
        var counters: [String: (handle: Counter, exported: Int64)] = [:]
        var gauges: [String: Gauge] = [:]
        var seen: Set<String> = []
    }
    private let state = NIOLockedValueBox(State())

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    private static func key(_ metric: MetricDefinition, _ labels: [String]) -> String {
        ([metric.name] + labels).joined(separator: "\u{1}")
    }

    private static func dimensions(_ metric: MetricDefinition, _ labels: [String]) -> [(String, String)] {
        precondition(labels.count == metric.labels.count, "\(metric.name) takes labels \(metric.labels)")
        return Array(zip(metric.labels, labels))
    }

    /// Starts an export round: label sets not reported again by `finish()` are removed.
    func begin() {
        self.state.withLockedValue { $0.seen.removeAll(keepingCapacity: true) }
    }

    /// A counter's total so far (the exporter increments by the difference). A total that went
    /// down (its node's pools were closed) is taken as the new base.
    func counter(_ metric: MetricDefinition, _ labels: [String] = [], total: Int) {
        precondition(metric.kind == .counter)
        let key = Self.key(metric, labels)
        self.state.withLockedValue { state in
            state.seen.insert(key)
            let total = Int64(total)
            if var entry = state.counters[key] {
                if total > entry.exported { entry.handle.increment(by: total - entry.exported) }
                entry.exported = total
                state.counters[key] = entry
            } else {
                let handle = Counter(
                    label: metric.name, dimensions: Self.dimensions(metric, labels), factory: self.factory)
                handle.increment(by: total)
                state.counters[key] = (handle, total)
            }
        }
    }

    func gauge(_ metric: MetricDefinition, _ labels: [String] = [], value: Int) {
        precondition(metric.kind == .gauge)
        let key = Self.key(metric, labels)
        self.state.withLockedValue { state in
            state.seen.insert(key)
            let handle =
                state.gauges[key]
                ?? Gauge(label: metric.name, dimensions: Self.dimensions(metric, labels), factory: self.factory)
            state.gauges[key] = handle
            handle.record(value)
        }
    }

    /// Destroys the handles of label sets that were not reported in this round.
    func finish() {
        self.state.withLockedValue { state in
            for (key, gauge) in state.gauges where !state.seen.contains(key) {
                gauge.destroy()
                state.gauges[key] = nil
            }
            for (key, entry) in state.counters where !state.seen.contains(key) {
                entry.handle.destroy()
                state.counters[key] = nil
            }
        }
    }
}

/// Prometheus text for histograms the event loops recorded (see README § Architecture:
/// swift-prometheus' histogram takes a lock per observation and cannot add up per-loop
/// histograms, so Porter renders these itself, with the same names table).
enum HistogramText {
    static func render(_ metric: MetricDefinition, series: [([String], LatencyHistogram)], into text: inout String) {
        precondition(metric.kind == .histogram)
        guard !series.isEmpty else { return }
        text += "# HELP \(metric.name) \(metric.help)\n# TYPE \(metric.name) histogram\n"
        for (labels, histogram) in series {
            let pairs = zip(metric.labels, labels).map { "\($0)=\"\(escape($1))\"" }
            let prefix = pairs.joined(separator: ",")
            let comma = prefix.isEmpty ? "" : ","
            var cumulative = 0
            for (index, bound) in LatencyHistogram.bounds.enumerated() {
                cumulative += histogram.counts[index]
                text += "\(metric.name)_bucket{\(prefix)\(comma)le=\"\(seconds(bound))\"} \(cumulative)\n"
            }
            text += "\(metric.name)_bucket{\(prefix)\(comma)le=\"+Inf\"} \(histogram.count)\n"
            let braces = prefix.isEmpty ? "" : "{\(prefix)}"
            text += "\(metric.name)_sum\(braces) \(seconds(histogram.sumNanoseconds))\n"
            text += "\(metric.name)_count\(braces) \(histogram.count)\n"
        }
    }

    static func seconds(_ nanoseconds: Int64) -> String {
        let value = Double(nanoseconds) / 1e9
        return "\(value)"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// swift-prometheus writes `# TYPE` lines only (help texts cannot go through swift-metrics):
    /// add each metric's `# HELP` line from the names table.
    static func addHelp(_ text: String) -> String {
        let help = Dictionary(uniqueKeysWithValues: PorterMetric.all.map { ($0.name, $0.help) })
        var out = ""
        out.reserveCapacity(text.utf8.count + 4096)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# TYPE "), let name = line.dropFirst(7).split(separator: " ").first,
                let text = help[String(name)]
            {
                out += "# HELP \(name) \(text)\n"
            }
            out += line
            out += "\n"
        }
        while out.hasSuffix("\n\n") { out.removeLast() }
        return out
    }
}
