import CSandbox
import FigpipeBasics
import Foundation

/// Where a command stage's program may write: with Landlock (Linux 5.13 and
/// later), only beneath its scratch folder and `/dev`; it reads and runs
/// anything. The program is started through figpipe's own binary
/// (`launcher`), which restricts itself and then execs the program, so the
/// rule covers the program and everything it starts.
struct Sandbox: Sendable {
    /// The figpipe binary that understands `sandboxArgument`.
    var launcher: String
    var writable: [String]

    static let sandboxArgument = "__figpipe-sandbox"

    /// The launcher's command line that runs `executable` with `arguments` sandboxed.
    func wrap(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        (launcher, [Self.sandboxArgument] + writable.flatMap { ["--writable", $0] } + ["--", executable] + arguments)
    }

    /// True when the kernel offers Landlock.
    static var isAvailable: Bool { figpipe_landlock_abi() > 0 }
}

/// The launcher's side: `figpipe __figpipe-sandbox --writable DIR … -- PROGRAM ARGS…`.
public enum SandboxLauncher {
    /// When `arguments` ask for it: restricts this process's writes and execs
    /// the program; never returns then (exit 127 when that fails, with the
    /// reason on stderr, as a shell does). Otherwise returns at once.
    public static func execIfRequested(_ arguments: [String] = CommandLine.arguments) {
        guard arguments.count > 1, arguments[1] == Sandbox.sandboxArgument else { return }
        var writable: [String] = []
        var rest = arguments.dropFirst(2)
        while rest.first == "--writable", rest.count >= 2 {
            writable.append(rest[rest.startIndex + 1])
            rest = rest.dropFirst(2)
        }
        guard rest.first == "--", rest.count >= 2 else {
            fail("usage: figpipe \(Sandbox.sandboxArgument) --writable DIR … -- PROGRAM ARGS…")
        }
        let program = Array(rest.dropFirst())
        let writablePointers: [UnsafeMutablePointer<CChar>?] = writable.map { strdup($0) }
        let constPointers: [UnsafePointer<CChar>?] = writablePointers.map { $0.map { UnsafePointer($0) } }
        let code = constPointers.withUnsafeBufferPointer { buffer in
            figpipe_landlock_restrict_writes(buffer.baseAddress, Int32(writable.count))
        }
        for p in writablePointers { free(p) }
        guard code == 0 else { fail("cannot restrict writes (Landlock): \(String(cString: strerror(code)))") }
        let argv: [UnsafeMutablePointer<CChar>?] = program.map { strdup($0) } + [nil]
        // A program file still open for writing somewhere (ETXTBSY) is tried again.
        for attempt in 1...6 {
            argv.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress { _ = execv(program[0], base) }
            }
            guard errno == ETXTBSY else { break }
            usleep(UInt32(20_000 * attempt))
        }
        fail("cannot run \(program[0]): \(String(cString: strerror(errno)))")
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("figpipe: \(message)\n".utf8))
        exit(127)
    }
}
