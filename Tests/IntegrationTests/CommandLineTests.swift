import Foundation
import PorterTestHarness
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The command line a person uses: help for every command, `porter version`, shell
/// completions, and `porter status` over every way the admin API listens, live with --watch.
@Suite("porter's command line", .serialized)
struct CommandLineTests {
    static var porter: String { Harness.packageRoot.appendingPathComponent(".build/debug/porter").path }

    /// Every command and option has help text (argument-parser's own dump of the tree, the
    /// source of the man page), and `--help` works on each.
    @Test func everyCommandAndOptionIsDescribed() throws {
        let dump = try Harness.run(Self.porter, ["--experimental-dump-help"])
        #expect(dump.status == 0)
        let tree = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var commands: [[String]] = []
        func visit(_ command: [String: Any], path: [String]) {
            let name = command["commandName"] as? String ?? "?"
            guard name != "help" else { return }  // argument-parser's own
            let here = path + [name]
            commands.append(here)
            #expect(!(command["abstract"] as? String ?? "").isEmpty, "\(here) has no abstract")
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                let names = (argument["names"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
                let label = names.first ?? (argument["valueName"] as? String ?? "?")
                #expect(!(argument["abstract"] as? String ?? "").isEmpty, "\(here) \(label) has no help")
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { visit(sub, path: here) }
        }
        visit(try #require(tree["command"] as? [String: Any]), path: [])
        #expect(commands.count >= 10, "\(commands)")
        for command in commands where command.count > 1 {
            let help = try Harness.run(Self.porter, Array(command.dropFirst()) + ["--help"])
            #expect(help.status == 0 && help.stdout.contains("OVERVIEW:") && help.stdout.contains("USAGE: porter"), "\(command)")
        }
    }

    /// `porter version` names the release and this exact binary (its GNU build ID, as readelf
    /// reads it); `--version` prints the release.
    @Test func versionNamesTheBuild() throws {
        let version = try Harness.run(Self.porter, ["version"])
        #expect(version.status == 0)
        let lines = version.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("porter 0.") == true, "\(version.stdout)")
        let readelf = try Harness.run("readelf", ["-n", Self.porter])
        let id = readelf.stdout.split(separator: "\n").first { $0.contains("Build ID:") }?
            .split(separator: " ").last.map(String.init)
        try #require(id != nil, "\(readelf)")
        #expect(lines.count == 2 && lines[1].hasPrefix("build \(id!) (debug, Swift "), "\(version.stdout)")
        let flag = try Harness.run(Self.porter, ["--version"])
        #expect(flag.stdout == String(lines[0].dropFirst("porter ".count)) + "\n")
    }

    /// The bash completion script completes commands and options (run in bash as the shell
    /// does); zsh's and fish's are generated too.
    @Test func shellCompletions() throws {
        let bash = try Harness.run(Self.porter, ["--generate-completion-script", "bash"])
        #expect(bash.status == 0 && bash.stdout.contains("complete"), "\(bash.stderr)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porter-completion-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("porter.bash")
        try bash.stdout.write(to: script, atomically: true, encoding: .utf8)
        func complete(_ words: [String]) throws -> String {
            let line = words.joined(separator: " ")
            let program = """
                PATH="\((Self.porter as NSString).deletingLastPathComponent):$PATH"
                source \(script.path)
                COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " "))); COMP_CWORD=\(words.count - 1)
                COMP_LINE='\(line)'; COMP_POINT=\(line.count)
                _porter porter '\(words.last!)' '\(words.count > 1 ? words[words.count - 2] : "")'
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let r = try Harness.run("bash", ["-c", program])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
        #expect(try complete(["porter", "st"]).contains("status"))
        #expect(try complete(["porter", "status", "--w"]).contains("--watch"))
        #expect(try complete(["porter", "migrate", ""]).contains("set"))
        for shell in ["zsh", "fish"] {
            let r = try Harness.run(Self.porter, ["--generate-completion-script", shell])
            #expect(r.status == 0 && r.stdout.contains("porter"), "\(shell): \(r.stderr)")
        }
    }

    /// `porter status` through the admin API's unix socket with protected reads: refused
    /// without the token, shown with it ($PORTER_ADMIN_TOKEN); exit 4 once Porter is not ready;
    /// `--watch` redraws every second until interrupted.
    @Test func statusOverAUnixSocketWithTheTokenAndWatch() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        // Not in Redis' directory: Redis is stopped (and its directory removed) before the end.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("porter-cli-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let socket = dir.appendingPathComponent("admin.sock").path
        let token = "cli-token-0123456789abcdef"
        let app = try await startPorter(
            yaml: """
                listen: 127.0.0.1:\(freePort())
                admin: { listen: "unix:\(socket)", token: \(token), protect_reads: true }
                log: { level: error }
                upstream:
                  health: { interval: 100ms, timeout: 200ms, rise: 1, fall: 1 }
                  groups: [ { name: sessions, primary: "127.0.0.1:\(redis.port)" } ]
                """)
        try await finally {
            await app.monitor.sample()
            let admin = ["status", "--admin", "unix:\(socket)"]
            let refused = try Harness.run(Self.porter, admin)
            #expect(refused.status == 1 && refused.stderr.contains("Authorization: Bearer"), "\(refused)")
            let shown = try Harness.run(Self.porter, admin, environment: ["PORTER_ADMIN_TOKEN": token])
            #expect(shown.status == 0 && shown.stdout.contains("Porter ready"), "\(shown)")
            #expect(shown.stdout.contains("127.0.0.1:\(redis.port)"), "\(shown.stdout)")

            // The live view: at least three screens, each cleared first, then Ctrl-C.
            let out = dir.appendingPathComponent("watch.out").path
            let pid = try spawn(
                Self.porter, admin + ["--watch"], stdout: out, environment: ["PORTER_ADMIN_TOKEN": token])
            defer {
                kill(pid, SIGKILL)
                waitForExit(pid, seconds: 5)
            }
            let clear = "\u{1B}[H\u{1B}[2J"
            try await Harness.waitUntil("three screens", timeout: .seconds(15)) {
                ((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").components(separatedBy: clear).count > 3
            }
            kill(pid, SIGINT)
            #expect(waitForExit(pid, seconds: 5) != nil, "--watch stops on Ctrl-C")
            let screens = try String(contentsOfFile: out, encoding: .utf8).components(separatedBy: clear).dropFirst()
            #expect(screens.allSatisfy { $0.contains("Porter ready") && $0.contains("every 1 s") }, "\(screens)")

            // Redis gone: Porter answers but is not ready.
            redis.stop()
            var last = (status: Int32(0), stdout: "", stderr: "")
            for _ in 0..<25 where last.status != 4 {
                try await Task.sleep(for: .milliseconds(200))
                await app.monitor.sample()
                last = try Harness.run(Self.porter, admin, environment: ["PORTER_ADMIN_TOKEN": token])
            }
            #expect(last.status == 4 && last.stdout.contains("NOT READY"), "\(last)")
        } stop: {
            await app.stop()
        }
    }
}
