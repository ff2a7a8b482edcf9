import NIOCore
import NIOSSL

/// TLS to Redis nodes (`upstream.tls`, ElastiCache in-transit encryption, Redis' `tls-port`):
/// the trust roots (a CA file, or the system's), the name the certificate must carry (SNI; by
/// default the node's host name, or its IP address), an optional client certificate (mTLS) and
/// the lowest version allowed. The context is made once, when the configuration is read, so a
/// bad file is a configuration error and not a failure at the first connection.
public struct UpstreamTLS: Sendable {
    public var caFile: String?
    public var serverName: String?
    public var certFile: String?
    public var keyFile: String?
    public var minVersion: TLSVersion
    public let context: NIOSSLContext

    public init(
        caFile: String? = nil, serverName: String? = nil, certFile: String? = nil, keyFile: String? = nil,
        minVersion: TLSVersion = .tlsv12
    ) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = minVersion
        tls.certificateVerification = .fullVerification
        if let caFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        } else {
            tls.trustRoots = .default
        }
        switch (certFile, keyFile) {
        case (let cert?, let key?):
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        case (nil, nil):
            break
        default:
            throw UpstreamTLSError(message: "cert_file and key_file go together (a client certificate and its key)")
        }
        self.caFile = caFile
        self.serverName = serverName
        self.certFile = certFile
        self.keyFile = keyFile
        self.minVersion = minVersion
        self.context = try NIOSSLContext(configuration: tls)
    }

    /// The name sent (SNI) and checked against the node's certificate: `server_name`, else the
    /// node's host when it is a name; for an IP address none is sent and the address is checked.
    func hostname(for address: NodeAddress) -> String? {
        if let serverName { return serverName }
        guard case .tcp(let host, _) = address else { return nil }
        let isIP = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return isIP ? nil : host
    }

    /// The handler that goes first in a node connection's pipeline.
    func handler(for address: NodeAddress) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: self.context, serverHostname: self.hostname(for: address))
    }

    /// Why a TLS connection failed, in words an operator can act on.
    static func describe(_ error: Error) -> String? {
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "TLS: the node's certificate is not for the name or address Porter connected to (tls.server_name)"
        }
        let text: String
        switch error {
        case NIOSSLError.uncleanShutdown:
            return "TLS: the node closed the connection without a TLS close (does it speak TLS on this port?)"
        case NIOSSLError.handshakeFailed(let inner): text = "\(inner)"
        case let error as NIOSSLError: text = "\(error)"
        case let error as BoringSSLError: text = "\(error)"
        default: return nil
        }
        // BoringSSL's reason codes, in words an operator can act on.
        let reasons = [
            ("CERTIFICATE_VERIFY_FAILED",
             "the node's certificate was refused: not signed by a CA in tls.ca_file (or the system's), or expired, or not yet valid"),
            ("CERTIFICATE_REQUIRED", "the node requires a client certificate (tls.cert_file and tls.key_file)"),
            ("ALERT_UNKNOWN_CA", "the node does not trust Porter's client certificate (tls.cert_file)"),
            ("ALERT_BAD_CERTIFICATE", "the node refused Porter's client certificate (tls.cert_file)"),
            ("ALERT_CERTIFICATE_EXPIRED", "the node says Porter's client certificate has expired (tls.cert_file)"),
            ("WRONG_VERSION_NUMBER", "the node does not speak TLS on this port"),
            ("UNSUPPORTED_PROTOCOL", "the node does not offer tls.min_version or newer"),
            ("PROTOCOL_VERSION", "the node does not offer tls.min_version or newer"),
        ]
        for (code, words) in reasons where text.contains(code) { return "TLS: \(words)" }
        return "TLS handshake failed (\(text))"
    }
}

public struct UpstreamTLSError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { self.message }
}
