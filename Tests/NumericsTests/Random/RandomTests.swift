import FigureTesting
import Foundation
import Testing

import Numerics

@Suite("numpy random streams, bit for bit")
struct RandomTests {
    let fx: FixtureValue

    init() throws {
        fx = try Fixtures.load("random_fixtures.json")
    }

    /// The stream position after a call, as the fixture records it.
    func expectAfter(_ g: inout Generator, _ after: FixtureValue, _ label: String) {
        #expect(g.integers(0, 1000, size: 3) == after["ints"].ints, "after \(label): integers")
        #expect(sameDouble(g.random(), after["double"].double), "after \(label): random")
    }

    @Test func seedSequencePoolsAndStates() {
        #expect(!fx["seedseq"].array.isEmpty)
        for c in fx["seedseq"].array {
            let words = c["seed_words"].array.map { UInt32($0.int) }
            let ss = SeedSequence(words: words)
            #expect(ss.pool == c["pool"].array.map { UInt32($0.int) }, "pool for \(words)")
            #expect(ss.generateState32(8) == c["state32"].array.map { UInt32($0.int) }, "state32 for \(words)")
            #expect(ss.generateState64(4) == c["state64"].uint64s, "state64 for \(words)")
        }
        let sq = fx["seedseq_sequence"]
        let ss = SeedSequence(sequence: sq["sequence"].array.map { UInt64($0.int) })
        #expect(ss.pool == sq["pool"].array.map { UInt32($0.int) })
        #expect(ss.generateState32(8) == sq["state32"].array.map { UInt32($0.int) })
        #expect(SeedSequence(42) == SeedSequence(words: [42]))
    }

    @Test func randomDoubles() {
        #expect(!fx["random"].array.isEmpty)
        for c in fx["random"].array {
            var g = Generator(seed: c["seed"].uint64)
            #expect(sameDoubles(g.random(20), c["out"].doubles), "seed \(c["seed"].uint64)")
        }
        var g = Generator(seed: 42)
        #expect(g.random() == 0.7739560485559633)
    }

    @Test func integersIncludingBufferedHalves() {
        #expect(!fx["integers"].array.isEmpty)
        for c in fx["integers"].array {
            var g = Generator(seed: c["seed"].uint64)
            let label = "seed \(c["seed"].uint64) [\(c["low"].int), \(c["high"].int)) x\(c["size"].int)"
            #expect(g.integers(c["low"].int, c["high"].int, size: c["size"].int) == c["out"].ints, "\(label)")
            expectAfter(&g, c["after"], label)
        }
        let c = fx["interleaved"]
        var g = Generator(seed: UInt64(c["seed"].int))
        #expect(g.integers(0, 10, size: 3) == c["a"].ints)
        #expect(sameDoubles(g.random(2), c["b"].doubles))
        #expect(g.integers(0, 10, size: 3) == c["c"].ints)
        #expect(g.integers(0, 1 << 40, size: 2) == c["d"].ints)
        #expect(g.integers(0, 7, size: 1) == c["e"].ints)
        #expect(g.integers(0, 7) == c["f"].int)
        expectAfter(&g, c["after"], "interleaved")
    }

    @Test func choiceWithAndWithoutReplacement() {
        #expect(!fx["choice"].array.isEmpty)
        for c in fx["choice"].array {
            var g = Generator(seed: c["seed"].uint64)
            let label = "seed \(c["seed"].uint64) choice(\(c["n"].int), \(c["size"].int), replace=\(c["replace"].bool))"
            let got = g.choice(c["n"].int, size: c["size"].int, replace: c["replace"].bool, shuffle: c["shuffle"].bool)
            #expect(got == c["out"].ints, "\(label)")
            expectAfter(&g, c["after"], label)
        }
        var g = Generator(seed: 0)
        #expect(g.choice(["a", "b", "c", "d"], size: 2, replace: false).count == 2)
    }

    @Test func permutationAndShuffle() {
        #expect(!fx["permutation"].array.isEmpty)
        for c in fx["permutation"].array {
            var g = Generator(seed: c["seed"].uint64)
            #expect(g.permutation(c["n"].int) == c["out"].ints, "permutation(\(c["n"].int))")
            expectAfter(&g, c["after"], "permutation")
        }
        #expect(!fx["shuffle"].array.isEmpty)
        for c in fx["shuffle"].array {
            var g = Generator(seed: c["seed"].uint64)
            var x = Array(100..<(100 + c["n"].int))
            g.shuffle(&x)
            #expect(x == c["out"].ints)
            expectAfter(&g, c["after"], "shuffle")
        }
    }

    @Test func uniformDoubles() {
        #expect(!fx["uniform"].array.isEmpty)
        for c in fx["uniform"].array {
            var g = Generator(seed: c["seed"].uint64)
            let got = g.uniform(c["low"].double, c["high"].double, size: c["size"].int)
            #expect(sameDoubles(got, c["out"].doubles))
        }
    }
}
