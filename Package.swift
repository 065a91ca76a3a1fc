// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "vpnaas",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vpnaasd", targets: ["vpnaasd"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
    ],
    targets: [
        .target(
            name: "VPNaaSDomain",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSWire",
            dependencies: ["VPNaaSDomain"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSStore",
            dependencies: [
                "VPNaaSDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSCore",
            dependencies: [
                "VPNaaSDomain",
                "VPNaaSStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSIdentity",
            dependencies: [
                "VPNaaSDomain",
                "VPNaaSStore",
                .product(name: "Crypto", package: "swift-crypto"),
                // PBKDF2 for password hashes.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VICI",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NetNS",
            dependencies: [
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSPlan",
            dependencies: [
                "VPNaaSDomain",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSAgent",
            dependencies: [
                "VPNaaSDomain",
                "VPNaaSPlan",
                "VICI",
                "NetNS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSDashboard",
            dependencies: [
                "VPNaaSDomain",
                "VPNaaSWire",
                "VPNaaSCore",
                "VPNaaSIdentity",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSAPI",
            dependencies: [
                "VPNaaSDomain",
                "VPNaaSWire",
                "VPNaaSCore",
                "VPNaaSStore",
                "VPNaaSIdentity",
                "VPNaaSPlan",
                "VPNaaSDashboard",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VPNaaSAgentClient",
            dependencies: [
                "VPNaaSDomain",
                "VPNaaSPlan",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "vpnaasd",
            dependencies: [
                "VPNaaSAPI",
                "VPNaaSAgentClient",
                "VPNaaSDomain",
                "VPNaaSAgent",
                "VPNaaSPlan",
                "VPNaaSCore",
                "NetNS",
                "VPNaaSStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VPNaaSDomainTests",
            dependencies: ["VPNaaSDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VPNaaSWireTests",
            dependencies: ["VPNaaSDomain", "VPNaaSWire"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VPNaaSStoreTests",
            dependencies: ["VPNaaSDomain", "VPNaaSStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VPNaaSAPITests",
            dependencies: [
                "VPNaaSAPI",
                "VPNaaSDomain",
                "VPNaaSWire",
                "VPNaaSStore",
                "VPNaaSCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
            .testTarget(
            name: "VPNaaSIdentityTests",
            dependencies: ["VPNaaSIdentity", "VPNaaSDomain", "VPNaaSStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VPNaaSDashboardTests",
            dependencies: [
                "VPNaaSDashboard", "VPNaaSDomain", "VPNaaSWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VICITests",
            dependencies: [
                "VICI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NetNSTests",
            dependencies: ["NetNS"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "VPNaaSAgentTests",
            dependencies: [
                "VPNaaSAgent", "VPNaaSPlan", "VPNaaSDomain", "VPNaaSCore", "VPNaaSStore", "VICI", "NetNS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
