import FigpipeBasics
import ArgumentParser
import Foundation
import Pipeline

/// `figpipe-fuzz`: runs a campaign against a figpipe binary and prints the table.
public struct FuzzCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "figpipe-fuzz",
        abstract: "Mutate figpipe's inputs (seeded, bounded) and run figpipe on each mutant in a child process.",
        discussion: """
            A mutant passes when figpipe exits 0, or 1 or 2 with a message, within the time limit and leaves no \
            partial output. Exits 1 when any mutant crashes, hangs or leaves partial output; each failing mutant \
            is saved with a repro.sh.
            """)

    @Option(name: .customLong("count"), help: "Mutants per family.")
    var count = 200

    @Option(help: "The seed: the same seed makes the same mutants.")
    var seed: UInt64 = 1

    @Option(help: "quick (make test: smaller seeds, no figure stages) or thorough (full files, more stages).")
    var profile: String = Profile.thorough.rawValue

    @Option(help: "The figpipe binary to fuzz.")
    var figpipe = ".build/debug/figpipe"

    @Option(help: "The repository (pipeline.json and data/).")
    var root = "."

    @Option(help: "Where failing mutants are saved.")
    var failures = ".fuzz-failures"

    @Option(help: "Scratch folder (default: a new folder under the temporary folder).")
    var work: String?

    @Option(help: "Mutants run at once.")
    var jobs = 2

    @Option(help: "Per-mutant time limit in seconds.")
    var timeLimit: Double = 20

    @Option(
        name: .customLong("family"),
        help: "Only this family (repeatable): \(Family.all.map(\.name).joined(separator: ", ")).")
    var families: [String] = []

    @Flag(help: "Keep the scratch folder.")
    var keep = false

    @Flag(help: "Print every mutant: verdict, status, wall and CPU time, mutation.")
    var verbose = false

    public init() {}

    public func run() throws {
        guard let profile = Profile(rawValue: profile) else {
            throw ValidationError("--profile must be quick or thorough")
        }
        var selected: [Family] = []
        for name in families {
            guard let f = Family.named(name) else { throw ValidationError("unknown family \(name)") }
            selected.append(f)
        }
        let scratch = work ?? (NSTemporaryDirectory() + "/figpipe-fuzz-\(getpid())")
        var options = CampaignOptions(
            repositoryRoot: Paths.absolute(root), figpipe: Paths.absolute(figpipe),
            workDirectory: Paths.absolute(scratch))
        options.seed = seed
        options.mutantsPerFamily = count
        options.families = selected.isEmpty ? Family.all : selected
        options.profile = profile
        options.workers = jobs
        options.timeLimit = timeLimit
        options.failuresDirectory = Paths.absolute(failures)
        options.log = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        guard FileManager.default.isExecutableFile(atPath: options.figpipe) else {
            throw ValidationError("no figpipe binary at \(options.figpipe) (swift build --product figpipe)")
        }
        let report = try Campaign.run(options)
        if !keep { try? FileManager.default.removeItem(atPath: options.workDirectory) }
        if verbose {
            for r in report.records {
                let naming = r.verdict == .cleanError && !r.namesFile ? " [does not name the file]" : ""
                print(
                    "\(r.family)#\(r.index) \(r.verdict.rawValue)\(naming) \(r.result.status) "
                        + String(format: "%.2f s (CPU %.2f s) ", r.result.seconds, r.result.cpuSeconds)
                        + "\(r.arguments.first ?? "") \(r.kind.rawValue): \(r.mutation.prefix(120))")
                if !naming.isEmpty, let line = r.result.stderr.split(separator: "\n").last {
                    print("    stderr: \(line.prefix(300))")
                }
            }
        }
        print(report.table)
        for p in report.setupProblems { print("setup problem: \(p)") }
        let failed = report.failures
        if !failed.isEmpty {
            print(
                "\(failed.count) failing mutant\(failed.count == 1 ? "" : "s") saved under \(options.failuresDirectory ?? "")"
            )
        }
        if !failed.isEmpty || !report.setupProblems.isEmpty { throw ExitCode(1) }
    }
}
