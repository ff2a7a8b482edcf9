import RESP

/// What a node says it is (the ROLE reply).
public enum NodeRole: Sendable, Hashable, CustomStringConvertible {
    case primary(offset: Int64)
    /// `linkUp`: the replica's link to its primary is `connected` (master_link_status:up).
    case replica(primaryHost: String, primaryPort: Int, linkUp: Bool, offset: Int64)
    case sentinel
    case unknown

    public var description: String {
        switch self {
        case .primary: return "primary"
        case .replica: return "replica"
        case .sentinel: return "sentinel"
        case .unknown: return "unknown"
        }
    }

    /// Parses a ROLE reply: `master <offset> [...]`, `slave <host> <port> <state> <offset>`,
    /// `sentinel [...]`.
    public init(roleReply token: RESPToken) {
        guard let elements = token.elements, let kind = elements.first?.string else {
            self = .unknown
            return
        }
        switch kind {
        case "master":
            self = .primary(offset: elements.count > 1 ? (elements[1].integer ?? 0) : 0)
        case "slave":
            guard elements.count >= 5, let host = elements[1].string, let port = elements[2].integer else {
                self = .unknown
                return
            }
            self = .replica(
                primaryHost: host, primaryPort: Int(port), linkUp: elements[3].string == "connected",
                offset: elements[4].integer ?? 0)
        case "sentinel":
            self = .sentinel
        default:
            self = .unknown
        }
    }
}
