import FigpipeBasics
import Testing

@testable import Pipeline

@Suite struct SubstitutionTests {
    let bindings: Substitution.Bindings = [
        "eta": .double(8e-06), "run": "run_01", "n": 3, "on": true, "etas": [1.6e-06, 3.2e-06],
        "item": ["name": "clip_sweep", "inner": ["k": 1]],
    ]

    func resolve(_ s: String) -> Result<JSONValue, Substitution.Failure> { Substitution.resolve(s, bindings) }

    @Test func aWholeStringReferenceKeepsItsType() throws {
        #expect(try resolve("${eta}").get() == .double(8e-06))
        #expect(try resolve("${n}").get() == 3)
        #expect(try resolve("${on}").get() == true)
        #expect(try resolve("${etas}").get() == [1.6e-06, 3.2e-06])
        #expect(try resolve("${item.inner}").get() == ["k": 1])
        #expect(try resolve("${item.inner.k}").get() == 1)
    }

    @Test func referencesInsideAStringAreText() throws {
        #expect(try resolve("entropy.x_${run}_eta_${eta}").get() == "entropy.x_run_01_eta_8e-06")
        #expect(try resolve("plot_${item.name}('${run}', ${eta})").get() == "plot_clip_sweep('run_01', 8e-06)")
        #expect(try resolve("n=${n} on=${on}").get() == "n=3 on=true")
        #expect(try resolve("no references, $5 and $x").get() == "no references, $5 and $x")
        #expect(try resolve("literal $${eta}").get() == "literal ${eta}")
    }

    /// Python's repr, as the notebooks' names spell numbers.
    @Test(arguments: [
        (8e-06, "8e-06"), (3.2e-06, "3.2e-06"), (1.6e-06, "1.6e-06"), (0.0001, "0.0001"), (1e-05, "1e-05"),
        (0.95, "0.95"), (150.0, "150.0"), (0.0005, "0.0005"), (1e16, "1e+16"),
        (9007199254740992.0, "9007199254740992.0"),
        (123456.5, "123456.5"), (-2.5e-07, "-2.5e-07"), (1.5e300, "1.5e+300"), (0.0, "0.0"), (100.0, "100.0"),
    ])
    func numbersAsPythonReprs(_ d: Double, _ expected: String) {
        #expect(Substitution.pythonRepr(d) == expected)
    }

    func problem(_ s: String) -> String? {
        if case .failure(let f) = resolve(s) { return f.message }
        return nil
    }

    @Test func problems() {
        #expect(problem("${nope}") == "unknown variable '${nope}' (known: eta, etas, item, n, on, run)")
        #expect(problem("a_${nope}") == "unknown variable '${nope}' (known: eta, etas, item, n, on, run)")
        #expect(problem("${item.missing}") == "'${item}' has no key 'missing' (keys: inner, name)")
        #expect(problem("${run.x}") == "'${run}' is a string, not an object")
        #expect(
            problem("etas_${etas}")
                == "'${etas}' is an array; only strings, numbers and booleans go inside a longer string")
        #expect(problem("x_${eta") == "unterminated '${' in 'x_${eta' (a reference is ${name})")
        #expect(problem("x_${}") == "empty reference '${}' in 'x_${}'")
    }

    @Test func substitutionWalksArraysAndObjectsAndNamesTheField() {
        var problems: [Substitution.Problem] = []
        let value = Substitution.substitute(
            ["eta": "${eta}", "list": ["${run}", "${bad}"], "keep": 1], bindings, field: "params",
            problems: &problems)
        #expect(value == ["eta": .double(8e-06), "list": ["run_01", "${bad}"], "keep": 1])
        #expect(problems.map(\.field) == ["params.list[1]"])
    }

    @Test func names() {
        #expect(Substitution.isName("eta_post"))
        #expect(Substitution.isName("_x-1"))
        #expect(!Substitution.isName("1x"))
        #expect(!Substitution.isName("a.b"))
        #expect(!Substitution.isName(""))
    }
}
