import Access
import NIOCore
import RESP
import Testing
import Upstream

@testable import Proxy

/// The pure parts of a takeover: the state a moved connection carries, and how a socket is
/// found by its addresses.
@Suite("Takeover: moved connections")
struct TakeoverStateTests {
    let access = try! AccessControl(
        defaultUser: .init(name: "default", password: "pw", rules: "+@all ~*"),
        others: [.init(name: "app", password: "secret", rules: "+get ~s:*")])

    @Test func aMovedClientKeepsItsUserDatabaseProtocolAndName() {
        let state = HandedOffClient(user: "app", proto: 3, database: 5, name: "web-1").state(self.access)
        #expect(state.user === self.access.users["app"])
        #expect(state.profile == ConnectionProfile(proto: .resp3, database: 5))
        #expect(state.name == "web-1")
        #expect(HandedOffClient(user: "default", proto: 2, database: 0, name: nil).state(self.access).user
            === self.access.defaultUser)
    }

    /// The new configuration decides: a user it removed is not authenticated (NOAUTH next), an
    /// unauthenticated client stays so unless the new default user needs no password.
    @Test func theNewConfigurationsUsersDecide() {
        #expect(HandedOffClient(user: "gone", proto: 2, database: 0, name: nil).state(self.access).user == nil)
        #expect(HandedOffClient(user: nil, proto: 2, database: 0, name: nil).state(self.access).user == nil)
        #expect(HandedOffClient(user: nil, proto: 2, database: 0, name: nil).state(.standard).user != nil)
        // Nonsense from the wire is made harmless.
        let odd = HandedOffClient(user: nil, proto: 9, database: -1, name: nil).state(.standard)
        #expect(odd.profile == ConnectionProfile(proto: .resp2, database: 0))
    }

    /// NIO's addresses and the kernel's give the same key, so a channel's socket is found.
    @Test func socketKeysMatchNIOsAddresses() throws {
        let local = try SocketAddress(ipAddress: "127.0.0.1", port: 6380)
        let peer = try SocketAddress(ipAddress: "127.0.0.1", port: 51000)
        #expect(SocketDescriptors.key(local: local, peer: peer) == "127.0.0.1:6380 127.0.0.1:51000")
        let v6 = try SocketAddress(ipAddress: "::1", port: 6380)
        #expect(SocketDescriptors.key(v6) == "[::1]:6380")
        let unix = try SocketAddress(unixDomainSocketPath: "/run/porter.sock")
        #expect(SocketDescriptors.key(unix) == "unix:/run/porter.sock")
        #expect(SocketDescriptors.key(local: unix, peer: unix) == nil, "unix clients are not moved")
    }
}
