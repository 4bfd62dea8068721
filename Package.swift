// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "figpipe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "figpipe", targets: ["figpipe"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
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

        // The pipeline engine: pipeline.json, stage kinds, the content-addressed
        // cache, the Dispatch executor. Knows nothing about plots.
        .target(
            name: "Pipeline",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]),

        // numpy/scipy/scikit-learn-exact numerics: random streams, fits,
        // bounded least squares, L-BFGS-B, Gaussian processes. No I/O.
        .target(name: "Numerics"),

        // The figure model (value types, matplotlib's locators, formatters,
        // autoscaling and layout) and its back ends.
        .target(name: "FigureModel", dependencies: ["Numerics", "Pipeline"]),
        .target(name: "CairoBackend", dependencies: ["FigureModel", "CCairo", "CZlib"]),
        .target(name: "PlotlyBackend", dependencies: ["FigureModel", "Pipeline"]),
        // The stage kinds every family shares: figure.render, figure.plotly, figure.gallery.
        .target(name: "FigureStages", dependencies: ["Pipeline", "FigureModel", "CairoBackend", "PlotlyBackend"]),

        // The compression paper's family: loaders and fig1–fig5.
        .target(
            name: "CompressionFigures", dependencies: ["Pipeline", "CZstd", "Numerics", "FigureModel"]),

        // The Delphi blog family: loaders, fits, the 12 plotly figures.
        .target(name: "DelphiFigures", dependencies: ["Pipeline", "Numerics", "FigureModel"]),

        // The ΔH notebooks' family: results loader, tables and figures.
        .target(name: "EntropyFigures", dependencies: ["Pipeline", "Numerics", "FigureModel"]),

        // The command line, as a library so the thin executables share it.
        .target(
            name: "FigpipeCLI",
            dependencies: [
                "Pipeline", "CompressionFigures", "DelphiFigures", "EntropyFigures", "FigureStages",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "figpipe", dependencies: ["FigpipeCLI"]),

        // Test-only stage kinds (counting invocations, sleeping, failing) and a
        // figpipe binary that registers them, for the process-level tests.
        .target(name: "PipelineTesting", dependencies: ["Pipeline"]),
        // compare.py's rules in Swift, for the golden tests of every family.
        .target(name: "FigureTesting", dependencies: ["Pipeline"]),
        .executableTarget(name: "figpipe-testbed", dependencies: ["FigpipeCLI", "PipelineTesting"]),

        // `make bench`.
        .executableTarget(
            name: "figpipe-bench",
            dependencies: [
                "Pipeline", "CompressionFigures", "EntropyFigures", "Numerics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "PipelineTesting"]),
        .testTarget(name: "CCairoTests", dependencies: ["CCairo"]),
        .testTarget(
            name: "FigureStagesTests", dependencies: ["FigureStages", "FigureModel", "Pipeline", "PipelineTesting"]),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FigureModelTests", dependencies: ["FigureModel"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CairoBackendTests", dependencies: ["CairoBackend", "FigureModel", "CCairo"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "CompressionFiguresTests",
            dependencies: ["CompressionFigures", "Pipeline", "CZstd", "FigureModel", "FigureTesting", "CairoBackend"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "DelphiFiguresTests",
            dependencies: [
                "DelphiFigures", "FigureModel", "FigureTesting", "Pipeline", "PlotlyBackend", "Numerics",
                "FigureStages",
                "PipelineTesting",
                "CairoBackend",
            ],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "PlotlyBackendTests", dependencies: ["PlotlyBackend", "FigureModel", "FigureTesting", "Pipeline"]),
        .testTarget(
            name: "EntropyFiguresTests",
            dependencies: ["EntropyFigures", "Pipeline", "FigureModel", "FigureTesting", "CairoBackend", "Numerics"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "FigpipeCLITests", dependencies: ["FigpipeCLI", "Pipeline", "PipelineTesting"],
            exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
