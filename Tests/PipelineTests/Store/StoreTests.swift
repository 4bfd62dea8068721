import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

@Suite struct ObjectStore {
    @Test func putAndGetByContentHash() throws {
        let dir = TemporaryDirectory()
        let store = Store(root: dir.file("cache"))
        try store.prepare()
        let bytes = Array("hello, objects".utf8)
        let hash = try store.put(bytes)
        #expect(hash == Digest.sha256(bytes))
        #expect(Digest.isValid(hash))
        #expect(store.objectPath(hash) == dir.file("cache/objects/\(hash.prefix(2))/\(hash.dropFirst(2))"))
        #expect(store.contains(hash))
        #expect(store.get(hash) == bytes)
        // Storing the same bytes again is a no-op with the same name.
        #expect(try store.put(bytes) == hash)
        #expect(store.objects().map(\.hash) == [hash])
        #expect(store.objects().first?.size == Int64(bytes.count))
        // Empty bytes are an object too.
        let empty = try store.put([])
        #expect(store.get(empty) == [])
        #expect(dir.files(under: "cache/tmp").isEmpty)
    }

    @Test func missingObjectIsNil() throws {
        let dir = TemporaryDirectory()
        let store = Store(root: dir.file("cache"))
        try store.prepare()
        let hash = Digest.sha256(Array("never stored".utf8))
        #expect(store.get(hash) == nil)
        #expect(!store.contains(hash))
        #expect(store.get("not-a-hash") == nil)
        #expect(!store.contains("../../etc/passwd"))
    }

    /// An object is re-hashed on every read: a corrupt one is a miss, and is deleted.
    @Test(arguments: ["junk of another size", "same-size junk!!"])
    func corruptObjectIsNilAndDeleted(_ junk: String) throws {
        let dir = TemporaryDirectory()
        let store = Store(root: dir.file("cache"))
        try store.prepare()
        let bytes = Array("the real content".utf8)
        let hash = try store.put(bytes)
        overwriteInPlace(store.objectPath(hash), Array(junk.utf8))
        #expect(store.contains(hash))  // present (not verified) …
        #expect(store.get(hash) == nil)  // … but not returned,
        #expect(!FileManager.default.fileExists(atPath: store.objectPath(hash)))  // and removed.
        #expect(try store.put(bytes) == hash)
        #expect(store.get(hash) == bytes)
    }

    @Test func actionEntriesAndRecordsRoundTrip() throws {
        let dir = TemporaryDirectory()
        let store = Store(root: dir.file("cache"))
        try store.prepare()
        let a = Digest.sha256([1])
        let f = Digest.sha256([2])
        let entry = ActionEntry(
            artifactHash: a, artifactType: "files", encoding: .json, files: ["x/y.txt": f], stage: "s", seconds: 0.25)
        let key = Digest.sha256([3])
        try store.putAction(entry, key: key)
        #expect(store.action(forKey: key) == entry)
        #expect(store.actionKeys() == [key])
        #expect(entry.objectHashes == [a, f])
        store.removeAction(key)
        #expect(store.action(forKey: key) == nil)

        let record = StageRecord(
            id: "s", key: key, kind: "k", version: 2, parameters: ["n": 1, "d": 2.5],
            inputs: [:])
        try store.putRecord(record)
        #expect(store.record(forStage: "s") == record)
        store.removeRecord(forStage: "s")
        #expect(store.record(forStage: "s") == nil)
        // A damaged record or action reads as absent.
        try dir.write("cache/actions/\(key).json", "{not json")
        #expect(store.action(forKey: key) == nil)
        #expect(dir.files(under: "cache").allSatisfy { !$0.contains(AtomicWriter.marker) })
    }

