import Foundation

/// A Vega expression (`datum.x * 2 > 3 && isValid(datum.y)`), parsed once
/// and evaluated row by row with JavaScript's semantics (see `JavaScript`).
///
/// The subset: number, string (`'…'`, `"…"`), `true`, `false` and `null`
/// literals; `datum.x` and `datum['x y']`; `== != === !== < <= > >=`,
/// `&& || !`, `+ - * / %`, unary `-` and `+`, parentheses and `?:`; the
/// functions `isValid log exp pow abs sqrt floor ceil round min max isNaN
/// isFinite` and Vega's constants (`PI`, `E`, `NaN`, `LN2`, …). Anything
/// else is a `SpecError` naming the expression's path and the 0-based
/// position in the expression text.
public struct Expression: Sendable, CustomStringConvertible {
    /// The expression text, as written in the spec.
    public let source: String
    let root: ExpressionNode

    /// Parses `source`; `path` is the JSON path of the expression string.
    public init(_ source: String, path: String) throws(SpecError) {
        self.source = source
        var parser = ExpressionParser(source, path: path)
        root = try parser.parseAll()
    }

    init(node: ExpressionNode, source: String) {
        self.root = node
        self.source = source
    }

    public var description: String { source }

    /// The fields the expression reads (`datum.x`), in order of first use.
    public var fields: [String] {
        var out: [String] = []
        root.visitFields { if !out.contains($0) { out.append($0) } }
        return out
    }

    /// The expression bound to the columns of `data`, ready to evaluate row by row.
    public func bind(_ data: Dataset) -> BoundExpression {
        BoundExpression(evaluate: root.compile(data))
    }

    /// The value for every row of `data`.
    public func evaluate(on data: Dataset) -> [FieldValue] {
        let f = bind(data)
        var out: [FieldValue] = []
        out.reserveCapacity(data.count)
        for row in 0..<data.count { out.append(f(row)) }
        return out
    }
}

/// An expression whose field reads are resolved to a dataset's columns:
/// evaluating a row reads the columns directly, without looking names up.
public struct BoundExpression {
    let evaluate: (Int) -> FieldValue

    /// The value of the expression for row `row`.
    public func callAsFunction(_ row: Int) -> FieldValue { evaluate(row) }
}

/// The expression functions of the subset.
enum ExpressionFunction: String, CaseIterable, Sendable {
    case isValid, log, exp, pow, abs, sqrt, floor, ceil, round, min, max, isNaN, isFinite

    func apply(_ args: [FieldValue]) -> FieldValue {
        func number(_ i: Int) -> Double { i < args.count ? JavaScript.toNumber(args[i]) : .nan }
        switch self {
        case .isValid: return .boolean((args.first ?? .null).isValid)
        case .isNaN:
            if case .number(let v)? = args.first { return .boolean(v.isNaN) }
            return .boolean(false)
        case .isFinite:
            if case .number(let v)? = args.first { return .boolean(v.isFinite) }
            return .boolean(false)
        case .log: return .number(Foundation.log(number(0)))
        case .exp: return .number(Foundation.exp(number(0)))
        case .pow: return .number(JavaScript.pow(number(0), number(1)))
        case .abs: return .number(Swift.abs(number(0)))
        case .sqrt: return .number(number(0).squareRoot())
        case .floor: return .number(number(0).rounded(.down))
        case .ceil: return .number(number(0).rounded(.up))
        case .round: return .number(JavaScript.round(number(0)))
        case .min: return .number(JavaScript.minimum(args.map(JavaScript.toNumber), max: false))
        case .max: return .number(JavaScript.minimum(args.map(JavaScript.toNumber), max: true))
        }
    }
}

/// Vega's expression constants.
let expressionConstants: [String: Double] = [
    "NaN": .nan, "E": M_E, "LN2": M_LN2, "LN10": M_LN10, "LOG2E": M_LOG2E, "LOG10E": M_LOG10E, "PI": Double.pi,
    "SQRT1_2": 0.5.squareRoot(), "SQRT2": 2.0.squareRoot(), "MIN_VALUE": Double.leastNonzeroMagnitude,
    "MAX_VALUE": Double.greatestFiniteMagnitude,
]

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", strictEqual = "===", strictNotEqual = "!=="
    case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

