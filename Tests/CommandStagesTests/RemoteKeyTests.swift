import FigpipeBasics
import Foundation
import Pipeline
import Testing

@testable import CommandStages

/// The key a remote cache shares between machines holds a tool's content
/// hash and version, not the path it is installed at.
@Suite struct CommandRemoteKeys {
    static let kind = CommandKind.kind(sandboxLauncher: nil)
    static let parameters = Parameters([
        "run": ["python3", "{inputs.script}"], "outputs": ["fig": "extra/fig.png"], "env": [], "tools": ["python3"],
        "cwd": "",
    ])

    static func key(remote: Bool, _ environment: [String: String]) -> String {
        let inputs = ["script": Digest.sha256(Array("print(1)".utf8))]
        return remote
            ? StageKey.remote(kind: kind, parameters: parameters, inputHashes: inputs, environment: environment)
            : StageKey.compute(kind: kind, parameters: parameters, inputHashes: inputs, environment: environment)
    }

    @Test func theToolsPathIsLeftOutOfTheRemoteKeyAndNothingElse() {
        let hash = Digest.sha256(Array("interpreter".utf8))
        let here = ["tool.python3": "path=/usr/bin/python3.11 sha256=\(hash) version=Python 3.11.2", "env.SEED": "0"]
        let there = [
            "tool.python3": "path=/opt/conda/bin/python3.11 sha256=\(hash) version=Python 3.11.2", "env.SEED": "0",
        ]
        #expect(
            CommandKind.portable(here) == ["tool.python3": "sha256=\(hash) version=Python 3.11.2", "env.SEED": "0"])
        #expect(Self.key(remote: false, here) != Self.key(remote: false, there))
        #expect(Self.key(remote: true, here) == Self.key(remote: true, there))
        #expect(Self.key(remote: true, here) != Self.key(remote: false, here))

        var newer = there
        newer["tool.python3"] = "path=/opt/conda/bin/python3.11 sha256=\(hash) version=Python 3.11.9"
        #expect(Self.key(remote: true, newer) != Self.key(remote: true, there))
        var rebuilt = there
        rebuilt["tool.python3"] = "path=/opt/conda/bin/python3.11 sha256=\(Digest.sha256([1])) version=Python 3.11.2"
        #expect(Self.key(remote: true, rebuilt) != Self.key(remote: true, there))
        var seeded = here
        seeded["env.SEED"] = "1"
        #expect(Self.key(remote: true, seeded) != Self.key(remote: true, here))
    }

    @Test func aRealToolsPortableIdentityNamesNoPath() throws {
        let sh = try #require(ProgramEnvironment.locate("sh", searchPath: ProgramEnvironment.path, base: "/"))
        let identity = try ToolIdentity.of(sh, environment: ["PATH": ProgramEnvironment.path], grace: .seconds(1))
        #expect(identity.hasPrefix("path=/"))
        let portable = ToolIdentity.portable(identity)
        #expect(portable.hasPrefix("sha256=") && !portable.contains("path="), "\(portable)")
        #expect(identity.hasSuffix(portable))
    }
}
