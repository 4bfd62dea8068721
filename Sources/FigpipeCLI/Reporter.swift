import Foundation
import Pipeline

/// Prints a line per finished stage, a live bar on a terminal, and notes.
final class Reporter: RunObserver, @unchecked Sendable {
    enum Level: Int { case quiet, normal, verbose }

    let level: Level
    let width: Int
    let reasons: [String: [String]]
    private let lock = NSLock()
    private var running: [String] = []
    private var finished = 0
    private var total: Int
    private let live: Bool

    init(level: Level, ids: [String], reasons: [String: [String]] = [:]) {
        self.level = level
        self.width = ids.map(\.count).max() ?? 10
        self.reasons = reasons
        self.total = ids.count
        self.live = Terminal.stdoutIsTerminal && level != .quiet
    }

    func stageStarted(_ id: String) {
        lock.withLock {
            running.append(id)
            drawBar()
        }
    }

    func stageFinished(_ id: String, outcome: StageOutcome, finished: Int, total: Int) {
        lock.withLock {
            running.removeAll { $0 == id }
            self.finished = finished
            self.total = total
            let counter =
                "[\(String(repeating: " ", count: max(0, String(total).count - String(finished).count)))\(finished)/\(total)]"
            let padded = id.padding(toLength: max(width, id.count), withPad: " ", startingAt: 0)
            switch outcome {
            case .cached(let restored):
                if level != .quiet {
                    let extra = restored.isEmpty ? "" : "   restored \(restored.joined(separator: ", "))"
                    emit("\(counter) cached \(restored.isEmpty ? id : padded + extra)")
                }
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
            case .failed(let message):
                clearBar()
                Terminal.error(
                    "\(counter) FAILED \(padded)   \(message.split(separator: "\n").first.map(String.init) ?? "")")
            }
            drawBar()
        }
    }

    func note(_ id: String, _ message: String) {
        guard level == .verbose || message.contains("corrupt") else { return }
        lock.withLock {
            clearBar()
            Terminal.error("        \(id): \(message)")
            drawBar()
        }
    }

    /// Erases the live bar before the final lines.
    func done() { lock.withLock { clearBar() } }

    private func emit(_ line: String) {
        clearBar()
        Terminal.out(line)
    }

    private func clearBar() {
        guard live else { return }
        Terminal.write(STDOUT_FILENO, "\r\u{1B}[K")
    }

    private func drawBar() {
        guard live, finished < total else { return }
        let cells = 24
        let filled = total == 0 ? cells : cells * finished / total
        let names = running.prefix(3).joined(separator: ", ") + (running.count > 3 ? ", …" : "")
        Terminal.write(
            STDOUT_FILENO,
            "\r\u{1B}[K[" + String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled)
                + "] \(finished)/\(total)  \(names)")
    }
}
