import Foundation
import PorterTestHarness
import Testing

/// What `dist/` ships besides the binary, checked with the tools operators load it with.
@Suite("dist/: alerts, dashboard, package", .serialized)
struct PackagingTests {
    static let dist = Harness.packageRoot.appendingPathComponent("dist")

    /// `promtool check rules` parses every alert; `promtool test rules` fires each on the
    /// series that should raise it and not on a healthy Porter's.
    @Test func alertRulesPassPromtool() throws {
        let rules = Self.dist.appendingPathComponent("prometheus/porter-rules.yml").path
        var r = try Harness.run("promtool", ["check", "rules", rules])
        #expect(r.status == 0 && r.stdout.contains("SUCCESS: 12 rules found"), "\(r)")
        r = try Harness.run("promtool", ["test", "rules", Self.dist.appendingPathComponent("prometheus/porter-rules.test.yml").path])
        #expect(r.status == 0 && r.stdout.contains("SUCCESS"), "\(r)")
    }

    /// Every query of the Grafana dashboard is valid PromQL: each becomes a recording rule
    /// (Grafana's variables replaced by what Grafana would put there) for `promtool check rules`.
    @Test func dashboardQueriesParse() throws {
        let data = try Data(contentsOf: Self.dist.appendingPathComponent("grafana/porter.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { panel in
            ((panel["targets"] as? [[String: Any]]) ?? []).compactMap { $0["expr"] as? String }
        }
        var yaml = "groups:\n  - name: dashboard\n    rules:\n"
        for (index, expression) in expressions.enumerated() {
            let concrete = expression.replacingOccurrences(of: "$__rate_interval", with: "1m")
                .replacingOccurrences(of: "$instance", with: ".*")
            let quoted = concrete.replacingOccurrences(of: "'", with: "''")
            yaml += "      - record: porter:dashboard_query_\(index)\n        expr: '\(quoted)'\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("porter-dashboard-\(getpid()).yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try Harness.run("promtool", ["check", "rules", file.path])
        #expect(r.status == 0 && r.stdout.contains("SUCCESS: \(expressions.count) rules found"), "\(r)")
    }
}
