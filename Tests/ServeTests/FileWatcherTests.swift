import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

@testable import Serve

/// Collects what a watcher reports.
final class Reports: Sendable {
    private let calls = Locked<[[String]]>([])
    func add(_ paths: [String]) { calls.withLock { $0.append(paths) } }
    var all: [[String]] { calls.value }

    /// Waits (at most `seconds`) until there are `count` reports.
    func wait(for count: Int, seconds: Double = 10) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if all.count >= count { return true }
            usleep(10_000)
        }
        return all.count >= count
    }
}

@Suite(.serialized) struct FileWatcherTests {
    func watch(polling: Bool, debounce: DispatchTimeInterval = .milliseconds(50)) -> (FileWatcher, Reports) {
        let reports = Reports()
        let watcher = FileWatcher(
            debounce: debounce, pollInterval: .milliseconds(20), forcePolling: polling,
            onChange: { reports.add($0) })
        return (watcher, reports)
    }

    @Test(arguments: [false, true]) func aSaveIsReportedOnceWithItsPath(polling: Bool) throws {
        let dir = TemporaryDirectory("watch")
        try dir.write("data/a.csv", "1")
        try dir.write("data/b.csv", "1")
        let (watcher, reports) = watch(polling: polling, debounce: .milliseconds(300))
        watcher.watch([dir.file("data/a.csv")], ignoring: [])
        #expect(watcher.mode == (polling ? .polling : .inotify))
        // An editor's save: a write, then a new file renamed over the old one.
        try dir.write("data/a.csv", "2")
        try dir.write("data/a.csv.tmp", "3")
        #expect(rename(dir.file("data/a.csv.tmp"), dir.file("data/a.csv")) == 0)
        try dir.write("data/b.csv", "2")  // not watched
        #expect(reports.wait(for: 1))
        usleep(600_000)
        #expect(reports.all == [[dir.file("data/a.csv")]])
    }

    @Test(arguments: [false, true]) func theIgnoredFoldersAreNeverReported(polling: Bool) throws {
        let dir = TemporaryDirectory("watch-ignored")
        try dir.write("out/fig.png", "1")
        try dir.write("pipeline.json", "{}")
        let (watcher, reports) = watch(polling: polling)
        watcher.watch([dir.file("out/fig.png"), dir.file("pipeline.json")], ignoring: [dir.file("out")])
        try dir.write("out/fig.png", "2")
        try dir.write("pipeline.json", "{ }")
        #expect(reports.wait(for: 1))
        usleep(300_000)
        #expect(reports.all == [[dir.file("pipeline.json")]])
    }
}
