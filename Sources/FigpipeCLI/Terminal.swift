import CommandStages
import FigpipeBasics
import Foundation

/// Writes to stdout and stderr, unbuffered and serialized.
enum Terminal {
    private static let output = Locked(())

    static let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1

    static func out(_ line: String) { write(STDOUT_FILENO, line + "\n") }

    static func error(_ line: String) { write(STDERR_FILENO, line + "\n") }

    /// An informational message on stderr.
    static func note(_ line: String) { write(STDERR_FILENO, "figpipe: " + line + "\n") }

    static func write(_ fd: Int32, _ text: String) {
        output.withLock { _ in
            let bytes = Array(text.utf8)
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + done }, bytes.count - done) }
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                done += n
            }
        }
    }
}

/// Ctrl-C and `kill`: remove every temporary file being written, then exit,
/// so nothing partial is left in the output root or the cache.
///
/// The signals are blocked in every thread and taken by one dedicated thread
/// with `sigwait`, so they are handled at once even while every worker is
/// busy with a CPU-bound stage.
enum Interrupts {
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waiter = Thread { [set] in
            var mask = set
            var sig: Int32 = 0
            while sigwait(&mask, &sig) != 0 {}
            AtomicWriter.shared.interruptAndRemoveTemporaries()
            // Programs of command stages first (SIGTERM, SIGKILL after the
            // grace period), then their scratch folders.
            RunningPrograms.shared.stopAll()
            ScratchFolders.shared.interruptAndRemoveAll()
            Terminal.write(
                STDERR_FILENO, "\nfigpipe: interrupted; no partial file was kept, the next run completes the rest\n")
            _exit(sig == SIGINT ? Exit.interrupted : 128 + sig)
        }
        waiter.name = "figpipe.signals"
        waiter.start()
    }
}
