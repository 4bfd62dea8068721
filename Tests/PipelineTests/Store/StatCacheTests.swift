import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

private func sha(_ text: String) -> String { Digest.sha256(Array(text.utf8)) }

/// A whole number of seconds well in the past (outside the "modified just now" window).
private let past = Int(Date().timeIntervalSince1970) - 3600

@Suite struct StatCaching {
    /// Git's index tradeoff, documented: when size, mtime and inode are all
    /// unchanged the remembered hash is returned without reading the file,
    /// even if its bytes changed.
    @Test func unchangedStatIsNotRehashed() throws {
        let dir = TemporaryDirectory()
        let file = dir.file("in.txt")
        try dir.write("in.txt", "aaaa")
        setModificationTime(file, seconds: past, nanoseconds: 123_456_789)
        let cache = StatCache(path: dir.file("stat-cache.json"))
        #expect(try cache.hash(ofFile: file) == sha("aaaa"))
        let before = try #require(FileStat.of(file))

        overwriteInPlace(file, Array("bbbb".utf8))
        setModificationTime(file, seconds: past, nanoseconds: 123_456_789)
        #expect(FileStat.of(file) == before)
        #expect(try cache.hash(ofFile: file) == sha("aaaa"))
        #expect(cache.cachedHash(ofFile: file) == sha("aaaa"))

        // Saved and loaded again: still trusted by stat.
        try cache.save()
        let reloaded = StatCache(path: dir.file("stat-cache.json"))
        #expect(reloaded.cachedHash(ofFile: file) == sha("aaaa"))
        #expect(try reloaded.hash(ofFile: file) == sha("aaaa"))
    }

    @Test func changedMtimeIsRehashed() throws {
        let dir = TemporaryDirectory()
        let file = dir.file("in.txt")
        try dir.write("in.txt", "aaaa")
        setModificationTime(file, seconds: past)
        let cache = StatCache(path: dir.file("stat-cache.json"))
        #expect(try cache.hash(ofFile: file) == sha("aaaa"))
        overwriteInPlace(file, Array("bbbb".utf8))
        setModificationTime(file, seconds: past, nanoseconds: 1)
        #expect(cache.cachedHash(ofFile: file) == nil)
        #expect(try cache.hash(ofFile: file) == sha("bbbb"))
        #expect(cache.cachedHash(ofFile: file) == sha("bbbb"))
    }

    @Test func changedSizeIsRehashed() throws {
        let dir = TemporaryDirectory()
        let file = dir.file("in.txt")
        try dir.write("in.txt", "aaaa")
        setModificationTime(file, seconds: past)
        let cache = StatCache(path: dir.file("stat-cache.json"))
        #expect(try cache.hash(ofFile: file) == sha("aaaa"))
        overwriteInPlace(file, Array("aaaaa".utf8))
        setModificationTime(file, seconds: past)
        #expect(try cache.hash(ofFile: file) == sha("aaaaa"))
    }

    @Test func changedInodeIsRehashed() throws {
        let dir = TemporaryDirectory()
        let file = dir.file("in.txt")
        try dir.write("in.txt", "aaaa")
        setModificationTime(file, seconds: past)
        let cache = StatCache(path: dir.file("stat-cache.json"))
        #expect(try cache.hash(ofFile: file) == sha("aaaa"))
        // Replaced by another file of the same size and mtime (a rename: a new inode).
        try dir.write("other.txt", "bbbb")
        setModificationTime(dir.file("other.txt"), seconds: past)
        #expect(rename(dir.file("other.txt"), file) == 0)
        #expect(try cache.hash(ofFile: file) == sha("bbbb"))
    }

    /// A file modified within the last two seconds could change again within
    /// the same clock tick, so it is never trusted by its stat.
    @Test func recentlyModifiedFilesAreAlwaysRehashed() throws {
        let dir = TemporaryDirectory()
        let file = dir.file("in.txt")
        try dir.write("in.txt", "aaaa")
        // "Recent" means an mtime less than two seconds before now; a future
        // mtime keeps the test independent of how fast it runs.
        let soon = Int(Date().timeIntervalSince1970) + 60
        setModificationTime(file, seconds: soon, nanoseconds: 42)
        let cache = StatCache(path: dir.file("stat-cache.json"))
        let stat = try #require(FileStat.of(file))
        #expect(try cache.hash(ofFile: file) == sha("aaaa"))
        overwriteInPlace(file, Array("bbbb".utf8))
        setModificationTime(file, seconds: soon, nanoseconds: 42)
        #expect(FileStat.of(file) == stat)
        #expect(cache.cachedHash(ofFile: file) == nil)
        #expect(try cache.hash(ofFile: file) == sha("bbbb"))
    }

    @Test func rememberAndMissingFiles() throws {
        let dir = TemporaryDirectory()
        let cache = StatCache(path: dir.file("stat-cache.json"))
        #expect(throws: FileError.self) { try cache.hash(ofFile: dir.file("absent")) }
        #expect(cache.cachedHash(ofFile: dir.file("absent")) == nil)
        try dir.write("written.txt", "out")
        setModificationTime(dir.file("written.txt"), seconds: past)
        cache.remember(dir.file("written.txt"), hash: sha("out"))
        #expect(cache.cachedHash(ofFile: dir.file("written.txt")) == sha("out"))
        // Nothing to save leaves no file; a damaged file is ignored.
        let untouched = StatCache(path: dir.file("none.json"))
        try untouched.save()
        #expect(!dir.exists("none.json"))
        try dir.write("bad.json", "{]")
        #expect(StatCache(path: dir.file("bad.json")).cachedHash(ofFile: dir.file("written.txt")) == nil)
    }

    /// Many threads hashing the same files get the same answers.
    @Test func concurrentUse() throws {
        let dir = TemporaryDirectory()
        for n in 0..<8 { try dir.write("f\(n)", String(repeating: "x", count: n * 1000)) }
        let cache = StatCache(path: dir.file("stat-cache.json"))
        let results = LockedArray()
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let n = i % 8
            results.append(n, (try? cache.hash(ofFile: dir.file("f\(n)"))) ?? "error")
        }
        for (n, hash) in results.items {
            #expect(hash == sha(String(repeating: "x", count: n * 1000)))
        }
        #expect(results.items.count == 64)
    }
}

private final class LockedArray: @unchecked Sendable {
    private let lock = NSLock()
    private var _items: [(Int, String)] = []
    func append(_ n: Int, _ s: String) { lock.withLock { _items.append((n, s)) } }
    var items: [(Int, String)] { lock.withLock { _items } }
}
