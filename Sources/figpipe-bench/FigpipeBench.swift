// figpipe-bench: the measurements behind `make bench` (scripts/bench.sh).
//   figpipe-bench time [--runs N] [--warmup N] -- COMMAND ARGS...   wall time of a whole command
//   figpipe-bench decode FILE [--repeat N]                         results.jsonl.zst decode + parse
import ArgumentParser
import CompressionFigures
import FigpipeBasics
import Foundation
import Tables

@main
struct FigpipeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figpipe-bench", abstract: "Benchmarks for make bench.",
        subcommands: [Time.self, Decode.self, Bootstrap.self, GP.self, CSVRead.self])
}

/// Peak resident set size of this process so far, in MB.
func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux: kilobytes
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func summary(_ seconds: [Double]) -> String {
    let s = seconds.sorted()
    let median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    func ms(_ x: Double) -> String { String(format: "%.1f ms", x * 1000) }
    return "median \(ms(median)), min \(ms(s.first ?? 0)), max \(ms(s.last ?? 0)) over \(s.count) runs"
}

struct Time: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Time a whole command (a process), after warm-up runs.")

    @Option var runs = 10
    @Option var warmup = 1
    @Argument(parsing: .captureForPassthrough) var command: [String]

    func run() throws {
        let argv = command.first == "--" ? Array(command.dropFirst()) : command
        guard let exe = argv.first else { throw ValidationError("no command given") }
        // posix_spawn + waitpid: Foundation's Process.waitUntilExit polls its
        // run loop and would add tens of milliseconds to every measurement.
        func once() throws -> Double {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
            var cargs = argv.map { strdup($0) } + [nil]
            defer { for p in cargs { free(p) } }
            var pid: pid_t = 0
            let t0 = now()
            let rc = posix_spawn(&pid, exe, &actions, nil, &cargs, environ)
            guard rc == 0 else { throw ValidationError("cannot start \(exe): \(String(cString: strerror(rc)))") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let t = now() - t0
            guard status == 0 else { throw ValidationError("\(argv.joined(separator: " ")) failed (status \(status))") }
            return t
        }
        for _ in 0..<warmup { _ = try once() }
        var times: [Double] = []
        for _ in 0..<max(1, runs) { times.append(try once()) }
        // The largest resident set of any command run (the children waited for).
        var usage = rusage()
        getrusage(Int32(RUSAGE_CHILDREN.rawValue), &usage)
        print(summary(times) + String(format: ", peak RSS %.0f MB", Double(usage.ru_maxrss) / 1024))
    }
}

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode and parse a results.jsonl.zst into the typed table, as the loader stage does.")

    @Argument var file: String
    @Option var `repeat` = 3

    func run() throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        var times: [Double] = []
        var records = 0
        for _ in 0..<max(1, self.repeat) {
            let t0 = now()
            let table = try ResultsTable.load(path: file, displayName: file)
            times.append(now() - t0)
            records = table.count
        }
        print(
            "\(records) records from \(String(format: "%.1f", Double(size) / 1e6)) MB compressed: \(summary(times)); peak RSS \(String(format: "%.0f", peakRSSMegabytes())) MB"
        )
    }
}

struct CSVRead: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Read a CSV file into a typed table both ways: figpipe's plain-CSV path and CSV.swift's reader.")

    @Argument var file: String
    @Option var `repeat` = 3

    func run() throws {
        let bytes = try FileIO.read(file)
        let reader = TableReader(shown: file)
        func best(_ read: () throws -> DataTable) rethrows -> (Double, DataTable) {
            var times: [Double] = []
            var table = DataTable(columns: [])
            for _ in 0..<max(1, self.repeat) {
                let t0 = now()
                table = try read()
                times.append(now() - t0)
            }
            return (times.min() ?? 0, table)
        }
        let (plain, a) = try best { try reader.read(bytes, format: .csv) }
        let (general, b) = try best { try reader.generalCSV(bytes) }
        guard a == b else { throw ValidationError("the two readers disagree on \(file)") }
        print(
            String(
                format: "%d rows × %d columns: plain-CSV path %.0f ms, CSV.swift %.0f ms (%.1f× slower), same table",
                a.rowCount, a.columns.count, plain * 1000, general * 1000, general / max(plain, 1e-9)))
    }
}
