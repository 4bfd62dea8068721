import FigpipeBasics
import Foundation
import Pipeline
import Testing

@testable import RemoteCache

@Suite struct ActionManifests {
    static let key = Digest.sha256(Array("key".utf8))
    static func hash(_ text: String) -> String { Digest.sha256(Array(text.utf8)) }

    @Test func aResultRoundTripsWithDigestsAndSizes() throws {
        var entry = ActionEntry(
            artifactHash: Self.hash("a"), artifactType: "files", encoding: .json,
            files: ["figs/b.png": Self.hash("b"), "figs/a.pdf": Self.hash("c")], stage: "fig.render", seconds: 1.25)
        entry.logs = LogReferences(stdout: Self.hash("out"), stderr: Self.hash(""))
        let sizes = [Self.hash("a"): 1, Self.hash("b"): 20, Self.hash("c"): 300, Self.hash("out"): 3, Self.hash(""): 0]
        let manifest = ActionManifest(key: Self.key, entry: entry, sizes: sizes)
        let json = manifest.json
        #expect(json["format"] == "figpipe-action-result")
        #expect(json["format_version"] == 1)
        #expect(json["figpipe_version"]?.stringValue == FigpipeVersion.current)
        #expect(json["stage_key"]?.stringValue == Self.key)
        #expect(json["artifact"]?["digest"]?["size_bytes"] == 1)
        #expect(
            json["output_files"]?.arrayValue?.map { $0["path"]?.stringValue ?? "" } == ["figs/a.pdf", "figs/b.png"])
        #expect(json["output_files"]?.arrayValue?[1]["digest"]?["size_bytes"] == 20)
        #expect(json["stderr_digest"]?["size_bytes"] == 0)
        let back = try ActionManifest(decoding: manifest.bytes, key: Self.key)
        #expect(back == manifest)
        #expect(back.blobs.count == 5)
    }

    @Test func aSkipRoundTrips() throws {
        let entry = ActionEntry(
            skip: ActionEntry.Skip(message: "nothing at data/x.json", displayPaths: ["file": "data/x.json"]),
            stage: "s", seconds: 0)
        let manifest = ActionManifest(key: Self.key, entry: entry, sizes: [:])
        #expect(try ActionManifest(decoding: manifest.bytes, key: Self.key).entry == entry)
        #expect(manifest.blobs.isEmpty)
    }

    @Test func whatIsNotAManifestOfThisKeyIsRefused() throws {
        let entry = ActionEntry(
            artifactHash: Self.hash("a"), artifactType: "t", encoding: .binary, files: [:], stage: "s", seconds: 0)
        let good = ActionManifest(key: Self.key, entry: entry, sizes: [Self.hash("a"): 1]).json
        func refused(_ json: JSONValue, key: String = Self.key) -> Bool {
            (try? ActionManifest(decoding: json.canonicalBytes(), key: key)) == nil
        }
        #expect(!refused(good))
        #expect(refused(good, key: Self.hash("other")))
        #expect((try? ActionManifest(decoding: Array("{\"format\"".utf8), key: Self.key)) == nil)
        var changed = good
        changed["format_version"] = 2
        #expect(refused(changed))
        changed = good
        changed["artifact"]?["digest"]?["hash"] = "../../etc/passwd"
        #expect(refused(changed))
        changed = good
        changed["artifact"]?["digest"]?["size_bytes"] = -1
        #expect(refused(changed))
        changed = good
        changed["output_files"] = [
            ["path": "x", "digest": ["hash": .string(Self.hash("b")), "size_bytes": 1]],
            ["path": "x", "digest": ["hash": .string(Self.hash("c")), "size_bytes": 1]],
        ]
        #expect(refused(changed))
    }
}
