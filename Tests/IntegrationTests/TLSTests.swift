import Foundation
import PorterApp
import PorterTestHarness
import Testing

/// TLS to Redis (`upstream.tls`) against redis-server's own `--tls-port`, with certificates the
/// harness makes: the good case, mTLS, and each refusal with its reason and the node named.
@Suite(.serialized) struct TLSTests {
    func porter(redisTLSPort: Int, tls: String) async throws -> (PorterApplication, Int) {
        let port = freePort()
        let yaml = """
            listen: 127.0.0.1:\(port)
            log: { level: error }
            upstream:
              tls: \(tls)
              pool: { connect_timeout: 500ms, command_timeout: 1s }
              groups:
                - { name: tls, primary: 127.0.0.1:\(redisTLSPort) }
            """
        return (try await startPorter(yaml: yaml), port)
    }

    @Test func sessionsGoOverTLSAndBadCertificatesAreRefusedWithTheReason() async throws {
        let certs = try TestCertificates.make()
        let tlsPort = freePort()
        let redis = try await Harness.startRedis(arguments: certs.redisArguments(tlsPort: tlsPort, name: "server"))
        let expiredPort = freePort()
        let expired = try await Harness.startRedis(arguments: certs.redisArguments(tlsPort: expiredPort, name: "expired"))
        let mtlsPort = freePort()
        let mtls = try await Harness.startRedis(
            arguments: certs.redisArguments(tlsPort: mtlsPort, name: "server", requireClientCertificates: true))
        // A certificate with a DNS name only (the client one: CN and SAN porter-client).
        let namedPort = freePort()
        let named = try await Harness.startRedis(arguments: certs.redisArguments(tlsPort: namedPort, name: "client"))
        defer { for server in [redis, expired, mtls, named] { server.stop() } }

        // The CA file, the node's IP address checked against the certificate.
        var (app, port) = try await self.porter(redisTLSPort: tlsPort, tls: "{ ca_file: \(certs.ca) }")
        do {
            let client = try RedisTestClient(port: port)
            #expect(try client.command("SET", "PHPREDIS_SESSION:tls", "over tls") == .simple("OK"))
            #expect(try client.command("GET", "PHPREDIS_SESSION:tls") == .bulk(Array("over tls".utf8)))
            #expect(try RedisTestClient(port: redis.port).command("GET", "PHPREDIS_SESSION:tls") == .bulk(Array("over tls".utf8)))
        }
        await app.stop()

        // A server name (SNI) the certificate has, and TLS 1.3 at least.
        (app, port) = try await self.porter(
            redisTLSPort: tlsPort, tls: "{ ca_file: \(certs.ca), server_name: localhost, min_version: \"1.3\" }")
        #expect(try RedisTestClient(port: port).command("PING") == .simple("PONG"))
        await app.stop()

        // The name a node's certificate has, given as server_name.
        (app, port) = try await self.porter(redisTLSPort: namedPort, tls: "{ ca_file: \(certs.ca), server_name: porter-client }")
        #expect(try RedisTestClient(port: port).command("PING") == .simple("PONG"))
        await app.stop()

        // Each refusal: the client's error names the node and why.
        let refusals: [(Int, String, String)] = [
            (tlsPort, "{ ca_file: \(certs.otherCA) }", "certificate was refused"),
            (namedPort, "{ ca_file: \(certs.ca) }", "not for the name"),
            (namedPort, "{ ca_file: \(certs.ca), server_name: elsewhere.example }", "not for the name"),
            (expiredPort, "{ ca_file: \(certs.ca) }", "certificate was refused"),
            (mtlsPort, "{ ca_file: \(certs.ca) }", "requires a client certificate"),
            (redis.port, "{ ca_file: \(certs.ca) }", "TLS"),
        ]
        for (target, tls, reason) in refusals {
            (app, port) = try await self.porter(redisTLSPort: target, tls: tls)
            let reply = try RedisTestClient(port: port).command("GET", "k")
            #expect(reply.errorText.contains("127.0.0.1:\(target)") && reply.errorText.contains(reason), "\(tls): \(reply)")
            await app.stop()
        }

        // mTLS: with Porter's client certificate the node that requires one answers.
        (app, port) = try await self.porter(
            redisTLSPort: mtlsPort,
            tls: "{ ca_file: \(certs.ca), cert_file: \(certs.cert("client")), key_file: \(certs.key("client")) }")
        #expect(try RedisTestClient(port: port).command("SET", "m", "1") == .simple("OK"))
        await app.stop()
    }

