import ArgumentParser
import FigpipeBasics
import Foundation
import Pipeline
import RemoteCache

/// The remote cache's options, shared by `run`, `status` and `check`.
struct RemoteOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A remote cache, Bazel's HTTP remote cache protocol at this URL (overrides FIGPIPE_REMOTE_CACHE and pipeline.json's remote_cache; '' for none).",
            valueName: "url"))
    var remoteCache: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A header sent with every remote cache request, e.g. 'Authorization: Bearer TOKEN'; repeatable.",
            valueName: "header"))
    var remoteHeader: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds a remote cache request may go without progress before it is tried again (3 tries).",
            valueName: "seconds"))
    var remoteTimeout: Double = 30

    func validate() throws {
        guard remoteTimeout >= 1 && remoteTimeout <= 3600 else {
            throw ValidationError("--remote-timeout must be between 1 and 3600 seconds")
        }
    }

    /// The remote cache's URL and where it was given: the flag, else
    /// `FIGPIPE_REMOTE_CACHE`, else pipeline.json's `remote_cache`. An empty
    /// flag or variable means none.
    func chosenURL(for pipeline: PipelineDefinition, environment: [String: String]) -> (url: String, source: String)? {
        if let flag = remoteCache { return flag.isEmpty ? nil : (flag, "--remote-cache") }
        if let variable = environment["FIGPIPE_REMOTE_CACHE"] {
            return variable.isEmpty ? nil : (variable, "FIGPIPE_REMOTE_CACHE")
        }
        return pipeline.remoteCache.map { ($0, "\(pipeline.file): remote_cache") }
    }

    /// The remote cache's settings, nil when none is configured. A setting
    /// that cannot be used (a bad URL or header, `--remote-upload` without a
    /// cache) prints one line naming the flag, variable or field, and exits 2.
    func settings(for pipeline: PipelineDefinition, upload: Bool) throws -> RemoteSettings? {
        let environment = ProcessInfo.processInfo.environment
        do {
            guard let (url, source) = chosenURL(for: pipeline, environment: environment) else {
                for header in remoteHeader { _ = try RemoteHeader.parse(header) }
                if upload {
                    throw RemoteSettingsError(
                        "--remote-upload",
                        "no remote cache to upload to (give --remote-cache URL, FIGPIPE_REMOTE_CACHE or remote_cache in \(pipeline.file))"
                    )
                }
                return nil
            }
            var settings = try RemoteSettings.make(
                url: url, source: source, headers: remoteHeader, netrc: Netrc.defaultPath(environment: environment))
            settings.timeout = remoteTimeout
            settings.upload = upload
            return settings
        } catch {
            Terminal.error("\(error)")
            throw Exit.invalid
        }
    }
}
