// swift-tools-version:6.1
import PackageDescription

// Module layout (lower layers never import higher ones):
//   Telemetry, RESP ← Commands ← Access, Upstream ← Topology ← Proxy ← Admin ← PorterApp ← porter
// Each target's dependencies are exactly what its files import (scripts/check-imports.sh, run by `make test`).
// See README.md § Architecture.
// The hot path (decode, route, forward) mutates class state per command; in release builds the
// dynamic exclusivity checks on those accesses cost ~10% of Porter's CPU (measured with perf at
// redis-benchmark -P 16). Debug builds, which run the tests, keep the checks.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
// Key hashing is pure arithmetic over bytes; optimized in debug builds too, so the tests measure
// what runs (an unoptimized lookup allocates for its temporaries) and 170,000 placements stay fast.
let hashingOptimized: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Porter",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "porter", targets: ["porter"]),
        .library(name: "PorterApp", targets: ["PorterApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // Without the swift-configuration and full-Foundation traits: Porter reads its own YAML.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        // Hummingbird's own request and response types, which the admin tests check.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // TLS to Redis nodes and for clients.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // SHA-256 for passwords (Redis' ACL files keep them so).
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // The command line's requests to the admin API (`porter status`, `migrate`, `backfill`).
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Metric names (declared once) and the per-event-loop latency histogram: no dependencies.
        .target(name: "Telemetry", swiftSettings: hotPath),
        // The admin API's JSON bodies, which the admin server encodes and the command line decodes.
        .target(name: "AdminAPI"),
        // Where a key lives: twemproxy's hashes and distributions, hash tags, Cluster slots.
        .target(name: "Hashing", swiftSettings: hotPath + hashingOptimized),
        // The session migration's pure policy (stages, the shared dial's percent, session keys).
        .target(name: "Migration", dependencies: ["Hashing"]),
        // libmariadb (Debian's libmariadb-dev, installed by `make test`), and a small C layer over its
        // prepared statements, for the MySQL/MariaDB session store.
        .systemLibrary(
            name: "CMariaDB", path: "Sources/CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
        .target(name: "CMariaDBShim", dependencies: ["CMariaDB"], path: "Sources/CMariaDBShim"),
        // The stores sessions migrate from: Memcached, MySQL/MariaDB, PHP session files.
        .target(
            name: "Legacy",
            dependencies: [
                "CMariaDBShim",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]),
        .target(
            name: "RESP",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: hotPath
        ),
        .target(
            name: "Commands",
            dependencies: ["RESP", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: hotPath
        ),
        // Users, Redis' ACL rules over the command table, and the slowdown of failed AUTHs.
        .target(
            name: "Access",
            dependencies: [
                "Commands", "RESP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Upstream",
            dependencies: [
                "RESP", "Telemetry",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "Topology",
            dependencies: [
                "RESP", "Upstream",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Proxy",
            dependencies: [
                "RESP", "Commands", "Access", "Upstream", "Topology", "Telemetry", "Hashing", "Migration", "Legacy",
                "AdminAPI",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "Admin",
            dependencies: [
                "Proxy", "Access", "Topology", "Upstream", "Commands", "Telemetry", "RESP", "Migration", "AdminAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "PorterApp",
            dependencies: [
                "Proxy", "Access", "Upstream", "Topology", "Admin", "AdminAPI", "RESP", "Hashing", "Migration", "Legacy",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "porter",
            dependencies: [
                "PorterApp", "AdminAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzz targets (`make fuzz`; README § Reliability). Built as usual they replay the committed
        // corpus (`make test`); with -sanitize=fuzzer,address -DFUZZING they run under libFuzzer.
        .target(name: "FuzzSupport", path: "Fuzz/FuzzSupport"),
        .executableTarget(
            name: "FuzzRequests",
            dependencies: ["FuzzSupport", "Access", "Commands", "RESP", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/FuzzRequests"),
        .executableTarget(
            name: "FuzzReplies", dependencies: ["FuzzSupport", "RESP", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/FuzzReplies"),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", "PorterApp"], path: "Fuzz/FuzzConfig"),
        .executableTarget(
            name: "FuzzSplit",
            dependencies: ["FuzzSupport", "Proxy", "Commands", "RESP", .product(name: "NIOCore", package: "swift-nio")],
            path: "Fuzz/FuzzSplit"),
        // Regenerates Sources/Commands/CommandTable+Generated.swift from metadata/*.json.
        .executableTarget(name: "porter-gen-commands", dependencies: []),

        .target(
            name: "PorterTestHarness",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/PorterTestHarness"
        ),
        .testTarget(
            name: "RESPTests",
            dependencies: [
                "RESP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "CommandsTests", dependencies: ["Commands", "RESP"]),
        .testTarget(
            name: "AccessTests",
            dependencies: ["Access", "Commands", "RESP", .product(name: "NIOCore", package: "swift-nio")]),
        // The request path's pure parts (reply slots, …), without servers.
        .testTarget(
            name: "ProxyTests",
            dependencies: [
                "Proxy", "Access", "Commands", "RESP", "Upstream", "Topology", "Hashing", "Migration",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"]),
        // glibc's heap counters, for tests that check a path allocates nothing.
        .target(name: "CHeapStats", path: "Tests/CHeapStats"),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "CHeapStats"]),
        .testTarget(name: "MigrationTests", dependencies: ["Migration"]),
        .testTarget(
            name: "LegacyTests",
            dependencies: [
                "Legacy", "PorterTestHarness", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "TopologyTests",
            dependencies: ["Topology", "Upstream", "RESP", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "PorterApp", "PorterTestHarness", "Access", "Topology", "Admin", "AdminAPI", "Telemetry", "Hashing", "Migration",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            // Client programs the tests run (php, python): read from the source tree, not built.
            exclude: ["Clients"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