    @Test func badTLSConfigurationNamesTheKey() throws {
        let certs = try TestCertificates.make()
        for (tls, fragment) in [
            ("{ ca_file: /nonexistent.pem }", "upstream.tls"),
            ("{ ca_file: \(certs.ca), cert_file: \(certs.cert("client")) }", "cert_file and key_file go together"),
            ("{ min_version: \"1.1\" }", "upstream.tls.min_version"),
            ("maybe", "expected on, off"),
        ] {
            let yaml = "upstream:\n  tls: \(tls)\n  groups:\n    - { name: a, primary: 127.0.0.1:6379 }\n"
            #expect(throws: ConfigurationError.self) { try PorterConfiguration.parse(yaml: yaml, environment: [:]) }
            do { _ = try PorterConfiguration.parse(yaml: yaml, environment: [:]) } catch {
                #expect("\(error)".contains(fragment), "\(tls): \(error)")
            }
        }
    }
}

/// TLS for clients (`tls`): a TLS listener beside the plain one, mTLS, and certificates
/// renewed in place and reloaded without dropping a connection.
@Suite(.serialized) struct ClientTLSTests {
    @Test func clientListener() async throws {
        let certs = try TestCertificates.make()
        let redis = try await Harness.startRedis()
        defer { redis.stop() }
        let live = certs.directory.appendingPathComponent("live")
        try FileManager.default.createDirectory(at: live, withIntermediateDirectories: true)
        let (cert, key) = (live.appendingPathComponent("porter.crt").path, live.appendingPathComponent("porter.key").path)
        try FileManager.default.copyItem(atPath: certs.cert("server"), toPath: cert)
        try FileManager.default.copyItem(atPath: certs.key("server"), toPath: key)
        let (port, tlsPort, mtlsPort) = (freePort(), freePort(), freePort())
        let path = redis.directory.appendingPathComponent("porter.yaml").path
        let yaml = """
            listen: 127.0.0.1:\(port)
            tls: { listen: 127.0.0.1:\(tlsPort), cert_file: \(cert), key_file: \(key) }
            log: { level: error }
            upstream:
              groups:
                - { name: sessions, primary: 127.0.0.1:\(redis.port) }
            """
        let app = try await startPorter(yaml: yaml, configPath: path)
        try await finally {
            var r = try Harness.run("redis-cli", ["--tls", "--cacert", certs.ca, "-p", "\(tlsPort)", "SET", "t", "over tls"])
            #expect(r.stdout.contains("OK"), "\(r)")
            r = try Harness.run("redis-cli", ["-p", "\(port)", "GET", "t"])
            #expect(r.stdout.contains("over tls"), "the plain listener serves too: \(r)")
            r = try Harness.run("redis-cli", ["-p", "\(tlsPort)", "PING"])
            #expect(!r.stdout.contains("PONG"), "plaintext on the TLS port gets nothing: \(r)")

            // Renewed in place and reloaded: a connection from before keeps working, a new one
            // gets the new certificate.
            let go = certs.directory.appendingPathComponent("go").path
            let script = ClientToolTests.clients.appendingPathComponent("tls_client_check.py").path
            let check = Task.detached { try Harness.run("python3", [script, "\(tlsPort)", certs.ca, go]) }
            try await Task.sleep(for: .milliseconds(1500))
            try FileManager.default.removeItem(atPath: cert)
            try FileManager.default.removeItem(atPath: key)
            try FileManager.default.copyItem(atPath: certs.cert("renewed"), toPath: cert)
            try FileManager.default.copyItem(atPath: certs.key("renewed"), toPath: key)
            let outcome = await app.reload()
            #expect(outcome.applied, "\(outcome.error ?? "")")
            _ = FileManager.default.createFile(atPath: go, contents: Data())
            let result = try await check.value
            #expect(result.stdout.contains("before Dec 31 00:00:00 2099 GMT"), "\(result)")
            #expect(result.stdout.contains("after Dec 31 00:00:00 2098 GMT"), "\(result)")
            #expect(result.stdout.contains("ok"), "\(result)")
        } stop: {
            await app.stop()
        }

        // mTLS: a client without a certificate from the CA is refused.
        let mtlsYAML = """
            listen: 127.0.0.1:\(freePort())
            tls: { listen: 127.0.0.1:\(mtlsPort), cert_file: \(certs.cert("server")), key_file: \(certs.key("server")), client_ca_file: \(certs.ca) }
            log: { level: error }
            upstream:
              groups:
                - { name: sessions, primary: 127.0.0.1:\(redis.port) }
            """
        let mtls = try await startPorter(yaml: mtlsYAML)
        try await finally {
            var r = try Harness.run("redis-cli", ["--tls", "--cacert", certs.ca, "-p", "\(mtlsPort)", "PING"])
            #expect(!r.stdout.contains("PONG"), "\(r)")
            r = try Harness.run(
                "redis-cli",
                ["--tls", "--cacert", certs.ca, "--cert", certs.cert("client"), "--key", certs.key("client"), "-p", "\(mtlsPort)", "PING"])
            #expect(r.stdout.contains("PONG"), "\(r)")
        } stop: {
            await mtls.stop()
        }
    }
}
