import ArgumentParser
import FigpipeBasics
import Foundation
import Pipeline
import RemoteCache

/// One line per stage: `word id   reason; reason` (ids aligned where reasons follow).
func printStatuses(_ statuses: [StageStatus], word: (StageStatus.State) -> String) {
    let width = statuses.map(\.id.count).max() ?? 0
    for s in statuses {
        let id = s.reasons.isEmpty ? s.id : s.id.padding(toLength: width, withPad: " ", startingAt: 0)
        Terminal.out("\(word(s.state)) \(id)" + (s.reasons.isEmpty ? "" : "   " + s.reasons.joined(separator: "; ")))
    }
}

extension Figpipe {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show whether each stage is up to date, and if not, what changed.")

        @OptionGroup var pipelineOptions: PipelineOptions

        @Argument(help: ArgumentHelp("Stage ids or globs (default: all).", valueName: "target"))
        var targets: [String] = []

        @Flag(name: .long, help: "Print a JSON array of {id, kind, state, reasons}.")
        var json = false

        @OptionGroup var remoteOptions: RemoteOptions

        func run() throws {
            let (pipeline, _, stages) = try pipelineOptions.select(targets)
            let remote = try remoteOptions.settings(for: pipeline, upload: false).map { settings in
                HTTPCache(settings: settings) { Terminal.error($0) }
            }
            let store = Store(root: pipeline.cacheRoot)
            let statuses = pipeline.status(store: store, statCache: store.statCache(), of: stages, remote: remote)
            if json {
                Terminal.write(STDOUT_FILENO, JSONValue.array(statuses.map(\.json)).prettyString())
                return
            }
            printStatuses(statuses) { $0.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) }
            let upToDate = statuses.filter { $0.state == .upToDate }.count
            let skipped = statuses.filter { $0.state == .skipped }.count
            let failed = statuses.filter { $0.state == .failed }.count
            let inRemote = statuses.filter { $0.state == .remote }.count
            let stale = statuses.count - upToDate - skipped - failed - inRemote
            // `N up to date, N stale`; with skips or failures (only then) `N up to date, N skipped, N failed, N stale`;
            // with a remote cache (only then) `N up to date, N remote, N stale`.
            Terminal.out(
                "\(upToDate) up to date, \(remote == nil ? "" : "\(inRemote) remote, ")"
                    + "\(skipped == 0 ? "" : "\(skipped) skipped, ")"
                    + "\(failed == 0 ? "" : "\(failed) failed, ")\(stale) stale")
        }
    }
}
