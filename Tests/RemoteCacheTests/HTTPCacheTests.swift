import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

@testable import RemoteCache

#if canImport(Glibc)
    import Glibc
#endif

/// The first line of the server's answer to raw request bytes.
private func rawStatusLine(_ server: TestServer, _ request: String) -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = server.port.bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
    guard connected else { return "(no connection)" }
    let bytes = Array(request.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    var answer = [UInt8](repeating: 0, count: 512)
    let n = answer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    return String(decoding: answer.prefix(max(0, n)), as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
}

@Suite struct HTTPCacheAgainstATestServer {
    /// The server's own checks, so that the upload test below can fail.
    @Test func theServerRefusesAPutWithoutContentLengthOrWithTheWrongHash() throws {
        let server = try TestServer()
        let hash = Digest.sha256(Array("abc".utf8))
        #expect(
            rawStatusLine(server, "PUT /cas/\(hash) HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
                == "HTTP/1.1 400 Error")
        #expect(
            rawStatusLine(server, "PUT /cas/\(hash) HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabd")
                == "HTTP/1.1 400 Error")
        #expect(
            rawStatusLine(server, "PUT /cas/\(hash) HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
                == "HTTP/1.1 200 OK")
    }

    @Test func anUploadSendsTheBlobsFirstThenTheEntryEachWithItsContentLength() async throws {
        let scene = try Scene()
        let (server, result) = (scene.server, scene.result)
        try await scene.upload()
        let puts = server.requests.filter { $0.method == "PUT" }
        #expect(puts.map(\.status) == Array(repeating: 200, count: 5), "\(server.requests)")
        #expect(puts.last?.path == "/ac/\(result.key)")
        #expect(Set(puts.dropLast().map(\.path)) == Set(result.objects.keys.map { "/cas/\($0)" }))
        for put in puts { #expect(put.contentLength == put.bodyCount, "\(put)") }
        #expect(puts.contains { $0.contentLength == 0 } && puts.contains { $0.contentLength == 2 << 20 })
        for (hash, bytes) in result.objects { #expect(server.files["/cas/\(hash)"] == bytes) }
        let manifest = try ActionManifest(decoding: try #require(server.files["/ac/\(result.key)"]), key: result.key)
        #expect(manifest.entry == result.entry)
        #expect(manifest.sizes[result.entry.logs?.stdout ?? ""] == 2 << 20)
        #expect(scene.warnings.all.isEmpty)
        #expect(scene.cache.traffic.blobsUploaded == 4 && scene.cache.traffic.entriesUploaded == 1)

        // Shared only if absent: the entry is there, so one HEAD and nothing else.
        let before = server.requests.count
        try await scene.upload(onlyIfAbsent: true)
        #expect(server.requests.dropFirst(before).map(\.method) == ["HEAD"])
    }

    @Test func aSecondMachineFetchesVerifiesAndStoresEveryBlob() async throws {
        let scene = try Scene()
        try await scene.upload()
        let other = try scene.emptyStore("other")
        let reader = scene.reader()
        #expect(try await scene.fetch(by: reader, into: other) == .hit(scene.result.entry))
        for (hash, bytes) in scene.result.objects { #expect(other.get(hash) == bytes) }
        #expect(reader.traffic.hits == 1)
        #expect(reader.traffic.bytesDownloaded > 2 << 20)
        // Peeking downloads no blob and writes nothing.
        let key = scene.result.key
        let downloaded = reader.traffic.bytesDownloaded
        #expect(try await offPool { reader.peek(key: key) } == scene.result.entry)
        #expect(reader.traffic.bytesDownloaded - downloaded < 10_000)
        #expect(try await offPool { reader.fetch(key: Digest.sha256([9]), into: other) } == .miss)
        #expect(scene.warnings.all.isEmpty)
    }

    /// A blob whose bytes do not hash to its name is a miss, is not stored,
    /// and is uploaded again by the next machine that makes it.
    @Test func aCorruptBlobIsAMissAndTheNextUploadRepairsIt() async throws {
        let scene = try Scene()
        try await scene.upload()
        let damaged = scene.result.entry.artifactHash
        scene.server.put("/cas/\(damaged)", Array(#"{"text":"jello"}"#.utf8))
        let other = try scene.emptyStore("other")
        let lookup = try await scene.fetch(into: other)
        guard case .unusable(let why) = lookup else {
            Issue.record("expected unusable, got \(lookup)")
            return
        }
        #expect(why.contains("cas/\(damaged.prefix(12))… is corrupt"), "\(why)")
        #expect(!other.contains(damaged))
        #expect(scene.result.dir.files(under: "other/tmp").isEmpty)
        try await scene.upload()
        #expect(scene.server.files["/cas/\(damaged)"] == scene.result.objects[damaged])
        #expect(try await scene.fetch(into: other) == .hit(scene.result.entry))
    }

    @Test func anEntryNamingABlobTheServerLacksIsAMiss() async throws {
        let scene = try Scene()
        try await scene.upload()
        let file = try #require(scene.result.entry.files["out/a.txt"])
        scene.server.remove("/cas/\(file)")
        let lookup = try await scene.fetch(into: try scene.emptyStore("other"))
        #expect(lookup == .unusable("its entry names cas/\(file.prefix(12))…, which the remote cache does not have"))
        let (cache, key) = (scene.cache, scene.result.key)
        #expect(try await offPool { cache.peek(key: key) } == nil)
    }

    @Test func slowAnswersTimeOutAndTheCacheWarnsOnceAndStopsAsking() async throws {
        var slow = TestServer.Behaviour()
        slow.delay = 3
        let scene = try Scene(slow, timeout: 1, attempts: 2)
        let other = try scene.emptyStore("other")
        #expect(try await scene.fetch(into: other) == .miss)
        let warnings = scene.warnings.all
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("unavailable") == true, "\(warnings)")
        #expect(warnings.first?.contains("no answer within 1 s, 2 tries") == true, "\(warnings)")
        let asked = scene.server.requests.count
        #expect(try await scene.fetch(into: other) == .miss)
        try await scene.upload()
        #expect(scene.server.requests.count == asked)
        #expect(scene.warnings.all.count == 1)
    }

    @Test func serverErrorsAreRetriedThenGiveUp() async throws {
        let scene = try Scene()
        try await scene.upload()
        // Two 500s, then the answers: the third try of the first request succeeds.
        scene.server.behaviour.failures = 2
        #expect(
            try await scene.fetch(by: scene.reader(), into: try scene.emptyStore("other")) == .hit(scene.result.entry))
        #expect(scene.server.requests.filter { $0.status == 500 }.count == 2)
        #expect(scene.warnings.all.isEmpty)
        // Nothing but 500s: a miss, one warning, no more requests.
        scene.server.behaviour.failures = Int.max
        let failing = scene.reader()
        let third = try scene.emptyStore("third")
        #expect(try await scene.fetch(by: failing, into: third) == .miss)
        #expect(scene.warnings.all.count == 1 && scene.warnings.all.first?.contains("HTTP 500") == true)
        let asked = scene.server.requests.count
        #expect(try await scene.fetch(by: failing, into: third) == .miss)
        #expect(scene.server.requests.count == asked)
    }

    @Test func truncatedBodiesAreRetriedAndNeverStored() async throws {
        let scene = try Scene()
        try await scene.upload()
        scene.server.behaviour.truncateBlobs = 1
        let other = try scene.emptyStore("other")
        #expect(try await scene.fetch(by: scene.reader(), into: other) == .hit(scene.result.entry))
        #expect(scene.warnings.all.isEmpty)
        for (hash, bytes) in scene.result.objects { #expect(other.get(hash) == bytes) }

        scene.server.behaviour.truncateBlobs = Int.max
        let third = try scene.emptyStore("third")
        #expect(try await scene.fetch(by: scene.reader(attempts: 2), into: third) == .miss)
        #expect(scene.warnings.all.count == 1, "\(scene.warnings.all)")
        #expect(third.objects().isEmpty)
        #expect(scene.result.dir.files(under: "third").isEmpty)
    }

    @Test func aRefusedBlobUploadNeverLeavesAnEntry() async throws {
        var refusing = TestServer.Behaviour()
        refusing.refuseBlobPuts = 413
        let scene = try Scene(refusing)
        let server = scene.server
        try await scene.upload()
        #expect(server.files.keys.filter { $0.hasPrefix("/ac/") }.isEmpty)
        let refusedPath = server.requests.last?.path ?? ""
        #expect(scene.warnings.all == ["warning: the remote cache refused PUT \(server.url)\(refusedPath) (HTTP 413)"])
        // A 403 stops uploads for the run; reads go on.
        server.behaviour.refuseBlobPuts = 403
        let refused = scene.reader(upload: true)
        try await scene.upload(by: refused)
        let asked = server.requests.count
        try await scene.upload(by: refused)
        #expect(server.requests.count == asked)
        #expect(scene.warnings.all.last?.hasSuffix("(HTTP 403); no more uploads in this run") == true)
    }

    /// The server hangs up in the middle of an upload: no crash (no SIGPIPE),
    /// one warning, and no entry without its blobs.
    @Test func aServerThatHangsUpDuringAnUploadIsWarnedAbout() async throws {
        var hangingUp = TestServer.Behaviour()
        hangingUp.dropPuts = true
        let scene = try Scene(hangingUp, timeout: 1, attempts: 2)
        try await scene.upload()
        #expect(scene.server.files.isEmpty)
        // Two tries (URLSession may add one of its own on a connection that closed).
        #expect(scene.server.requests.filter { $0.method == "PUT" }.count >= 2)
        #expect(scene.warnings.all.count == 1 && scene.warnings.all.first?.contains("unavailable") == true)
    }

    /// A local object that no longer hashes to its name is not uploaded, and
    /// neither is the entry naming it.
    @Test func aCorruptLocalObjectIsNotShared() async throws {
        let scene = try Scene()
        let path = scene.result.store.objectPath(scene.result.entry.artifactHash)
        #expect(FileManager.default.createFile(atPath: path, contents: Data("tampered".utf8)))
        try await scene.upload()
        #expect(scene.server.files.keys.filter { $0.hasPrefix("/ac/") }.isEmpty)
        #expect(!scene.server.files.values.contains(Array("tampered".utf8)))
    }

    @Test func credentialsAreSentAndA401StopsTheCache() async throws {
        var guarded = TestServer.Behaviour()
        guarded.requiredAuthorization = "Bearer right"
        let scene = try Scene(guarded)
        var settings = RemoteSettings(
            base: scene.server.url, headers: [RemoteHeader(name: "Authorization", value: "Bearer right")])
        settings.upload = true
        let warnings = scene.warnings
        try await scene.upload(by: HTTPCache(settings: settings) { warnings.add($0) })
        #expect(scene.server.files["/ac/\(scene.result.key)"] != nil)
        #expect(scene.server.requests.allSatisfy { $0.authorization == "Bearer right" })
        #expect(warnings.all.isEmpty)

        let wrong = HTTPCache(
            settings: RemoteSettings(
                base: scene.server.url, headers: [RemoteHeader(name: "Authorization", value: "Bearer no")])
        ) { warnings.add($0) }
        let other = try scene.emptyStore("other")
        #expect(try await scene.fetch(by: wrong, into: other) == .miss)
        let asked = scene.server.requests.count
        #expect(try await scene.fetch(by: wrong, into: other) == .miss)
        #expect(scene.server.requests.count == asked)
        #expect(warnings.all.count == 1 && warnings.all.first?.contains("HTTP 401") == true, "\(warnings.all)")
    }
}
