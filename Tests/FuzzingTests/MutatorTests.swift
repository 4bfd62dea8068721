import Foundation
import Fuzzing
import Testing

@Suite struct Mutators {
    let seed = Array(
        """
        [
         {"name": "a", "loss": 3.25, "tokens": 1e9, "ok": true, "tags": ["x", "y"]},
         {"name": "b", "loss": -0.5, "tokens": 2, "ok": false, "tags": []}
        ]
        """.utf8)

    @Test func theSameSeedMakesTheSameMutants() {
        let m = Mutator(seed: seed)
        for index in 0..<200 {
            var a = SplitMix64.forMutant(seed: 7, family: "f", index: index)
            var b = SplitMix64.forMutant(seed: 7, family: "f", index: index)
            let x = m.mutate(using: &a)
            let y = m.mutate(using: &b)
            #expect(x.bytes == y.bytes && x.description == y.description)
        }
        var c = SplitMix64.forMutant(seed: 8, family: "f", index: 0)
        var d = SplitMix64.forMutant(seed: 7, family: "f", index: 0)
        #expect(c.next() != d.next())
    }

    @Test func everyKindOfMutationHappens() {
        let m = Mutator(seed: seed)
        var kinds = Set<MutationKind>()
        for index in 0..<500 {
            var g = SplitMix64.forMutant(seed: 1, family: "f", index: index)
            let mutant = m.mutate(using: &g)
            kinds.insert(mutant.kind)
            #expect(mutant.offset >= 0 && mutant.offset <= seed.count)
        }
        #expect(kinds == Set(MutationKind.allCases))
    }

    @Test func spansFindValuesAndTheirMembers() {
        let spans = JSONSpans.scan(seed)
        let losses = spans.filter { $0.key == "loss" && !$0.isKey }
        #expect(losses.map { String(decoding: seed[$0.range], as: UTF8.self) } == ["3.25", "-0.5"])
        let tags = spans.filter { $0.key == "tags" }
        #expect(tags.map(\.kind) == [.array, .array])
        #expect(spans.filter { $0.kind == .object }.count == 2)
        // Never fails and never recurses, whatever it is given.
        _ = JSONSpans.scan(Array(repeating: UInt8(ascii: "["), count: 1_000_000))
        _ = JSONSpans.scan([0xFF, 0x22, 0x5D, 0x7D, 0x3A])
    }

    @Test func numberSwapsReplaceOneValueInPlace() {
        let m = Mutator(seed: seed)
        var found = false
        for index in 0..<300 {
            var g = SplitMix64.forMutant(seed: 3, family: "f", index: index)
            let mutant = m.mutate(using: &g)
            guard mutant.kind == .numberSwap, mutant.description.contains("with 1e300") else { continue }
            found = true
            let text = String(decoding: mutant.bytes, as: UTF8.self)
            #expect(text.contains("1e300"))
            #expect(mutant.bytes.count != seed.count || text != String(decoding: seed, as: UTF8.self))
        }
        #expect(found)
    }

    @Test func regressionRecipesApply() throws {
        let all = try Regression.load(Regressions.manifest)
        let original = try #require(
            FileManager.default.contents(atPath: repositoryRoot + "/data/delphi/hparam_sweep.json").map(Array.init))
        let recipe = try #require(all.first { $0.name == "hparam-batch-size-1e300" })
        let (edited, _, offset) = try recipe.apply(to: original)
        #expect(String(decoding: edited[offset..<(offset + 5)], as: UTF8.self) == "1e300")
        #expect(String(decoding: edited, as: UTF8.self).contains("\"batch_size\": 1e300,"))
    }
}

@Suite struct RegressionMentions {
    @Test func numbersAreMatchedWhole() {
        #expect(Regression.mentions("file:3:40: invalid utf-8", "3:40"))
        #expect(!Regression.mentions("byte 170", "17"))
        #expect(Regression.mentions("(byte 17)", "17"))
        #expect(Regression.mentions("batch_size 1e+300", "1e+300"))
    }
}
