// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "figpipe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "figpipe", targets: ["figpipe"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Command stages start and supervise programs with swift-subprocess
        // (process groups, teardown on cancellation); FilePath and
        // FileDescriptor come from swift-system, which it builds on.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        // CSV for table.load.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        // `figpipe serve`'s HTTP server: FlyingFox has no dependencies of its
        // own (no swift-nio), so it adds seconds to a clean build, not minutes.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // System libraries (pkg-config names; `make deps` installs them).
        .systemLibrary(
            name: "CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(
            name: "CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // FreeType, for matplotlib's text metrics (hinted advances, kerning).
        .systemLibrary(
            name: "CFreeType", pkgConfig: "freetype2",
            providers: [.apt(["libfreetype-dev"])]),
        // SHA-256 from the system's OpenSSL (its EVP digests).
        .systemLibrary(
            name: "CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),

        // The bottom layer every module may use: the JSON value and scanner,
        // binary coding and digests, file I/O with atomic writes, the file lock.
        .target(name: "FigpipeBasics", dependencies: ["CCrypto"]),

        // The pipeline engine: pipeline.json, stage kinds, the content-addressed
        // cache, the Dispatch executor. Knows nothing about plots.
        .target(name: "Pipeline", dependencies: ["FigpipeBasics"]),

        // numpy/scipy/scikit-learn-exact numerics: random streams, fits,
        // bounded least squares, L-BFGS-B, Gaussian processes. No I/O.
        .target(name: "Numerics"),

        // The figure model (value types, matplotlib's locators, formatters,
        // autoscaling and layout) and its back ends.
        .target(name: "FigureModel", dependencies: ["FigpipeBasics"]),
        .target(
            name: "CairoBackend", dependencies: ["FigureModel", "FigpipeBasics", "CCairo", "CFreeType", "CZlib"],
            resources: [.copy("Fonts")]),
        .target(name: "PlotlyBackend", dependencies: ["FigureModel", "FigpipeBasics"]),
        // The stage kinds every family shares: figure.render, figure.plotly, figure.gallery.
        .target(
            name: "FigureStages",
            dependencies: ["FigpipeBasics", "Pipeline", "FigureModel", "CairoBackend", "PlotlyBackend"]),

        // The compression paper's family: loaders, fig1–fig5, its records as tables.
        .target(
            name: "CompressionFigures",
            dependencies: ["FigpipeBasics", "Pipeline", "CZstd", "Numerics", "FigureModel", "FigureStages", "Tables"]),

        // The Delphi blog family: loaders, fits, the 12 plotly figures.
        .target(
            name: "DelphiFigures",
            dependencies: ["FigpipeBasics", "Pipeline", "Numerics", "FigureModel", "FigureStages", "Tables"]),

        // The ΔH notebooks' family: results loader, tables and figures.
        .target(
            name: "EntropyFigures",
            dependencies: ["FigpipeBasics", "Pipeline", "Numerics", "FigureModel", "FigureStages", "Tables"]),

        // Landlock, for the command stages' sandbox (Linux; a no-op elsewhere).
        .target(name: "CSandbox"),

        // `kind: "command"`: any program as a cached stage, run by swift-subprocess
        // in a private scratch folder, with a pinned environment.
        .target(
            name: "CommandStages",
            dependencies: [
                "FigpipeBasics", "Pipeline", "CSandbox",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]),

        // Typed tables: table.load (CSV, JSON, JSON Lines, zstd), pandas' type inference.
        .target(
            name: "Tables",
            dependencies: ["FigpipeBasics", "Pipeline", "CZstd", .product(name: "CSV", package: "CSV.swift")]),

        // Vega-Lite's semantics for declared figures (issue 13): data, transforms, scales, the compiler.
        .target(name: "VegaLite", dependencies: ["FigpipeBasics", "FigureModel", "Numerics"]),

        // figure.vega-lite: declared figures, compiled by VegaLite, over tables.
        .target(
            name: "DeclaredFigures",
            dependencies: [
                "FigpipeBasics", "Pipeline", "FigureModel", "FigureStages", "CairoBackend", "Tables", "VegaLite",
            ]),

        // The remote cache (Bazel's HTTP remote cache protocol) over the
        // toolchain's URLSession (FoundationNetworking): no HTTP package.
        .target(name: "RemoteCache", dependencies: ["FigpipeBasics", "Pipeline"]),

        // `figpipe diff`: two output trees compared figure by figure (pixels,
        // dumps, tables, stage keys) and the review report.
        .target(
            name: "Review",
            dependencies: [
                "FigpipeBasics", "Pipeline", "CairoBackend", "FigureStages",
                .product(name: "CSV", package: "CSV.swift"),
            ]),

        // `figpipe serve`: the gallery over HTTP, the file watcher, live reload.
        .target(
            name: "Serve",
            dependencies: [
                "FigpipeBasics", "Pipeline", .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]),

        // The command line, as a library so the thin executables share it.
        .target(
            name: "FigpipeCLI",
            dependencies: [
                "Pipeline", "CompressionFigures", "DelphiFigures", "EntropyFigures", "FigureStages", "CommandStages",
                "Tables", "DeclaredFigures", "RemoteCache", "Review", "Serve",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "figpipe", dependencies: ["FigpipeCLI"]),

        // Test-only stage kinds (counting invocations, sleeping, failing) and a
        // figpipe binary that registers them, for the process-level tests.
        .target(name: "PipelineTesting", dependencies: ["FigpipeBasics", "Pipeline"]),
        // compare.py's rules in Swift, for the golden tests of every family.
        .target(name: "FigureTesting", dependencies: ["FigpipeBasics", "Tables", "CCairo", "CairoBackend"]),
        .executableTarget(name: "figpipe-testbed", dependencies: ["FigpipeCLI", "PipelineTesting"]),

        // The mutation fuzzer (`make fuzz`, and Tests/FuzzingTests inside `make test`):
        // mutants of every input kind, each run by a figpipe binary in a child process.
        .target(
            name: "Fuzzing",
            dependencies: [
                "Pipeline", "FigpipeCLI", "Tables", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "figpipe-fuzz", dependencies: ["Fuzzing"]),

        // `make bench`.
        .executableTarget(
            name: "figpipe-bench",
            dependencies: [
                "Pipeline", "CompressionFigures", "DelphiFigures", "EntropyFigures", "Numerics", "Tables",
                "FigpipeBasics", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // docs/ARCHITECTURE.md's import rules, checked against Sources/.
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "FigpipeBasicsTests", dependencies: ["FigpipeBasics", "PipelineTesting"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "FigpipeBasics", "PipelineTesting"]),
        .testTarget(name: "CCairoTests", dependencies: ["CCairo"]),
        .testTarget(
            name: "FigureStagesTests",
            dependencies: [
                "FigureStages", "FigureModel", "Pipeline", "PipelineTesting", "PlotlyBackend", "CairoBackend",
                "FigpipeBasics",
            ]),
        .testTarget(
            name: "NumericsTests", dependencies: ["Numerics", "FigureTesting"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FigureModelTests", dependencies: ["FigureModel"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CairoBackendTests", dependencies: ["CairoBackend", "FigureModel", "CCairo", "FigureTesting"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CompressionFiguresTests",
            dependencies: [
                "CompressionFigures", "Pipeline", "CZstd", "FigureModel", "FigureTesting", "CairoBackend", "Tables",
                "FigpipeBasics",
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DelphiFiguresTests",
            dependencies: [
                "DelphiFigures", "FigureModel", "FigureTesting", "Pipeline", "PlotlyBackend", "Numerics",
                "FigureStages", "Tables",
                "PipelineTesting",
                "CairoBackend",
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "PlotlyBackendTests", dependencies: ["PlotlyBackend", "FigureModel", "FigureTesting", "Pipeline"]),
        .testTarget(
            name: "EntropyFiguresTests",
            dependencies: [
                "EntropyFigures", "Pipeline", "FigureModel", "FigureStages", "FigureTesting", "CairoBackend",
                "Numerics", "Tables",
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "FigpipeCLITests",
            dependencies: ["FigpipeCLI", "Pipeline", "PipelineTesting", "FigureTesting", "CairoBackend"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "CommandStagesTests", dependencies: ["CommandStages", "Pipeline", "FigpipeBasics", "PipelineTesting"]),
        .testTarget(
            name: "TablesTests",
            dependencies: ["Tables", "Pipeline", "FigpipeBasics", "PipelineTesting", "FigureTesting", "Numerics"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "VegaLiteTests", dependencies: ["VegaLite", "FigpipeBasics", "FigureModel"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DeclaredFiguresTests",
            dependencies: ["DeclaredFigures", "FigureStages", "Pipeline", "PipelineTesting", "Tables", "FigpipeBasics"]),
        .testTarget(
            name: "RemoteCacheTests", dependencies: ["RemoteCache", "Pipeline", "FigpipeBasics", "PipelineTesting"]),
        .testTarget(
            name: "ReviewTests", dependencies: ["Review", "CairoBackend", "FigpipeBasics", "PipelineTesting", "CCairo"]),
        .testTarget(name: "ServeTests", dependencies: ["Serve", "FigpipeBasics", "PipelineTesting"]),
        .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing", "Pipeline"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
