import Testing

@testable import Hashing

/// Published test vectors; the placement against a real nutcracker is in the integration tests
/// (`PlacementTests`), which is what decides "identical to twemproxy".
@Suite struct HashFunctionTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func md5MatchesRFC1321() {
        let hex = { (s: String) in MD5.digest(s).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
        #expect(hex("") == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(hex("abc") == "900150983cd24fb0d6963f7d28e17f72")
        #expect(
            hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890")
                == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test func checksumsMatchTheirCatalogues() {
        // "123456789" is the check input of every CRC catalogue entry.
        let check = bytes("123456789")
        #expect(HashFunction.crc32a.hash(check) == 0xCBF4_3926)
        // nutcracker 0.5.0's crc16: XMODEM's table over a 32-bit value (PlacementTests checks it).
        #expect(HashFunction.crc16.hash(check) & 0xffff == 0x31C3)
        #expect(HashFunction.crc16.hash(check) > 0xffff)  // not truncated
        #expect(HashFunction.crc32.hash(check) == (0xCBF4_3926 >> 16) & 0x7fff)
        #expect(ClusterSlot.crc16(check.withUnsafeBytes { UnsafeRawBufferPointer($0) }) == 0x31C3)  // XMODEM
    }

    @Test func fnvAndJenkinsMatchTheirAuthorsVectors() {
        #expect(HashFunction.fnv1_32.hash(bytes("a")) == 0x050c_5d7e)
        #expect(HashFunction.fnv1a_32.hash(bytes("a")) == 0xe40c_292c)
        #expect(HashFunction.fnv1_64.hash(bytes("a")) == 0x8601_b7be)  // low half of 0xaf63bd4c8601b7be
        #expect(HashFunction.oneAtATime.hash(bytes("a")) == 0xca2e_9442)
        #expect(
            HashFunction.oneAtATime.hash(bytes("The quick brown fox jumps over the lazy dog")) == 0x519e_91f5)
        let fourScore = bytes("Four score and seven years ago")
        #expect(fourScore.withUnsafeBytes { HashFunction.jenkins($0, initialValue: 0) } == 0x1777_0551)
        #expect(fourScore.withUnsafeBytes { HashFunction.jenkins($0, initialValue: 1) } == 0xcd62_8161)
        #expect(HashFunction.jenkins.hash([]) == 0xdead_beef &+ 13)
    }

    @Test func bytesAboveSeventyFAreSignedAsNutcrackerReadsThem() {
        // FNV-1 over C `char`: 0xff is -1, so the xor sets every high bit.
        let h = HashFunction.fnv1_32.hash([0xff])
        let basis: UInt32 = 2_166_136_261
        #expect(h == (basis &* 16_777_619) ^ 0xffff_ffff)
        #expect(HashFunction.crc32a.hash([0xff]) == 0xff00_0000)  // unsigned: the CRC is defined on bytes
    }

    @Test func everyFunctionIsStableAndSpreadsKeys() {
        for function in HashFunction.allCases {
            var seen = Set<UInt32>()
            for i in 0..<1000 { seen.insert(function.hash(bytes("session:\(i)"))) }
            // crc32 is 15 bits; CRCs are linear, so keys that differ in a few digits collide more.
            #expect(seen.count > ([.crc32, .crc16].contains(function) ? 800 : 990), "\(function)")
            #expect(function.hash(bytes("session:1")) == function.hash(bytes("session:1")))
        }
    }
}

@Suite struct KeyRingTests {
    let servers = (1...3).map { KeyRing.Server(identity: "127.0.0.1:700\($0)") }

    @Test func ketamaHas160PointsPerServerOfEqualWeight() {
        for function in [HashFunction.fnv1a_64, .md5, .murmur] {
            let ring = KeyRing(servers: self.servers, hash: function, distribution: .ketama)
            var counts = [0, 0, 0]
            for i in 0..<30_000 { counts[ring.server(for: Array("k\(i)".utf8))] += 1 }
            #expect(counts.allSatisfy { $0 > 7_000 }, "\(function): \(counts)")
        }
        #expect(KeyRing.ketamaPoints(self.servers[0], totalWeight: 3, serverCount: 3).count == 160)
    }

