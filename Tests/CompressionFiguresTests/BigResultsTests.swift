import Foundation
import Testing

@testable import CompressionFigures

#if canImport(Glibc)
    import Glibc
#endif

/// Load test, skipped unless FIGPIPE_BIG_RESULTS names a big results file,
/// e.g. one made by
/// `python shared/synth/compression.py --out /tmp/comp100 --scale 100`:
///
///     FIGPIPE_BIG_RESULTS=/tmp/comp100/results/results.jsonl.zst \
///         swift test -c release --filter CompressionFiguresTests.BigResultsTests
@Suite struct BigResultsTests {
    static let path = ProcessInfo.processInfo.environment["FIGPIPE_BIG_RESULTS"]

    @Test(.enabled(if: path != nil, "set FIGPIPE_BIG_RESULTS to a big results.jsonl.zst"))
    func loadBigResults() throws {
        let path = try #require(Self.path)
        let clock = ContinuousClock()
        var table: ResultsTable?
        let load = try clock.measure {
            table = try ResultsTable.load(path: path, displayName: "results.jsonl.zst")
        }
        let t = try #require(table)
        let rssAfterLoad = peakRSSMiB()
        var bytes: [UInt8] = []
        let encode = clock.measure { bytes = t.encoded() }
        var back: ResultsTable?
        let decode = try clock.measure { back = try ResultsTable(decoding: bytes) }
        print(
            "big results: \(t.count) records, \(t.methodEntryCount) method entries; load \(load), "
                + "peak RSS after load \(rssAfterLoad) MiB; encoded \(bytes.count) bytes in \(encode); "
                + "decoded in \(decode); peak RSS \(peakRSSMiB()) MiB")
        #expect(back == t)
    }

    private func peakRSSMiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) / 1024
    }
}
