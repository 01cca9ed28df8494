/// Ranges, subquery steps and offsets: a duration literal, or in Prometheus 3 a number of
/// seconds or a duration expression (see `PromQLDuration`).
extension PromQLParser.Parser {
    /// What a duration position holds once parsed: the milliseconds, or (when the expression
    /// names `step()` or `range()`) the expression to work out when the query runs.
    typealias ParsedDuration = (milliseconds: Int64, expression: PromQLDuration?)

    /// Why Prometheus 2 refuses arithmetic where a duration goes.
    static let prometheus2DurationMessage = "a range, subquery step or offset is a single duration such as 5m in Prometheus 2; duration expressions such as [5m+1m], offset (1h/2) or [step()] need Prometheus 3.14 or later"

    /// A range, or a subquery's range or step, which must be positive.
    ///
    /// A lone literal goes by the caller's checks; an expression is worked out here (or when the
    /// query runs, if it names `step()` or `range()`) and must come out greater than 0.
    mutating func positiveDuration(_ what: String) throws -> ParsedDuration {
        let start = current
        let startIndex = index
        if semantics == .prometheus2 {
            if case .duration = current.kind, !isDurationOperator(tokens[min(index + 1, tokens.count - 1)]) {
                return (try durationValue(what), nil)
            }
            if case .number = current.kind { return (try durationValue(what), nil) }
            if startsDurationExpression(current) { throw error(Self.prometheus2DurationMessage) }
            return (try durationValue(what), nil)
        }
        guard startsDurationExpression(current) else {
            throw error("expected \(what) (a number, a duration, step(), range() or a duration expression), found \(describe(current))")
        }
        let duration = try durationExpression(minimumPrecedence: 0)
        if isLiteral(from: startIndex) {
            index = startIndex
            var sign: Int64 = 1
            while isSymbol("-") || isSymbol("+") {
                if case .symbol("-") = advance().kind { sign = -sign }
            }
            return (try durationValue(what) * sign, nil)
        }
        return try resolved(duration, at: start, mayBeNegative: false)
    }

    /// The amount after `offset`, which may be negative.
    ///
    /// An optional sign and then one literal, `step()`, `range()`, `min_of(…)`, `max_of(…)` or
    /// parenthesised expression: `x offset 1m * 2` doubles the values, `x offset (1m * 2)`
    /// looks 2 minutes back. An unsigned parenthesis may go on with more arithmetic,
    /// `offset (1m) + 1s`, as Prometheus's grammar reads it.
    mutating func offsetDuration() throws -> ParsedDuration {
        let start = current
        var negative = false
        var signed = false
        if isSymbol("-") || isSymbol("+") {
            signed = true
            if case .symbol("-") = advance().kind { negative = true }
        }
        let sign: Int64 = negative ? -1 : 1
        switch current.kind {
        case .duration, .number:
            return (try durationValue("a duration after offset") * sign, nil)
        case _ where semantics == .prometheus2:
            if startsDurationExpression(current) { throw error(Self.prometheus2DurationMessage) }
            return (try durationValue("a duration after offset"), nil)
        case .symbol("(") where !signed:
            return try resolved(try durationExpression(minimumPrecedence: 0), at: start, mayBeNegative: true)
        default:
            guard startsDurationExpression(current) else {
                throw error("expected a duration after offset (a number, a duration, step(), range() or a parenthesised duration expression), found \(describe(current))")
            }
            let amount = try durationOperand()
            return try resolved(negative ? .negation(amount) : amount, at: start, mayBeNegative: true)
        }
    }

    /// Works out `duration` now unless it depends on the query; errors point at `token`.
    func resolved(_ duration: PromQLDuration, at token: PromQLLexer.Token, mayBeNegative: Bool) throws -> ParsedDuration {
        if duration.dependsOnQuery { return (0, duration) }
        do {
            return (try duration.milliseconds(stepMilliseconds: 0, rangeMilliseconds: 0, mayBeNegative: mayBeNegative), nil)
        } catch let problem as PromQLError {
            throw error(problem.message, at: token)
        }
    }

