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

extension PackagingTests {
    /// The package `make test` built from the debug binary (`scripts/deb.sh debug`, the same
    /// script as `make deb`), installed with dpkg into a fresh root: the files are where the
    /// README says, the binary needs no Swift on the machine, the installed config passes
    /// `porter check-config`, the installed unit passes `systemd-analyze verify` with the
    /// installed man page, and removing it keeps the edited config until a purge.
    @Test func debianPackageInstallsIntoAFreshRoot() throws {
        let dir = Harness.packageRoot.appendingPathComponent(".build/deb-test")
        let package = try #require(
            try? FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasSuffix(".deb") },
            "no package in .build/deb-test: make test builds it (scripts/deb.sh debug .build/deb-test)")
        let deb = dir.appendingPathComponent(package).path
        #expect(package.hasPrefix("porter_0.") && package.hasSuffix("_amd64.deb"), "\(package)")
        let info = try Harness.run("dpkg-deb", ["-f", deb, "Package", "Depends"])
        #expect(info.stdout.contains("Package: porter") && info.stdout.contains("libc6"), "\(info)")
        // Every dependency is a package this machine has.
        let depends = info.stdout.split(separator: "\n").first { $0.hasPrefix("Depends:") }?.dropFirst(8)
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        for name in depends {
            #expect(try Harness.run("dpkg", ["-s", name]).status == 0, "\(name) is not installed")
        }

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("porter-root-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        for path in ["var/lib/dpkg/updates", "var/lib/dpkg/info"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(path), withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: root.appendingPathComponent("var/lib/dpkg/status").path, contents: nil)
        // The fresh root has no libc6 of its own (the binary runs with this machine's) and no
        // shell to run the maintainer scripts in.
        // --path-include: a Docker image's dpkg configuration may exclude /usr/share/man and doc.
        let dpkg = [
            "--root=\(root.path)", "--force-depends", "--force-script-chrootless", "--log=/dev/null", "--path-include=/*",
        ]
        var r = try Harness.run("dpkg", dpkg + ["-i", deb])
        #expect(r.status == 0, "\(r)")
        for path in [
            "usr/bin/porter", "lib/systemd/system/porter.service", "etc/porter/porter.yaml",
            "usr/share/man/man1/porter.1.gz", "usr/share/bash-completion/completions/porter",
            "usr/share/zsh/vendor-completions/_porter", "usr/share/fish/vendor_completions.d/porter.fish",
            "usr/share/porter/grafana/porter.json", "usr/share/porter/prometheus/porter-rules.yml",
            "usr/share/doc/porter/examples/porter.example.yaml",
        ] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(path) missing")
        }
        let porter = root.appendingPathComponent("usr/bin/porter").path
        let config = root.appendingPathComponent("etc/porter/porter.yaml").path
        r = try Harness.run(porter, ["check-config", config])
        #expect(r.status == 0 && r.stdout.contains("OK"), "\(r)")
        // No Swift runtime from /opt/swift: it is linked in.
        r = try Harness.run("ldd", [porter])
        #expect(!r.stdout.contains("swift"), "\(r.stdout)")
        r = try Harness.run("/usr/bin/env", ["-i", porter, "version"])
        #expect(r.status == 0 && r.stdout.hasPrefix("porter 0."), "\(r)")

        // The man page, as `man` shows it.
        let manpath = root.appendingPathComponent("usr/share/man").path
        r = try Harness.run("man", ["porter"], environment: ["MANPATH": manpath, "MANPAGER": "cat", "MANWIDTH": "80"])
        #expect(r.status == 0 && r.stdout.contains("check-config") && r.stdout.contains("SIGUSR2"), "\(r)")
        // The installed unit, with its ExecStart in the root and its man page found.
        let unit = try String(contentsOfFile: root.appendingPathComponent("lib/systemd/system/porter.service").path, encoding: .utf8)
        let copy = root.appendingPathComponent("porter.service")
        try unit.replacingOccurrences(of: "/usr/bin/porter", with: porter).write(to: copy, atomically: true, encoding: .utf8)
        r = try Harness.run("systemd-analyze", ["verify", copy.path], environment: ["MANPATH": manpath])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r)")

        // Removing keeps an edited configuration (a conffile); purging removes it.
        try "# edited\n".appending(try String(contentsOfFile: config, encoding: .utf8))
            .write(toFile: config, atomically: true, encoding: .utf8)
        r = try Harness.run("dpkg", dpkg + ["-r", "porter"])
        #expect(r.status == 0 && !FileManager.default.fileExists(atPath: porter), "\(r)")
        #expect(FileManager.default.fileExists(atPath: config), "the edited configuration stays")
        r = try Harness.run("dpkg", dpkg + ["-P", "porter"])
        #expect(r.status == 0 && !FileManager.default.fileExists(atPath: config), "\(r)")
    }
}
