import NIOSSL

/// TLS for clients (`tls`), for when Porter is not on the application's host: a listener of its
/// own beside the plain ones, Porter's certificate and key, and optionally a CA whose client
/// certificates are required. Files are read with the configuration, so a reload (SIGHUP) takes
/// new certificates for the connections that follow; connected clients keep theirs.
public struct ClientTLS: Sendable {
    public var listen: [ListenAddress]
    public var certFile: String
    public var keyFile: String
    /// With it, clients must present a certificate this CA signed (mTLS).
    public var clientCAFile: String?
    public var minVersion: TLSVersion
    public let context: NIOSSLContext

    public init(
        listen: [ListenAddress], certFile: String, keyFile: String, clientCAFile: String? = nil,
        minVersion: TLSVersion = .tlsv12
    ) throws {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
        tls.minimumTLSVersion = minVersion
        if let clientCAFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCAFile))
            tls.certificateVerification = .noHostnameVerification
        }
        self.listen = listen
        self.certFile = certFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        self.minVersion = minVersion
        self.context = try NIOSSLContext(configuration: tls)
    }

    func handler() -> NIOSSLServerHandler { NIOSSLServerHandler(context: self.context) }
}
