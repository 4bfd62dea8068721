import ArgumentParser
import CommandStages
import Foundation

extension Figpipe {
    /// Runs the command. A command line that ArgumentParser rejects (unknown
    /// option, bad value, a failed `validate()`) exits 2, as the help and the
    /// README say, instead of ArgumentParser's default 64. A process started
    /// as a command stage's sandbox launcher becomes the stage's program first.
    public static func main() {
        SandboxLauncher.execIfRequested()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                Terminal.error(fullMessage(for: error))
                Foundation.exit(Exit.invalid.rawValue)
            }
            exit(withError: error)
        }
    }
}
