import Foundation
import PorterApp
import PorterTestHarness
import Testing

/// The console page in a real headless Chromium (Debian's), against a running Porter.
@Suite(.serialized) struct ConsoleTests {
    static func chromium(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try Harness.run(
            "chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]
                + arguments)
    }

    @Test func consoleShowsTheLiveNodes() async throws {
        let fixture = try await ReplicatedFixture.start(readFrom: "replicas_then_primary")

        let client = try RedisTestClient(port: fixture.port)
        for i in 0..<200 { _ = try client.command("SETEX", "PHPREDIS_SESSION:\(i)", "600", "x") }
        await fixture.app.monitor.sample()
        let adminPort = try #require(fixture.app.adminPort)
        let url = "http://127.0.0.1:\(adminPort)/"

        // The page renders what it polls from /v1/topology: every node, with role and health.
        let dom = try Self.chromium(["--virtual-time-budget=3000", "--dump-dom", url])
        #expect(dom.status == 0, "\(dom.stderr.suffix(500))")
        let page = dom.stdout
        for server in [fixture.primary] + fixture.replicas {
            #expect(page.contains(#"data-address="127.0.0.1:\#(server.port)""#), "node \(server.port) missing")
        }
        #expect(page.contains(#"<span class="pill up">up</span>"#))
        #expect(page.contains(#"<span id="ready" class="badge ok">ready</span>"#), "\(page.prefix(2000))")
        #expect(page.contains("Group sessions"))

        // A replica goes down: the next poll shows it.
        fixture.replicas[1].kill()
        try await fixture.waitForTopology { !$0.snapshot.groups[0].replicas[1].usable }
        await fixture.app.monitor.sample()
        let after = try Self.chromium(["--virtual-time-budget=3000", "--dump-dom", url]).stdout
        let row =
            after.components(separatedBy: #"data-address="127.0.0.1:\#(fixture.replicas[1].port)""#).dropFirst().first
            ?? ""
        #expect(row.prefix(600).contains(#"<span class="pill down">down</span>"#), "\(row.prefix(600))")

        // And it draws: a screenshot (as kept in docs/console.png).
        let shot = fixture.primary.directory.appendingPathComponent("console.png").path
        let screenshot = try Self.chromium([
            "--virtual-time-budget=3000", "--window-size=1280,900", "--screenshot=\(shot)", url,
        ])
        #expect(screenshot.status == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000)
        await fixture.stop()
    }

    /// With a migration, the console shows the dial, its counters and the controls to turn it.
    @Test func consoleShowsTheMigrationDial() async throws {
        let stores = try await MigrationStores.start(sql: false)
        let directory = stores.redis.directory.appendingPathComponent("php-sessions").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let port = freePort()
        let token = "console-migration-token-0123456789"
        let app = try await startPorter(
            yaml: stores.porterYAML(
                port: port, token: token,
                legacy: "      files: { dir: \(directory), prefix: sess_, gc_maxlifetime: 1440 }"))
        try await finally {
            let admin = AdminHTTP(port: app.adminPort!, token: token)
            #expect(try admin.turn("shadow", 50).status == 200)
            let client = try RedisTestClient(port: port)
            _ = try client.command("SETEX", "PHPREDIS_SESSION:abc", "600", "x")
            let dom = try Self.chromium([
                "--virtual-time-budget=3000", "--dump-dom", "http://127.0.0.1:\(app.adminPort!)/",
            ])
            #expect(dom.status == 0, "\(dom.stderr.suffix(500))")
            let page = dom.stdout
            #expect(page.contains(#"id="migration-stage">shadow<"#), "\(page.suffix(3000))")
            #expect(page.contains(#"id="migration-percent">50.0 %<"#))
            #expect(page.contains(#"id="dial-turn""#) && page.contains(#"id="backfill-start""#))
            #expect(page.contains("files"))
        } stop: {
            await app.stop()
            stores.stop()
        }
    }
}
