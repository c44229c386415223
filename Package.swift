// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "tenantsync",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tenantsync", targets: ["Supervisor"]),
        .executable(name: "tenantsync-worker", targets: ["TenantWorker"]),
        .executable(name: "tenantsync-demo-upstream", targets: ["DemoUpstream"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0", traits: []),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C libraries: a module map and a shim header each; exactly one Swift target imports each.
        .systemLibrary(
            name: "CPostgres",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // prctl(PR_SET_PDEATHSIG) for workers, which Swift cannot call directly (variadic).
        .target(name: "CProcessControl"),

        // Foundation's Process.run() reads past readdir's buffer with thousands of descriptors open;
        // the supervisor's readdir copies entries into full-size storage (see the header).
        .target(name: "CReaddirGuard", linkerSettings: [.linkedLibrary("dl")]),

        // Line-delimited JSON protocol shared by the supervisor, the worker and the tests.
        .target(name: "IPC", swiftSettings: swiftSettings),

        // Small pieces both processes share: civil dates, the secret masker, a lock, the off-pool runner.
        .target(name: "Support", swiftSettings: swiftSettings),

        // PostgreSQL client over libpq.
        .target(name: "Postgres", dependencies: ["CPostgres", "Support"], swiftSettings: swiftSettings),

        // HTTP client over libcurl.
        .target(name: "CurlHTTP", dependencies: ["CCurl", "Support"], swiftSettings: swiftSettings),

        // The database schema: versioned migrations shared by the supervisor, the worker and tests.
        .target(name: "Schema", dependencies: ["Postgres"], swiftSettings: swiftSettings),

        // The worker's sync engine: connectors, stream ordering, upserts, the IPC loop, the process's start.
        .target(
            name: "SyncEngine",
            dependencies: [
                "IPC", "Postgres", "CurlHTTP", "Support", "CProcessControl",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The supervisor: tenants, worker processes, runs, migrations, HTTP API.
        .target(
            name: "SupervisorCore",
            dependencies: [
                "IPC", "Postgres", "CurlHTTP", "Schema", "Support", "SyncEngine", "CReaddirGuard",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI document and the dashboard's files, served as they are.
            resources: [.copy("Observability/openapi.json"), .copy("Dashboard/Assets")],
            swiftSettings: swiftSettings
        ),

        // A fake MotoPress Hotel Booking / estimates upstream that hosts many tenants' sites.
        .target(
            name: "DemoUpstreamKit",
            dependencies: [
                "Support",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "Supervisor",
            dependencies: [
                "SupervisorCore", "CurlHTTP", "Support",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "TenantWorker",
            dependencies: ["SyncEngine"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DemoUpstream",
            dependencies: [
                "DemoUpstreamKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Fixtures shared by the integration tests: throwaway databases, the demo upstream, binaries.
        .target(
            name: "TestSupport",
            dependencies: ["IPC", "Postgres", "Schema", "CurlHTTP", "DemoUpstreamKit", "Support"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),

        // Never shipped: the worker with fault injection (TENANTSYNC_WORKER_FAULT) and a hello of its own
        // (TENANTSYNC_WORKER_HELLO) for supervision tests and benchmarks, and `fetch-benchmark` (P11).
        .executableTarget(
            name: "tenantsync-worker-testkit",
            dependencies: ["SyncEngine", "IPC", "CurlHTTP", .product(name: "Logging", package: "swift-log")],
            path: "Tests/WorkerTestKit",
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "IPCTests", dependencies: ["IPC"], swiftSettings: swiftSettings),
        .testTarget(name: "SupportTests", dependencies: ["Support"], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CurlHTTPTests",
            dependencies: [
                "CurlHTTP", "Support", "DemoUpstreamKit",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TenantWorkerTests",
            dependencies: [
                "SyncEngine", "IPC", "Postgres", "CurlHTTP", "DemoUpstreamKit", "Support", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SupervisorTests",
            dependencies: [
                "SupervisorCore", "IPC", "Postgres", "CurlHTTP", "DemoUpstreamKit", "Support", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
