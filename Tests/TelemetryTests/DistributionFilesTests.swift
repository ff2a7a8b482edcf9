import Foundation
import Testing

@testable import Telemetry

/// The Grafana dashboard and the Prometheus alerts in `dist/` use only metrics and labels
/// Porter exports (`PorterMetric.all`): a renamed metric fails here, not on an operator's screen.
@Suite struct DistributionFilesTests {
    static let dist: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("dist")
    }()
    /// Labels Prometheus adds to every series, and a histogram's bucket bound.
    static let scrapeLabels: Set<String> = ["job", "instance", "le"]

    /// Every PromQL expression of the dashboard's panels.
    static func dashboardExpressions() throws -> [String] {
        let data = try Data(contentsOf: Self.dist.appendingPathComponent("grafana/porter.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(Set(ids).count == panels.count, "every panel has its own id")
        return panels.flatMap { panel in
            ((panel["targets"] as? [[String: Any]]) ?? []).compactMap { $0["expr"] as? String }
        }
    }

    /// Every `expr:` of the alert rules (a value on the line, or a `|` block under it).
    static func ruleExpressions() throws -> [String] {
        let text = try String(contentsOf: Self.dist.appendingPathComponent("prometheus/porter-rules.yml"), encoding: .utf8)
        var expressions: [String] = []
        var block: (indent: Int, lines: [String])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            if var current = block {
                if indent > current.indent || line.trimmingCharacters(in: .whitespaces).isEmpty {
                    current.lines.append(String(line))
                    block = current
                    continue
                }
                expressions.append(current.lines.joined(separator: "\n"))
                block = nil
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("expr:") else { continue }
            let value = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces)
            if value == "|" { block = (indent, []) } else { expressions.append(value) }
        }
        if let block { expressions.append(block.lines.joined(separator: "\n")) }
        return expressions
    }

    /// Checks one expression: each `porter_…` name is exported (a histogram's `_bucket`, `_sum`,
    /// `_count` series count as it), the labels in its `{…}` are the metric's, and every
    /// `by (…)` / `on (…)` label is one some metric has.
    static func check(_ expression: String, file: String) {
        let metrics = Dictionary(uniqueKeysWithValues: PorterMetric.all.map { ($0.name, $0) })
        let anyLabel = Set(PorterMetric.all.flatMap(\.labels)).union(Self.scrapeLabels)
        let selector = /(porter_[a-z_]+)(\{[^}]*\})?/
        for match in expression.matches(of: selector) {
            var name = String(match.output.1)
            if metrics[name] == nil {
                for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
                    let base = String(name.dropLast(suffix.count))
                    if metrics[base]?.kind == .histogram { name = base }
                }
            }
            guard let metric = metrics[name] else {
                Issue.record("\(file): \(match.output.1) is not a metric Porter exports, in: \(expression)")
                continue
            }
            guard let labels = match.output.2 else { continue }
            for label in labels.matches(of: /([a-z_]+)\s*(=~|!=|!~|=)/) {
                let key = String(label.output.1)
                #expect(
                    metric.labels.contains(key) || Self.scrapeLabels.contains(key),
                    "\(file): \(metric.name) has no label \(key), in: \(expression)")
            }
        }
        for clause in expression.matches(of: /\b(?:by|on|without|ignoring)\s*\(([^)]*)\)/) {
            for label in clause.output.1.split(separator: ",") {
                let key = label.trimmingCharacters(in: .whitespaces)
                #expect(anyLabel.contains(key), "\(file): no metric has the label \(key), in: \(expression)")
            }
        }
    }

    @Test func dashboardUsesExportedMetrics() throws {
        let expressions = try Self.dashboardExpressions()
        #expect(expressions.count >= 20)
        for expression in expressions { Self.check(expression, file: "dist/grafana/porter.json") }
        // What the dashboard is for, by the metrics it shows.
        let all = expressions.joined(separator: "\n")
        for name in [
            "porter_commands_total", "porter_command_duration_seconds_bucket", "porter_upstream_duration_seconds_bucket",
            "porter_node_up", "porter_node_role", "porter_failovers_total", "porter_retries_total",
            "porter_held_writes_total", "porter_unconfirmed_writes_total", "porter_migration_stage",
            "porter_migration_shadow_reads_total",
        ] {
            #expect(all.contains(name), "the dashboard does not show \(name)")
        }
    }

    @Test func alertsUseExportedMetrics() throws {
        let expressions = try Self.ruleExpressions()
        #expect(expressions.count == 12, "\(expressions)")
        for expression in expressions { Self.check(expression, file: "dist/prometheus/porter-rules.yml") }
    }

    @Test func theCheckCatchesAWrongName() {
        // The checker itself: a misspelt metric and a label the metric lacks are reported.
        withKnownIssue {
            Self.check("rate(porter_comands_total[1m])", file: "test")
        }
        withKnownIssue {
            Self.check("porter_node_up{role=\"primary\"}", file: "test")
        }
    }
}