    @Test func theLockSweepsLeftoverTemporariesOnceItIsHeld() throws {
        let dir = TemporaryDirectory()
        let store = Store(root: dir.file("cache"))
        try store.prepare()
        let leftovers = ["tmp/.abc\(AtomicWriter.marker)123-1", ".stat-cache.json\(AtomicWriter.marker)123-2"]
        for name in leftovers { try dir.write("cache/" + name, "partial") }
        try dir.write("cache/keep.txt", "kept")
        // Making the folders removes nothing: the temporaries may be another run's.
        try store.prepare()
        #expect(Set(dir.files(under: "cache")) == Set(leftovers + ["keep.txt"]))
        let lock = try store.lock(wait: false) { _ in }
        #expect(dir.files(under: "cache") == ["keep.txt", "lock"])
        withExtendedLifetime(lock) {}
    }

    /// A run that finds the lock held leaves the holder's temporaries alone
    /// (they are files it is writing).
    @Test func aRunThatFindsTheLockHeldSweepsNothing() throws {
        let dir = TemporaryDirectory()
        let store = Store(root: dir.file("cache"))
        let holder = try store.lock(wait: false) { _ in }
        let writing = "tmp/.object\(AtomicWriter.marker)999-1"
        try dir.write("cache/" + writing, "being written")
        #expect(throws: LockBusyError.self) { _ = try store.lock(wait: false) { _ in } }
        #expect(dir.exists("cache/" + writing))
        withExtendedLifetime(holder) {}
    }
}

@Suite struct Atomic {
    @Test func writesCreateFoldersAndLeaveNoTemporaries() throws {
        let dir = TemporaryDirectory()
        let target = dir.file("a/b/c/file.bin")
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicWriter.shared.write(bytes, to: target)
        #expect(try FileIO.read(target) == bytes)
        try AtomicWriter.shared.write(Array("smaller".utf8), to: target)
        #expect(try FileIO.read(target) == Array("smaller".utf8))
        #expect(dir.files() == ["a/b/c/file.bin"])
    }

    @Test func temporaryInAnotherFolder() throws {
        let dir = TemporaryDirectory()
        try AtomicWriter.shared.write(Array("x".utf8), to: dir.file("out/x.txt"), temporaryDirectory: dir.file("tmp"))
        #expect(dir.read("out/x.txt") == "x")
        #expect(dir.files() == ["out/x.txt"])
    }

    @Test func aFailedWriteLeavesNoTemporaryAndKeepsTheOldFile() throws {
        let dir = TemporaryDirectory()
        // The target is a non-empty folder: the rename fails.
        try dir.write("target/inside.txt", "old")
        #expect(throws: FileError.self) {
            try AtomicWriter.shared.write(Array("new".utf8), to: dir.file("target"))
        }
        #expect(dir.files() == ["target/inside.txt"])
        #expect(dir.read("target/inside.txt") == "old")
    }

    @Test func sweepRemovesOnlyMarkedHiddenFiles() throws {
        let dir = TemporaryDirectory()
        try dir.write(".x\(AtomicWriter.marker)1-1", "t")
        try dir.write(".y.png\(AtomicWriter.marker)99-7", "t")
        try dir.write("visible\(AtomicWriter.marker)1-1", "not hidden")
        try dir.write("figure.png", "kept")
        try dir.write("sub/.z\(AtomicWriter.marker)1-1", "not swept: in a subfolder")
        AtomicWriter.sweep(folder: dir.path)
        #expect(dir.files() == ["figure.png", "sub/.z\(AtomicWriter.marker)1-1", "visible\(AtomicWriter.marker)1-1"])
    }

    @Test func readHelpers() throws {
        let dir = TemporaryDirectory()
        #expect(try FileIO.readIfExists(dir.file("none")) == nil)
        #expect(throws: FileError.self) { try FileIO.read(dir.file("none")) }
        try dir.write("f", "abc")
        #expect(try FileIO.readIfExists(dir.file("f")) == Array("abc".utf8))
        #expect(try Digest.sha256(fileAt: dir.file("f")) == Digest.sha256(Array("abc".utf8)))
        #if os(Linux)
            // stat says 0 bytes for /proc files: read past the stat size.
            #expect(try FileIO.read("/proc/self/status").count > 100)
        #endif
        #expect(Digest.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
