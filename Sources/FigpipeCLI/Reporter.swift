import FigpipeBasics
import Foundation
import Pipeline

/// Prints a line per finished stage, a live bar on a terminal, and notes.
final class Reporter: RunObserver, Sendable {
    enum Level: Int { case quiet, normal, verbose }

    let level: Level
    let width: Int
    let reasons: [String: [String]]
    /// Whether a cached stage's line names the files put back (not for
    /// `check`, which makes every file afresh in a scratch folder).
    let showsRestored: Bool
    private let live: Bool

    /// What the live bar shows; also serializes the printing.
    private struct Progress {
        var running: [String] = []
        var finished = 0
        var total: Int
    }

    private let progress: Locked<Progress>

    init(level: Level, ids: [String], reasons: [String: [String]] = [:], showsRestored: Bool = true) {
        self.level = level
        self.showsRestored = showsRestored
        self.width = ids.map(\.count).max() ?? 10
        self.reasons = reasons
        self.progress = Locked(Progress(total: ids.count))
        self.live = Terminal.stdoutIsTerminal && level != .quiet
    }

    func stageStarted(_ id: String) {
        progress.withLock { p in
            p.running.append(id)
            drawBar(p)
        }
    }

    func stageFinished(_ id: String, outcome: StageOutcome, finished: Int, total: Int) {
        progress.withLock { p in
            p.running.removeAll { $0 == id }
            p.finished = finished
            p.total = total
            let counter =
                "[\(String(repeating: " ", count: max(0, String(total).count - String(finished).count)))\(finished)/\(total)]"
            let padded = id.padding(toLength: max(width, id.count), withPad: " ", startingAt: 0)
            switch outcome {
            case .cached(let restored):
                if level != .quiet {
                    let extra =
                        restored.isEmpty || !showsRestored ? "" : "   restored \(restored.joined(separator: ", "))"
                    emit("\(counter) cached \(extra.isEmpty ? id : padded + extra)")
                }
            case .remote(let seconds, _):
                if level != .quiet { emit("\(counter) remote  \(padded)   \(String(format: "%.2f", seconds))s") }
            case .ran(let seconds):
                if level != .quiet {
                    var line = "\(counter) ran    \(padded)   \(String(format: "%.2f", seconds))s"
                    if level == .verbose, let why = reasons[id], !why.isEmpty {
                        line += "   (\(why.joined(separator: "; ")))"
                    }
                    emit(line)
                }
            case .skipped(let skip):
                // `skipped id   message`: the stage's own message (the exporter's, for the Delphi
                // caches) or the skipped stage it needs; `(cached)` when the skip came from the cache.
                if level != .quiet {
                    var line =
                        "\(counter) skipped \(padded)   \(skip.cached ? "(cached) " : "")"
                        + (skip.message.split(separator: "\n").first.map(String.init) ?? "")
                    if !skip.removed.isEmpty { line += "; removed \(skip.removed.joined(separator: ", "))" }
                    emit(line)
                }
            case .failed(let error):
                let message = error.description
                clearBar()
                Terminal.error(
                    "\(counter) FAILED \(padded)   \(message.split(separator: "\n").first.map(String.init) ?? "")")
            }
            drawBar(p)
        }
    }

    func note(_ id: String, _ message: String) {
        guard level == .verbose || message.contains("corrupt") else { return }
        progress.withLock { p in
            clearBar()
            Terminal.error("        \(id): \(message)")
            drawBar(p)
        }
    }

    /// A warning (the remote cache unreachable, …), on stderr unless quiet.
    func warning(_ message: String) {
        guard level != .quiet else { return }
        progress.withLock { p in
            clearBar()
            Terminal.error(message)
            drawBar(p)
        }
    }

    /// Erases the live bar before the final lines.
    func done() { progress.withLock { _ in clearBar() } }

    private func emit(_ line: String) {
        clearBar()
        Terminal.out(line)
    }

    private func clearBar() {
        guard live else { return }
        Terminal.write(STDOUT_FILENO, "\r\u{1B}[K")
    }

    private func drawBar(_ p: Progress) {
        guard live, p.finished < p.total else { return }
        let cells = 24
        let filled = p.total == 0 ? cells : cells * p.finished / p.total
        let names = p.running.prefix(3).joined(separator: ", ") + (p.running.count > 3 ? ", …" : "")
        Terminal.write(
            STDOUT_FILENO,
            "\r\u{1B}[K[" + String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled)
                + "] \(p.finished)/\(p.total)  \(names)")
    }
}
