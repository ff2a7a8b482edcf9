import Foundation

/// Certificates for TLS tests, made with openssl in a directory of their own: a CA, and another
/// that signed nothing Porter meets; a server certificate for 127.0.0.1 and localhost; one that
/// expired in 2020; a renewal of the server one (valid to 2098, not 2099); and a client
/// certificate (mTLS).
public struct TestCertificates: Sendable {
    public let directory: URL
    public var ca: String { self.path("ca.crt") }
    public var otherCA: String { self.path("other-ca.crt") }
    public func cert(_ name: String) -> String { self.path("\(name).crt") }
    public func key(_ name: String) -> String { self.path("\(name).key") }

    func path(_ file: String) -> String { self.directory.appendingPathComponent(file).path }

    /// Makes them (about a second of openssl).
    public static func make() throws -> TestCertificates {
        let dir = try Harness.makeDirectory("tls")
        let certs = TestCertificates(directory: dir)
        func openssl(_ arguments: [String]) throws {
            let r = try Harness.run("openssl", arguments)
            guard r.status == 0 else { throw HarnessError.io("openssl \(arguments.prefix(2)): \(r.stderr)") }
        }
        for ca in ["ca", "other-ca"] {
            try openssl([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", certs.key(ca), "-out", certs.cert(ca),
                "-days", "30", "-subj", "/CN=Porter test \(ca)",
            ])
        }
        try "".write(toFile: certs.path("index.txt"), atomically: true, encoding: .utf8)
        try "01\n".write(toFile: certs.path("serial"), atomically: true, encoding: .utf8)
        try """
        [ ca ]
        default_ca = test
        [ test ]
        database = \(certs.path("index.txt"))
        new_certs_dir = \(dir.path)
        serial = \(certs.path("serial"))
        default_md = sha256
        policy = any
        copy_extensions = copy
        unique_subject = no
        [ any ]
        commonName = supplied
        """.write(toFile: certs.path("ca.cnf"), atomically: true, encoding: .utf8)
        // name, signing CA, subjectAltName, validity
        let leaves: [(String, String, String, (String, String))] = [
            ("server", "ca", "DNS:localhost,IP:127.0.0.1", ("20200101000000Z", "20991231000000Z")),
            ("expired", "ca", "DNS:localhost,IP:127.0.0.1", ("20200101000000Z", "20200201000000Z")),
            ("renewed", "ca", "DNS:localhost,IP:127.0.0.1", ("20200101000000Z", "20981231000000Z")),
            ("client", "ca", "DNS:porter-client", ("20200101000000Z", "20991231000000Z")),
        ]
        for (name, ca, san, (start, end)) in leaves {
            try openssl([
                "req", "-newkey", "rsa:2048", "-nodes", "-keyout", certs.key(name), "-out", certs.path("\(name).csr"),
                "-subj", "/CN=\(name)", "-addext", "subjectAltName=\(san)",
            ])
            try openssl([
                "ca", "-batch", "-notext", "-config", certs.path("ca.cnf"), "-cert", certs.cert(ca), "-keyfile",
                certs.key(ca), "-in", certs.path("\(name).csr"), "-out", certs.cert(name), "-startdate", start,
                "-enddate", end,
            ])
        }
        return certs
    }

    /// redis-server arguments for a TLS port with certificate `name` (and, with
    /// `requireClientCertificates`, mTLS against the CA).
    public func redisArguments(tlsPort: Int, name: String, requireClientCertificates: Bool = false) -> [String] {
        [
            "--tls-port", "\(tlsPort)", "--tls-cert-file", self.cert(name), "--tls-key-file", self.key(name),
            "--tls-ca-cert-file", self.ca, "--tls-auth-clients", requireClientCertificates ? "yes" : "no",
        ]
    }
}
