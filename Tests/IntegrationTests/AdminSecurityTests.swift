import Admin
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PorterApp
import PorterTestHarness
import Testing

/// The admin surface (issue 13): reads behind the token when asked, wrong tokens slowed, no
/// secret or session data on any endpoint, and a unix socket with the permissions asked for.
@Suite(.serialized) struct AdminSecurityTests {
    static let token = "admin-token-0123456789abcdef"

    @Test func readsNeedTheTokenWhenProtectedAndNothingSecretIsShown() async throws {
        let redis = try await Harness.startRedis(password: "upstream-secret-pw")
        defer { redis.stop() }
        let port = freePort()
        let yaml = """
            listen: 127.0.0.1:\(port)
            admin: { listen: 127.0.0.1:0, token: \(Self.token), protect_reads: true }
            log: { level: error }
            auth:
              password: default-secret-pw
              users:
                - { name: app, password: app-secret-pw, rules: "+@all ~*" }
            upstream:
              password: upstream-secret-pw
              groups:
                - { name: sessions, primary: 127.0.0.1:\(redis.port) }
            """
        let app = try await startPorter(yaml: yaml)
        try await finally {
            let client = try RedisTestClient(port: port)
            #expect(try client.command("AUTH", "app", "app-secret-pw") == .simple("OK"))
            _ = try client.command("SET", "PHPREDIS_SESSION:secret-session-id", "user|s:13:\"session-value\";")
            _ = try client.command("GET", "PHPREDIS_SESSION:secret-session-id")

            let secrets = [
                "default-secret-pw", "app-secret-pw", "upstream-secret-pw", Self.token, "secret-session-id",
                "session-value",
            ]
            let hummingbird = Application(router: app.admin.makeRouter())
            try await hummingbird.test(.router) { http in
                for path in ["/metrics", "/v1/topology", "/v1/migration"] {
                    try await http.execute(uri: path, method: .get) { response in
                        #expect(response.status == .unauthorized, "\(path) without the token")
                    }
                }
                for path in ["/healthz", "/readyz", "/"] {
                    try await http.execute(uri: path, method: .get) { response in
                        #expect(response.status == .ok, "\(path) needs no token")
                    }
                }
                await app.monitor.sample()
                for path in ["/metrics", "/v1/topology", "/v1/migration", "/healthz", "/readyz", "/"] {
                    try await http.execute(
                        uri: path, method: .get, headers: [.authorization: "Bearer \(Self.token)"]
                    ) { response in
                        let body = String(buffer: response.body)
                        if path != "/v1/migration" { #expect(response.status == .ok, "\(path)") }
                        for secret in secrets {
                            #expect(!body.contains(secret), "\(path) shows '\(secret)'")
                        }
                    }
                }
                // A reload's answer names what changed, never the secret.
                try await http.execute(
                    uri: "/v1/config/reload", method: .post, headers: [.authorization: "Bearer \(Self.token)"]
                ) { response in
                    let body = String(buffer: response.body)
                    for secret in secrets { #expect(!body.contains(secret), "reload shows '\(secret)'") }
                }

                // Wrong tokens are answered more slowly each time: 6 take over 0.3 s.
                let started = Date()
                for guess in 0..<6 {
                    try await http.execute(
                        uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong-\(guess)"]
                    ) { response in
                        #expect(response.status == .unauthorized)
                    }
                }
                #expect(Date().timeIntervalSince(started) >= 0.3)
            }
        } stop: {
            await app.stop()
        }
    }

    /// `admin.listen: unix:/path`: the socket gets the permissions asked for, and answers HTTP.
    @Test func adminOnAUnixSocket() async throws {
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let path = redis.directory.appendingPathComponent("admin.sock").path
        let yaml = """
            listen: 127.0.0.1:\(freePort())
            admin: { listen: "unix:\(path)", socket_mode: "0640" }
            log: { level: error }
            upstream:
              groups:
                - { name: sessions, primary: 127.0.0.1:\(redis.port) }
            """
        let app = try await startPorter(yaml: yaml)
        try await finally {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o640)
            let http = try RedisTestClient(unixPath: path)
            try http.send(raw: Array("GET /healthz HTTP/1.1\r\nHost: porter\r\nConnection: close\r\n\r\n".utf8))
            #expect(String(decoding: try http.readLineBytes(), as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        } stop: {
            await app.stop()
        }
    }

    /// `admin.tls`: the admin server on HTTPS, checked by a client that trusts only the test CA.
    @Test func adminOverTLS() async throws {
        let certs = try TestCertificates.make()
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let yaml = """
            listen: 127.0.0.1:\(freePort())
            admin: { listen: 127.0.0.1:0, tls: { cert_file: \(certs.cert("server")), key_file: \(certs.key("server")) } }
            log: { level: error }
            upstream:
              groups:
                - { name: sessions, primary: 127.0.0.1:\(redis.port) }
            """
        let app = try await startPorter(yaml: yaml)
        try await finally {
            let port = try #require(app.adminPort)
            let script =
                "import ssl, sys, urllib.request; context = ssl.create_default_context(cafile=sys.argv[2]); "
                + "print(urllib.request.urlopen(f'https://127.0.0.1:{sys.argv[1]}/healthz', context=context).read().decode())"
            let r = try Harness.run("python3", ["-c", script, "\(port)", certs.ca])
            #expect(r.stdout.contains("ok"), "\(r)")
            // A key file that is not there is a configuration error naming admin.tls.
            do {
                _ = try PorterConfiguration.parse(
                    yaml: yaml.replacingOccurrences(of: certs.key("server"), with: "/nonexistent.key"), environment: [:])
                Issue.record("a missing key file was accepted")
            } catch {
                #expect("\(error)".contains("admin.tls"), "\(error)")
            }
        } stop: {
            await app.stop()
        }
    }
}
