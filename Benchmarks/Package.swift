// swift-tools-version: 6.1
import PackageDescription

/// Benchmarks of the workbook's metrics engine, side by side with swift-prometheus 2.x.
///
/// A package of its own so that the workbook keeps no dependencies: it reaches the engine
/// through the workbook's libraries, by path: `Instrumentation` (recording, rendering), and
/// for the rows that time them `Scraping` (the parser), `HTTP` (the /metrics server) and
/// `PromQL` (a query beside a real Prometheus's);
/// never the lesson kit. Run everything with `./run.sh` (see README.md).
let package = Package(
    name: "WorkbookBenchmarks",
    dependencies: [
        .package(name: "ObservabilityWorkbook", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The timed operations, run by package-benchmark's `swift package benchmark`.
        .executableTarget(
            name: "EngineComparison",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Instrumentation", package: "ObservabilityWorkbook"),
                .product(name: "Scraping", package: "ObservabilityWorkbook"),
            ],
            path: "Benchmarks/EngineComparison",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // What package-benchmark does not measure (memory, summary accuracy, HTTP under load),
        // and the side-by-side table built from both.
        .executableTarget(
            name: "BenchmarkReport",
            dependencies: [
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Instrumentation", package: "ObservabilityWorkbook"),
                .product(name: "HTTP", package: "ObservabilityWorkbook"),
                .product(name: "Scraping", package: "ObservabilityWorkbook"),
                .product(name: "PromQL", package: "ObservabilityWorkbook"),
            ],
            path: "Sources/BenchmarkReport"
        ),
    ],
    swiftLanguageModes: [.v6]
)
