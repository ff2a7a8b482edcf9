import Testing
import Upstream

@testable import Proxy
@testable import Topology

/// Read routing as a pure decision: node states in, a node out.
@Suite("Read routing")
struct ReadRoutingTests {
    static let primary = NodeAddress.tcp(host: "127.0.0.1", port: 7000)
    static let r1 = NodeAddress.tcp(host: "127.0.0.1", port: 7001)
    static let r2 = NodeAddress.tcp(host: "127.0.0.1", port: 7002)

    static func node(_ address: NodeAddress, primary: Bool = false, usable: Bool = true, readable: Bool = true)
        -> NodeView
    {
        NodeView(
            address: address, configuredPrimary: primary, health: usable ? .up : .down, role: .unknown, lagBytes: nil,
            lastError: nil, usable: usable, readable: readable && usable)
    }

    static func group(r1Readable: Bool = true, r1Usable: Bool = true, r2Readable: Bool = true) -> GroupView {
        GroupView(
            name: "g", primary: node(primary, primary: true),
            replicas: [node(r1, usable: r1Usable, readable: r1Readable), node(r2, readable: r2Readable)])
    }

    func targets(
        _ group: GroupView, _ policy: ReadPolicy, preferPrimary: Bool = false, reachable: Bool = true, count: Int = 6
    ) -> [NodeAddress] {
        var cursor = 0
        return (0..<count).map { _ in
            ReadRouting.target(
                group: group, policy: policy, preferPrimary: preferPrimary, cursor: &cursor,
                primaryReachable: { reachable })
        }
    }

    @Test func primaryPolicyUsesReplicasOnlyWhenThePrimaryIsUnreachable() {
        #expect(Set(targets(Self.group(), .primary)) == [Self.primary])
        #expect(Set(targets(Self.group(), .primary, reachable: false)) == [Self.r1, Self.r2])
        // Unlinked replicas (not readable, but up) still serve: the freshest copy there is.
        let unlinked = Self.group(r1Readable: false, r2Readable: false)
        #expect(Set(targets(unlinked, .primary, reachable: false)) == [Self.r1, Self.r2])
        // Nothing up at all: the primary, whose error the client then gets.
        let dead = GroupView(
            name: "g", primary: Self.node(Self.primary, primary: true),
            replicas: [Self.node(Self.r1, usable: false)])
        #expect(targets(dead, .primary, reachable: false, count: 1) == [Self.primary])
    }

    @Test func replicasThenPrimarySpreadsOverReadableReplicas() {
        #expect(Set(targets(Self.group(), .replicasThenPrimary)) == [Self.r1, Self.r2])
        #expect(Set(targets(Self.group(r1Readable: false), .replicasThenPrimary)) == [Self.r2])
        #expect(Set(targets(Self.group(r1Readable: false, r2Readable: false), .replicasThenPrimary)) == [Self.primary])
        // Lock keys and keys written moments ago go to the primary while it is reachable.
        #expect(Set(targets(Self.group(), .replicasThenPrimary, preferPrimary: true)) == [Self.primary])
        #expect(
            Set(targets(Self.group(), .replicasThenPrimary, preferPrimary: true, reachable: false)) == [
                Self.r1, Self.r2,
            ])
    }

    @Test func anyIncludesThePrimary() {
        #expect(Set(targets(Self.group(), .any)) == [Self.primary, Self.r1, Self.r2])
        #expect(Set(targets(Self.group(), .any, reachable: false)) == [Self.r1, Self.r2])
    }

    @Test func aFailedReadGoesElsewhere() {
        var cursor = 0
        let group = Self.group()
        #expect(
            ReadRouting.alternate(group: group, excluding: Self.r1, cursor: &cursor, primaryReachable: { true })
                == Self.primary)
        #expect(
            ReadRouting.alternate(group: group, excluding: Self.r1, cursor: &cursor, primaryReachable: { false })
                == Self.r2)
        let fromPrimary = (0..<4).compactMap { _ in
            ReadRouting.alternate(group: group, excluding: Self.primary, cursor: &cursor, primaryReachable: { true })
        }
        #expect(Set(fromPrimary) == [Self.r1, Self.r2])
        // After the primary failed, a stale replica is better than an error.
        let stale = Self.group(r1Readable: false, r2Readable: false)
        #expect(
            ReadRouting.alternate(group: stale, excluding: Self.primary, cursor: &cursor, primaryReachable: { false })
                != nil)
        #expect(
            ReadRouting.alternate(group: stale, excluding: Self.r1, cursor: &cursor, primaryReachable: { false }) == nil
        )
    }

    @Test func routesPickThePolicyByPrefix() {
        let routes = [ReadRoute(prefix: "cache:", policy: .replicasThenPrimary), ReadRoute(prefix: "c", policy: .any)]
        func policy(_ key: String) -> ReadPolicy {
            Array(key.utf8).withUnsafeBytes { ReadRouting.policy(key: $0, routes: routes, defaultPolicy: .primary) }
        }
        #expect(policy("cache:x") == .replicasThenPrimary)
        #expect(policy("cart") == .any)
        #expect(policy("session:1") == .primary)
        #expect(policy("") == .primary)
    }
}