/// The parsed form of an expression.
indirect enum ExpressionNode: Sendable {
    case constant(FieldValue)
    case field(String)
    case negate(ExpressionNode)
    case plus(ExpressionNode)
    case not(ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode)
    case and(ExpressionNode, ExpressionNode)
    case or(ExpressionNode, ExpressionNode)
    case conditional(ExpressionNode, ExpressionNode, ExpressionNode)
    case call(ExpressionFunction, [ExpressionNode])
    /// `indexof([values], x) !== -1` as Vega-Lite writes a `oneOf` predicate.
    case oneOf(ExpressionNode, [FieldValue])

    func visitFields(_ f: (String) -> Void) {
        switch self {
        case .constant: break
        case .field(let name): f(name)
        case .negate(let a), .plus(let a), .not(let a), .oneOf(let a, _): a.visitFields(f)
        case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
            a.visitFields(f)
            b.visitFields(f)
        case .conditional(let a, let b, let c):
            a.visitFields(f)
            b.visitFields(f)
            c.visitFields(f)
        case .call(_, let args): for a in args { a.visitFields(f) }
        }
    }

    /// A closure per node; field reads capture their column's storage.
    func compile(_ data: Dataset) -> (Int) -> FieldValue {
        switch self {
        case .constant(let v): return { _ in v }
        case .field(let name):
            switch data[name] {
            case .numbers(let values)?: return { row in values[row].map(FieldValue.number) ?? .null }
            case .values(let values)?: return { row in values[row] }
            case nil: return { _ in .null }
            }
        case .negate(let a):
            let fa = a.compile(data)
            return { row in .number(-JavaScript.toNumber(fa(row))) }
        case .plus(let a):
            let fa = a.compile(data)
            return { row in .number(JavaScript.toNumber(fa(row))) }
        case .not(let a):
            let fa = a.compile(data)
            return { row in .boolean(!fa(row).truthy) }
        case .and(let a, let b):
            let fa = a.compile(data)
            let fb = b.compile(data)
            return { row in
                let x = fa(row)
                return x.truthy ? fb(row) : x
            }
        case .or(let a, let b):
            let fa = a.compile(data)
            let fb = b.compile(data)
            return { row in
                let x = fa(row)
                return x.truthy ? x : fb(row)
            }
        case .conditional(let c, let a, let b):
            let fc = c.compile(data)
            let fa = a.compile(data)
            let fb = b.compile(data)
            return { row in fc(row).truthy ? fa(row) : fb(row) }
        case .call(let function, let args):
            let fs = args.map { $0.compile(data) }
            if fs.count == 1, let f0 = fs.first {
                return { row in function.apply([f0(row)]) }
            }
            return { row in function.apply(fs.map { $0(row) }) }
        case .oneOf(let a, let values):
            let fa = a.compile(data)
            return { row in
                let x = fa(row)
                return .boolean(values.contains { JavaScript.strictEquals($0, x) })
            }
        case .binary(let op, let a, let b):
            let fa = a.compile(data)
            let fb = b.compile(data)
            switch op {
            case .add: return { row in JavaScript.add(fa(row), fb(row)) }
            case .subtract:
                return { row in .number(JavaScript.toNumber(fa(row)) - JavaScript.toNumber(fb(row))) }
            case .multiply:
                return { row in .number(JavaScript.toNumber(fa(row)) * JavaScript.toNumber(fb(row))) }
            case .divide:
                return { row in .number(JavaScript.toNumber(fa(row)) / JavaScript.toNumber(fb(row))) }
            case .remainder:
                return { row in
                    .number(JavaScript.remainder(JavaScript.toNumber(fa(row)), JavaScript.toNumber(fb(row))))
                }
            case .equal: return { row in .boolean(JavaScript.looseEquals(fa(row), fb(row))) }
            case .notEqual: return { row in .boolean(!JavaScript.looseEquals(fa(row), fb(row))) }
            case .strictEqual: return { row in .boolean(JavaScript.strictEquals(fa(row), fb(row))) }
            case .strictNotEqual: return { row in .boolean(!JavaScript.strictEquals(fa(row), fb(row))) }
            case .less: return { row in .boolean(JavaScript.less(fa(row), fb(row), orEqual: false)) }
            case .lessEqual: return { row in .boolean(JavaScript.less(fa(row), fb(row), orEqual: true)) }
            case .greater: return { row in .boolean(JavaScript.less(fb(row), fa(row), orEqual: false)) }
            case .greaterEqual: return { row in .boolean(JavaScript.less(fb(row), fa(row), orEqual: true)) }
            }
        }
    }
}
