// `tls` sections: `upstream.tls`, a group's, a Sentinel section's, the cluster's.

import NIOSSL
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
            default:
                switch try string(v, path) {
                case "1.2": minVersion = .tlsv12
                case "1.3": minVersion = .tlsv13
                default: throw fail(path, v, "expected \"1.2\" or \"1.3\"")
                }
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
}
