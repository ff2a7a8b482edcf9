/// How keys are spread over servers (`distribution:` in nutcracker's config).
public enum Distribution: String, CaseIterable, Sendable, Hashable {
    /// Consistent hashing (libketama's): 160 points per server, scaled by weight. Adding a
    /// server moves about 1/N of the keys.
    case ketama
    /// `hash % total weight`: adding a server moves most keys.
    case modula
    /// Any server, per request: only for caches where every server may answer (never sessions).
    case random
}

/// Which group a key lives on: twemproxy's continuum for the same servers (identities and
/// weights, in the same order), hash and distribution, so every key lands where nutcracker puts
/// it. Built once per configuration; a lookup allocates nothing.
public struct KeyRing: Sendable {
    /// A server of the ring: its ketama identity (nutcracker's server name, or `host:port`) and
    /// its weight.
    public struct Server: Sendable, Hashable {
        public var identity: String
        public var weight: Int

        public init(identity: String, weight: Int = 1) {
            self.identity = identity
            self.weight = weight
        }
    }

    public let hash: HashFunction
    public let distribution: Distribution
    public let hashTag: HashTag?
    public let serverCount: Int
    /// Ketama: point values, sorted, and the server index of each. Modula: one entry per unit of
    /// weight, in server order.
    private let points: [UInt32]
    private let owners: [Int32]

    public static let pointsPerServer = 160

    public init(servers: [Server], hash: HashFunction, distribution: Distribution, hashTag: HashTag? = nil) {
        precondition(!servers.isEmpty && servers.allSatisfy { $0.weight > 0 })
        self.hash = hash
        self.distribution = distribution
        self.hashTag = hashTag
        self.serverCount = servers.count
        // nutcracker sorts a pool's servers by name (shorter first, then bytewise) when it checks
        // them for duplicates, and numbers them in that order: modula's `hash % n` counts in it.
        let order = servers.indices.sorted { l, r in
            let a = Array(servers[l].identity.utf8)
            let b = Array(servers[r].identity.utf8)
            return a.count != b.count ? a.count < b.count : a.lexicographicallyPrecedes(b)
        }
        switch distribution {
        case .ketama:
            var entries: [(value: UInt32, owner: Int32)] = []
            let totalWeight = servers.reduce(0) { $0 + $1.weight }
            for index in order {
                let server = servers[index]
                for value in Self.ketamaPoints(server, totalWeight: totalWeight, serverCount: servers.count) {
                    entries.append((value, Int32(index)))
                }
            }
            // Equal values are as rare as 32-bit MD5 collisions; a stable sort keeps name order.
            entries = entries.enumerated().sorted { l, r in
                l.element.value != r.element.value ? l.element.value < r.element.value : l.offset < r.offset
            }.map(\.element)
            self.points = entries.map(\.value)
            self.owners = entries.map(\.owner)
        case .modula, .random:
            var owners: [Int32] = []
            for index in order {
                owners += Array(repeating: Int32(index), count: distribution == .random ? 1 : servers[index].weight)
            }
            self.points = []
            self.owners = owners
        }
    }

    /// A server's points on the ketama continuum: its share of 160 points per server (computed
    /// in `float`, as nutcracker does, so the share rounds the same way), four points per MD5 of
    /// `"<identity>-<n>"`.
    static func ketamaPoints(_ server: Server, totalWeight: Int, serverCount: Int) -> [UInt32] {
        let pct = Float(server.weight) / Float(totalWeight)
        let scaled = pct * Float(Self.pointsPerServer) / 4 * Float(serverCount)
        let perServer = Int(Float(Double(scaled) + 0.0000000001).rounded(.down)) * 4
        var values: [UInt32] = []
        values.reserveCapacity(perServer)
        for n in 0..<(perServer / 4) {
            let digest = MD5.digest("\(server.identity)-\(n)")
            for x in 0..<4 {
                values.append(
                    UInt32(digest[3 + x * 4]) << 24 | UInt32(digest[2 + x * 4]) << 16 | UInt32(digest[1 + x * 4]) << 8
                        | UInt32(digest[x * 4]))
            }
        }
        return values
    }

    /// The server index for a key (its hash tag's part, when configured and present).
    @inline(__always)
    public func server(for key: UnsafeRawBufferPointer) -> Int {
        if self.serverCount == 1 { return 0 }
        let hashed = self.hashTag.map { $0.hashedPart(of: key) } ?? key
        switch self.distribution {
        case .ketama:
            return self.ketamaServer(hashed.isEmpty ? 0 : self.hash.hash(hashed))
        case .modula:
            let value = hashed.isEmpty ? 0 : self.hash.hash(hashed)
            return Int(self.owners[Int(value % UInt32(self.owners.count))])
        case .random:
            return Int(self.owners[Int.random(in: 0..<self.owners.count)])
        }
    }

    public func server(for key: [UInt8]) -> Int { key.withUnsafeBytes { self.server(for: $0) } }

    /// The first point at or after `value`, wrapping to the first point.
    @inline(__always)
    func ketamaServer(_ value: UInt32) -> Int {
        self.points.withUnsafeBufferPointer { points in
            var low = 0
            var high = points.count
            while low < high {
                let middle = low + (high - low) / 2
                if points[middle] < value { low = middle + 1 } else { high = middle }
            }
            return Int(self.owners[low == points.count ? 0 : low])
        }
    }

    /// Whether keys always land on the same server (every distribution but `random`).
    public var isDeterministic: Bool { self.distribution != .random || self.serverCount == 1 }
}

/// nutcracker's `hash_tag`: two characters; when a key holds the first and, after it, the second
/// with something between them, only that part is hashed (`{user:1}:session` and
/// `{user:1}:cart` land together).
public struct HashTag: Sendable, Hashable {
    public let open: UInt8
    public let close: UInt8

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 2 else { return nil }
        self.open = bytes[0]
        self.close = bytes[1]
    }

    @inline(__always)
    public func hashedPart(of key: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let start = key.firstIndex(of: self.open) else { return key }
        var end = start + 1
        while end < key.count && key[end] != self.close { end += 1 }
        guard end < key.count, end - start > 1 else { return key }
        return UnsafeRawBufferPointer(rebasing: key[(start + 1)..<end])
    }

    public var description: String { String(decoding: [self.open, self.close], as: UTF8.self) }
}
