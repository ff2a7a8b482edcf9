import Testing
import Upstream

/// What a new upstream connection says first (`UpstreamConnection.handshake`).
@Suite struct HandshakeTests {
    @Test func profileAndConfigurationDecideTheCommands() {
        var config = UpstreamConfiguration()
        config.password = "pw"
        config.clientName = "porter"
        var profile = ConnectionProfile(proto: .resp2, database: 3)
        #expect(
            UpstreamConnection.handshake(profile, config) == [
                ["AUTH", "pw"], ["SELECT", "3"], ["CLIENT", "SETNAME", "porter"],
            ])
        profile.proto = .resp3
        config.username = "app"
        config.clusterReadOnly = true
        #expect(UpstreamConnection.handshake(profile, config).first == ["HELLO", "3", "AUTH", "app", "pw"])
        #expect(UpstreamConnection.handshake(profile, config).last == ["READONLY"])
    }

    /// A busy node (a script running) refuses SELECT, CLIENT SETNAME and READONLY with -BUSY:
    /// a control connection says only what a busy node accepts.
    @Test func controlConnectionsSayOnlyWhatABusyNodeAccepts() {
        var config = UpstreamConfiguration()
        config.clientName = "porter"
        config.clusterReadOnly = true
        var profile = ConnectionProfile(proto: .resp2, database: 3)
        profile.purpose = .control
        #expect(UpstreamConnection.handshake(profile, config) == [])
        config.password = "pw"
        #expect(UpstreamConnection.handshake(profile, config) == [["AUTH", "pw"]])
    }
}