    /// Whether the tokens from `startIndex` to here are one number or duration with signs before
    /// it: a literal, which keeps the literal's rules and messages.
    func isLiteral(from startIndex: Int) -> Bool {
        guard index - startIndex >= 1, isNumber(tokens[index - 1]) else { return false }
        return tokens[startIndex..<(index - 1)].allSatisfy { $0.kind == .symbol("-") || $0.kind == .symbol("+") }
    }

    func isNumber(_ token: PromQLLexer.Token) -> Bool {
        switch token.kind {
        case .number, .duration: true
        default: false
        }
    }

    /// Whether a duration expression can begin with `token`.
    func startsDurationExpression(_ token: PromQLLexer.Token) -> Bool {
        switch token.kind {
        case .number, .duration, .symbol("("), .symbol("-"), .symbol("+"): true
        case .identifier(let word): ["step", "range", "min_of", "max_of"].contains(word.lowercased())
        default: false
        }
    }

    func isDurationOperator(_ token: PromQLLexer.Token) -> Bool {
        if case .symbol(let symbol) = token.kind { return ["+", "-", "*", "/", "%", "^"].contains(symbol) }
        return false
    }

    /// `operand (op operand)*` with the operators' precedence, as for numbers.
    mutating func durationExpression(minimumPrecedence: Int) throws -> PromQLDuration {
        try nested { parser in
            var left = try parser.durationOperand()
            while parser.isDurationOperator(parser.current), case .symbol(let symbol) = parser.current.kind,
                  let operation = PromQLExpression.BinaryOperator(rawValue: symbol), operation.precedence >= minimumPrecedence {
                let operatorToken = parser.advance()
                let next = operation.isRightAssociative ? operation.precedence : operation.precedence + 1
                let right = try parser.durationExpression(minimumPrecedence: next)
                // Prometheus refuses a literal zero divisor while parsing; other zeros fail when worked out.
                if operation == .divide || operation == .modulo, case .seconds(0) = right {
                    throw parser.error(operation == .divide ? "division by zero" : "modulo by zero", at: operatorToken)
                }
                left = .binary(operation, left, right)
            }
            return left
        }
    }

    /// A signed operand, a literal, a parenthesised expression, `step()`, `range()`, `min_of(a, b)` or `max_of(a, b)`.
    mutating func durationOperand() throws -> PromQLDuration {
        let token = current
        switch token.kind {
        case .symbol("-"), .symbol("+"):
            _ = advance()
            // A sign binds tighter than * and /, looser than ^: -2^2 is -4, as for numbers.
            let operand = try durationExpression(minimumPrecedence: PromQLExpression.BinaryOperator.power.precedence)
            if case .symbol("+") = token.kind { return operand }
            if case .seconds(let value) = operand { return .seconds(-value) }
            return .negation(operand)
        case .number(let seconds):
            _ = advance()
            guard seconds.isFinite, Swift.abs(seconds * 1000) <= Double(PromQLLexer.longestDurationMilliseconds) else {
                throw error("duration out of range: at most 10000y", at: token)
            }
            return .seconds(seconds)
        case .duration(let milliseconds):
            _ = advance()
            return .seconds(Double(milliseconds) / 1000)
        case .symbol("("):
            _ = advance()
            let inner = try durationExpression(minimumPrecedence: 0)
            try expect(")", "to close the parenthesis in the duration expression")
            return inner
        case .identifier(let word) where ["step", "range"].contains(word.lowercased()):
            _ = advance()
            try expect("(", "after \(word.lowercased())")
            try expect(")", "after \(word.lowercased())(: it takes no arguments")
            return word.lowercased() == "step" ? .step : .range
        case .identifier(let word) where ["min_of", "max_of"].contains(word.lowercased()):
            _ = advance()
            let name = word.lowercased()
            try expect("(", "after \(name)")
            let first = try durationExpression(minimumPrecedence: 0)
            try expect(",", "between the two durations of \(name)")
            let second = try durationExpression(minimumPrecedence: 0)
            try expect(")", "to close \(name)")
            return name == "min_of" ? .minOf(first, second) : .maxOf(first, second)
        default:
            throw error("expected a number, a duration, step(), range(), min_of(), max_of() or \"(\" in the duration expression, found \(describe(token))")
        }
    }
}