    @Test func weightsScaleTheShare() {
        let weighted = [KeyRing.Server(identity: "a", weight: 1), KeyRing.Server(identity: "b", weight: 3)]
        #expect(KeyRing.ketamaPoints(weighted[0], totalWeight: 4, serverCount: 2).count == 80)
        #expect(KeyRing.ketamaPoints(weighted[1], totalWeight: 4, serverCount: 2).count == 240)
        let modula = KeyRing(servers: weighted, hash: .fnv1a_64, distribution: .modula)
        var counts = [0, 0]
        for i in 0..<8_000 { counts[modula.server(for: Array("k\(i)".utf8))] += 1 }
        #expect(counts[1] > counts[0] * 2, "\(counts)")
    }

    @Test func addingAServerMovesAboutAQuarterOfTheKeys() {
        let three = KeyRing(servers: self.servers, hash: .fnv1a_64, distribution: .ketama)
        let four = KeyRing(
            servers: self.servers + [KeyRing.Server(identity: "127.0.0.1:7004")], hash: .fnv1a_64,
            distribution: .ketama)
        var moved = 0
        for i in 0..<10_000 {
            let key = Array("session:\(i)".utf8)
            let before = three.server(for: key)
            let after = four.server(for: key)
            if before != after {
                moved += 1
                #expect(after == 3, "a key moved between old servers")
            }
        }
        #expect(moved > 1_500 && moved < 3_500, "\(moved)")
    }

    @Test func hashTagsKeepRelatedKeysTogether() {
        let tag = HashTag("{}")!
        let ring = KeyRing(servers: self.servers, hash: .fnv1a_64, distribution: .ketama, hashTag: tag)
        for i in 0..<200 {
            #expect(ring.server(for: Array("{user:\(i)}:session".utf8)) == ring.server(for: Array("user:\(i)".utf8)))
            #expect(ring.server(for: Array("{user:\(i)}:cart".utf8)) == ring.server(for: Array("{user:\(i)}x".utf8)))
        }
        func part(_ s: String) -> String {
            Array(s.utf8).withUnsafeBytes { String(decoding: tag.hashedPart(of: $0), as: UTF8.self) }
        }
        #expect(part("a{b}c") == "b")
        #expect(part("a{}c") == "a{}c")  // empty: the whole key
        #expect(part("a{bc") == "a{bc")
        #expect(part("{a}{b}") == "a")
        #expect(HashTag("{") == nil && HashTag("{}}") == nil)
    }

    @Test func oneServerNeedsNoHash() {
        let ring = KeyRing(servers: [self.servers[0]], hash: .md5, distribution: .ketama)
        #expect(ring.server(for: Array("anything".utf8)) == 0)
    }

    @Test func clusterSlotsFollowRedisRules() {
        // Values from CLUSTER KEYSLOT on redis-server 7.
        #expect(ClusterSlot.slot(Array("foo".utf8)) == 12182)
        #expect(ClusterSlot.slot(Array("bar".utf8)) == 5061)
        #expect(ClusterSlot.slot(Array("{user1000}.following".utf8)) == ClusterSlot.slot(Array("user1000".utf8)))
        #expect(ClusterSlot.slot(Array("foo{}{bar}".utf8)) == ClusterSlot.slot(Array("foo{}{bar}".utf8)))
        #expect(ClusterSlot.slot(Array("foo{{bar}}zap".utf8)) == ClusterSlot.slot(Array("{bar".utf8)))
    }
}

#if canImport(Glibc)
    import CHeapStats

    /// "Shard lookup allocates nothing": 100,000 lookups with every hash function (md5 included)
    /// and a hash tag, counted by the test binary's own malloc.
    @Suite struct LookupAllocationTests {
        @Test func lookupsDoNotAllocate() {
            let servers = (0..<5).map { KeyRing.Server(identity: "group-\($0)", weight: $0 + 1) }
            let keys = (0..<100).map { Array("PHPREDIS_SESSION:{u\($0)}-session-id-\($0 * 7919)".utf8) }
            for function in HashFunction.allCases {
                let ring = KeyRing(servers: servers, hash: function, distribution: .ketama, hashTag: HashTag("{}"))
                var sum = 0
                for key in keys { sum &+= ring.server(for: key) }  // warm up
                let before = porter_allocations()
                // Index loops: an unoptimized `for … in` over the arrays allocates by itself.
                var round = 0
                while round < 1000 {
                    var i = 0
                    while i < keys.count {
                        sum &+= ring.server(for: keys[i])
                        i += 1
                    }
                    round += 1
                }
                let allocated = porter_allocations() - before
                // Other threads of the test process may allocate meanwhile, but nowhere near once per lookup.
                #expect(allocated < 1000, "\(function): \(allocated) allocations in 100,000 lookups")
                #expect(sum >= 0)
            }
        }
    }
#endif
