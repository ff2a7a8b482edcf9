// `tls` sections: `upstream.tls`, a group's, a Sentinel section's, the cluster's.

import NIOSSL
import Proxy
import Upstream
import Yams

extension ConfigReader {
    /// ```yaml
    /// tls: { ca_file: /etc/porter/ca.pem, server_name: redis.internal, cert_file: …, key_file: …, min_version: "1.2" }
    /// ```
    /// `tls: on` (the system's trust roots, the node's own name) or `tls: off` (plain TCP, where a
    /// wider section asked for TLS). Files are read now: a missing or bad one is an error here.
    func readTLS(_ node: Node, _ key: String) throws -> UpstreamTLS? {
        if case .scalar = node {
            let text = try string(node, key).lowercased()
            if ["off", "false", "no"].contains(text) { return nil }
            guard ["on", "true", "yes"].contains(text) else {
                throw fail(key, node, "expected on, off or a mapping (ca_file, server_name, cert_file, key_file, min_version)")
            }
            return try self.makeTLS(node, key) { try UpstreamTLS() }
        }
        var caFile: String? = nil
        var serverName: String? = nil
        var certFile: String? = nil
        var keyFile: String? = nil
        var minVersion = TLSVersion.tlsv12
        for (k, v) in try mapping(node, key, allowed: ["ca_file", "server_name", "cert_file", "key_file", "min_version"]) {
            let path = "\(key).\(k)"
            switch k {
            case "ca_file": caFile = try string(v, path)
            case "server_name": serverName = try string(v, path)
            case "cert_file": certFile = try string(v, path)
            case "key_file": keyFile = try string(v, path)
            default: minVersion = try self.tlsVersion(v, path)
            }
        }
        return try self.makeTLS(node, key) {
            try UpstreamTLS(
                caFile: caFile, serverName: serverName, certFile: certFile, keyFile: keyFile, minVersion: minVersion)
        }
    }

    private func makeTLS(_ node: Node, _ key: String, _ make: () throws -> UpstreamTLS) throws -> UpstreamTLS {
        do {
            return try make()
        } catch let error as UpstreamTLSError {
            throw fail(key, node, error.message)
        } catch {
            throw fail(key, node, "cannot use the certificate or key files: \(error)")
        }
    }

    /// ```yaml
    /// tls: { listen: 0.0.0.0:6390, cert_file: …, key_file: …, client_ca_file: …, min_version: "1.2" }
    /// ```
    func readClientTLS(_ node: Node) throws -> ClientTLS {
        var listen: [ListenAddress] = []
        var certFile: String? = nil
        var keyFile: String? = nil
        var clientCA: String? = nil
        var minVersion = TLSVersion.tlsv12
        for (k, v) in try mapping(node, "tls", allowed: ["listen", "cert_file", "key_file", "client_ca_file", "min_version"]) {
            let key = "tls.\(k)"
            switch k {
            case "listen":
                if case .sequence(let items) = v {
                    listen = try items.enumerated().map { try listenAddress($0.element, "\(key)[\($0.offset)]") }
                } else {
                    listen = [try listenAddress(v, key)]
                }
            case "cert_file": certFile = try string(v, key)
            case "key_file": keyFile = try string(v, key)
            case "client_ca_file": clientCA = try string(v, key)
            default: minVersion = try self.tlsVersion(v, key)
            }
        }
        guard !listen.isEmpty else { throw fail("tls.listen", node, "missing: the address of the TLS listener") }
        guard let certFile, let keyFile else {
            throw fail("tls", node, "needs cert_file and key_file (Porter's certificate and its key)")
        }
        do {
            return try ClientTLS(
                listen: listen, certFile: certFile, keyFile: keyFile, clientCAFile: clientCA, minVersion: minVersion)
        } catch {
            throw fail("tls", node, "cannot use the certificate or key files: \(error)")
        }
    }

    func tlsVersion(_ node: Node, _ key: String) throws -> TLSVersion {
        switch try string(node, key) {
        case "1.2": return .tlsv12
        case "1.3": return .tlsv13
        default: throw fail(key, node, "expected \"1.2\" or \"1.3\"")
        }
    }

    /// `admin.tls: { cert_file, key_file }`: the admin server on HTTPS. The files are tried now.
    func readAdminTLS(_ node: Node, _ key: String) throws -> (String, String) {
        var cert: String? = nil
        var privateKey: String? = nil
        for (k, v) in try mapping(node, key, allowed: ["cert_file", "key_file"]) {
            if k == "cert_file" { cert = try string(v, "\(key).cert_file") } else { privateKey = try string(v, "\(key).key_file") }
        }
        guard let cert, let privateKey else { throw fail(key, node, "needs cert_file and key_file") }
        do {
            _ = try NIOSSLCertificate.fromPEMFile(cert)
            _ = try NIOSSLPrivateKey(file: privateKey, format: .pem)
        } catch {
            throw fail(key, node, "cannot use the certificate or key files: \(error)")
        }
        return (cert, privateKey)
    }
}
