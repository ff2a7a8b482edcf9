import NIOCore

/// Replies that never change, built once.
enum Replies {
    static let ok = ByteBuffer(string: "+OK\r\n")
    static let pong = ByteBuffer(string: "+PONG\r\n")
    static let noAuth = ByteBuffer(string: "-NOAUTH Authentication required.\r\n")
    static let noAuthHello = ByteBuffer(
        string:
            "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n"
    )
    static let wrongPass = ByteBuffer(string: "-WRONGPASS invalid username-password pair or user is disabled.\r\n")
    static let noProto = ByteBuffer(string: "-NOPROTO unsupported protocol version\r\n")
    static let execAbort = ByteBuffer(string: "-EXECABORT Transaction discarded because of previous errors.\r\n")
    static let noUpstream = ByteBuffer(string: "-ERR Porter: no upstream group is configured\r\n")
    static let emptyArray = ByteBuffer(string: "*0\r\n")
    /// Redis Cluster's words, which cluster-aware clients know.
    static let crossSlot = ByteBuffer(string: "-CROSSSLOT Keys in request don't hash to the same slot\r\n")
}
