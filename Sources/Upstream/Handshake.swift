import RESP

extension UpstreamConnection {
    /// What a new connection says before any client command: credentials and protocol (AUTH or
    /// HELLO), then the database, Porter's name and READONLY (Cluster replicas), as its profile
    /// and the configuration want.
    ///
    /// A `.control` connection (SCRIPT KILL, FUNCTION KILL) says only the first: while a script
    /// runs, Redis answers SELECT, CLIENT SETNAME and READONLY with `-BUSY`, and the point of the
    /// connection is to reach a node that is busy.
    public static func handshake(_ profile: ConnectionProfile, _ config: UpstreamConfiguration) -> [[String]] {
        var commands: [[String]] = []
        if profile.proto == .resp3 {
            if let password = config.password {
                commands.append(["HELLO", "3", "AUTH", config.username ?? "default", password])
            } else {
                commands.append(["HELLO", "3"])
            }
        } else if let password = config.password {
            commands.append(config.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if profile.purpose == .control { return commands }
        if profile.database != 0 {
            commands.append(["SELECT", String(profile.database)])
        }
        if let name = config.clientName {
            commands.append(["CLIENT", "SETNAME", name])
        }
        if config.clusterReadOnly {
            commands.append(["READONLY"])
        }
        return commands
    }
}
