// swift-tools-version:6.1
import PackageDescription

// Module layout (lower layers never import higher ones):
//   RESP ← Commands, Upstream ← Topology ← Proxy ← PorterApp ← porter
// See README.md § Architecture.
// The hot path (decode, route, forward) mutates class state per command; in release builds the
// dynamic exclusivity checks on those accesses cost ~10% of Porter's CPU (measured with perf at
// redis-benchmark -P 16). Debug builds, which run the tests, keep the checks.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

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
    ],
    targets: [
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
        .target(
            name: "Upstream",
            dependencies: [
                "RESP",
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
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Proxy",
            dependencies: [
                "RESP", "Commands", "Upstream", "Topology",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "PorterApp",
            dependencies: [
                "Proxy", "Upstream", "Commands", "Topology",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "porter",
            dependencies: [
                "PorterApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Regenerates Sources/Commands/CommandTable+Generated.swift from metadata/*.json.
        .executableTarget(name: "porter-gen-commands", dependencies: []),

        .target(
            name: "PorterTestHarness",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
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
            name: "TopologyTests",
            dependencies: ["Topology", "RESP", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "PorterApp", "PorterTestHarness", "RESP", "Topology",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
