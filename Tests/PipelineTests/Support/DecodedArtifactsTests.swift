import Dispatch
import Foundation
import Pipeline
import Testing

@Suite struct DecodedArtifactsTests {
    /// Counts calls from several threads.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func bump() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }

    @Test func decodesOncePerHashEvenWhenReadersRace() throws {
        let cache = DecodedArtifacts<[Int]>()
        let calls = Counter()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let v = try? cache.value(forHash: "h1") {
                calls.bump()
                usleep(2000)
                return [1, 2, 3]
            }
            #expect(v == [1, 2, 3])
        }
        #expect(calls.value == 1)
        // Another hash is another value.
        #expect(try cache.value(forHash: "h2") { [4] } == [4])
    }

    @Test func withoutAHashItDecodesEveryTimeAndOldValuesGo() throws {
        let cache = DecodedArtifacts<Int>(capacity: 2)
        let calls = Counter()
        for _ in 0..<3 {
            _ = try cache.value(forHash: nil) {
                calls.bump(); return 0
            }
        }
        #expect(calls.value == 3)
        _ = try cache.value(forHash: "a") { 1 }
        _ = try cache.value(forHash: "b") { 2 }
        _ = try cache.value(forHash: "c") { 3 }
        // "a" was let go (capacity 2): decoded again; "c" is kept.
        #expect(try cache.value(forHash: "a") { 10 } == 10)
        #expect(try cache.value(forHash: "c") { 30 } == 3)
    }

    @Test func aFailedDecodeKeepsNothing() throws {
        struct Bad: Error {}
        let cache = DecodedArtifacts<Int>()
        #expect(throws: Bad.self) { try cache.value(forHash: "x") { throw Bad() } }
        #expect(try cache.value(forHash: "x") { 7 } == 7)
    }
}
