// swift-tools-version:6.1
// The fixed-rate HTTP load generator of scripts/bench.sh (P6), a package of its own so that the
// product's build and its test suite never compile it.
import PackageDescription

let package = Package(
    name: "tenantsync-loadgen",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tenantsync-loadgen", targets: ["LoadGenerator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .executableTarget(
            name: "LoadGenerator",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
    ]
)
