import TimeSeries

/// Parses PromQL into a `PromQLExpression`, checking types as Prometheus does.
///
/// Keywords (`sum`, `by`, `and`, `offset`, `bool` …) are accepted in any case; function names
/// are case-sensitive. A syntax error names the character where it happened, and anything
/// Prometheus has that the workbook does not evaluate says so by name.
public enum PromQLParser {
    /// How deeply expressions may nest (parentheses, calls, operators): far beyond any real
    /// query, and far below what would exhaust a thread's stack.
    public static let maximumNesting = 256

    /// Parses `query`.
    ///
    /// - Parameter semantics: which Prometheus the query is written for: Prometheus 3 accepts
    ///   numbers where durations go (`x[300]`) and durations where numbers go (`5m` is 300),
    ///   and knows `double_exponential_smoothing`; Prometheus 2 knows `holt_winters`.
    public static func parse(_ query: String, semantics: PromQLSemantics = .prometheus3) throws -> PromQLExpression {
        var parser = Parser(tokens: try PromQLLexer.tokens(query), semantics: semantics)
        let (expression, _) = try parser.expression(minimumPrecedence: 0)
        guard case .end = parser.current.kind else {
            throw parser.error("unexpected \(parser.describe(parser.current)) after a complete expression")
        }
        return expression
    }

    /// A duration written as in a query (`5m`, `1h30m`, `500ms`), the whole of `text`, in
    /// milliseconds; nil when `text` is not one. What Prometheus's HTTP API reads for `step`
    /// and `timeout` when they are not plain seconds.
    package static func duration(_ text: String) -> Int64? {
        PromQLLexer.wholeDuration(text)
    }

    /// The type a parsed expression evaluates to.
    public static func type(of expression: PromQLExpression) -> PromQLType {
        switch expression {
        case .number: .scalar
        case .string: .string
        case .vectorSelector, .aggregation: .instantVector
        case .matrixSelector, .subquery: .rangeVector
        case .call(let function, _): function.signature.returns
        case .binary(let binary): type(of: binary.left) == .scalar && type(of: binary.right) == .scalar ? .scalar : .instantVector
        case .negation(let inner), .parentheses(let inner): type(of: inner)
        }
    }

    static let aggregators = Set(PromQLExpression.AggregationOperator.allCases.map(\.rawValue))
    static let keywords: Set<String> = ["and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool"]

    struct Parser {
        let tokens: [PromQLLexer.Token]
        let semantics: PromQLSemantics
        var index = 0
        var depth = 0

        init(tokens: [PromQLLexer.Token], semantics: PromQLSemantics) {
            self.tokens = tokens
            self.semantics = semantics
        }

        var current: PromQLLexer.Token { tokens[index] }

        mutating func advance() -> PromQLLexer.Token {
            let token = tokens[index]
            if index < tokens.count - 1 { index += 1 }
            return token
        }

        func error(_ message: String, at token: PromQLLexer.Token? = nil) -> PromQLError {
            PromQLError(position: (token ?? current).position, message: message)
        }

        func describe(_ token: PromQLLexer.Token) -> String {
            switch token.kind {
            case .identifier(let word): "\"\(word)\""
            case .number(let value): "number \(value)"
            case .duration: "duration"
            case .string(let text): "string \"\(text)\""
            case .symbol(let symbol): "\"\(symbol)\""
            case .end: "end of query"
            }
        }

        func isSymbol(_ symbol: String) -> Bool {
            if case .symbol(symbol) = current.kind { return true }
            return false
        }

        /// Whether the current token is `word`, in any case.
        func isKeyword(_ word: String) -> Bool {
            if case .identifier(let found) = current.kind { return found.lowercased() == word }
            return false
        }

        mutating func expect(_ symbol: String, _ context: String) throws {
            guard isSymbol(symbol) else { throw error("expected \"\(symbol)\" \(context), found \(describe(current))") }
            _ = advance()
        }

        /// Counts one level of nesting around `body`, refusing to go past the limit.
        mutating func nested<Result>(_ body: (inout Parser) throws -> Result) throws -> Result {
            depth += 1
            defer { depth -= 1 }
            guard depth <= PromQLParser.maximumNesting else {
                throw error("the query is nested more than \(PromQLParser.maximumNesting) levels deep")
            }
            return try body(&self)
        }

        // MARK: Binary operators

        /// The binary operator at the current token, if any.
        func binaryOperator() -> PromQLExpression.BinaryOperator? {
            switch current.kind {
            case .symbol(let symbol): PromQLExpression.BinaryOperator(rawValue: symbol)
            case .identifier(let word): ["and", "or", "unless", "atan2"].contains(word.lowercased()) ? PromQLExpression.BinaryOperator(rawValue: word.lowercased()) : nil
            default: nil
            }
        }

        mutating func expression(minimumPrecedence: Int) throws -> (PromQLExpression, PromQLType) {
            try nested { parser in
                var (left, leftType) = try parser.unary()
                while let operation = parser.binaryOperator(), operation.precedence >= minimumPrecedence {
                    let operatorToken = parser.advance()
                    var returnBool = false
                    if parser.isKeyword("bool") {
                        guard operation.isComparison else { throw parser.error("bool modifier can only be used on comparison operators") }
                        _ = parser.advance()
                        returnBool = true
                    }
                    var matching: PromQLExpression.VectorMatching?
                    if parser.isKeyword("on") || parser.isKeyword("ignoring") {
                        let on = parser.isKeyword("on")
                        _ = parser.advance()
                        matching = .init(cardinality: operation.isSetOperator ? .manyToMany : .oneToOne, on: on, labels: try parser.labelList(), include: [])
                    }
                    if parser.isKeyword("group_left") || parser.isKeyword("group_right") {
                        let left = parser.isKeyword("group_left")
                        let groupToken = parser.advance()
                        guard !operation.isSetOperator else { throw parser.error("no grouping allowed for \"\(operation.rawValue)\" operation", at: groupToken) }
                        var modifier = matching ?? .init(cardinality: .oneToOne, on: false, labels: [], include: [])
                        modifier.cardinality = left ? .manyToOne : .oneToMany
                        modifier.include = parser.isSymbol("(") ? try parser.labelList() : []
                        if modifier.on, let clash = modifier.include.first(where: modifier.labels.contains) {
                            throw parser.error("label \"\(clash)\" must not occur in ON and GROUP clause at once", at: groupToken)
                        }
                        matching = modifier
                    }
                    let next = operation.isRightAssociative ? operation.precedence : operation.precedence + 1
                    let (right, rightType) = try parser.expression(minimumPrecedence: next)
                    try parser.checkBinary(operation, leftType, rightType, matching: matching, returnBool: returnBool, at: operatorToken)
                    if operation.isSetOperator, matching == nil {
                        matching = .init(cardinality: .manyToMany, on: false, labels: [], include: [])
                    }
                    left = .binary(.init(operation: operation, left: left, right: right, matching: matching, returnBool: returnBool))
                    leftType = leftType == .scalar && rightType == .scalar ? .scalar : .instantVector
                }
                return (left, leftType)
            }
        }

        func checkBinary(
            _ operation: PromQLExpression.BinaryOperator, _ left: PromQLType, _ right: PromQLType,
            matching: PromQLExpression.VectorMatching?, returnBool: Bool, at token: PromQLLexer.Token
        ) throws {
            for side in [left, right] where side != .scalar && side != .instantVector {
                throw error("binary expression must contain only scalar and instant vector types", at: token)
            }
            if left == .scalar, right == .scalar {
                if operation.isComparison, !returnBool { throw error("comparisons between scalars must use BOOL modifier", at: token) }
                if operation.isSetOperator { throw error("set operator \"\(operation.rawValue)\" not allowed in binary scalar expression", at: token) }
            }
            if operation.isSetOperator, left == .scalar || right == .scalar {
                throw error("set operator \"\(operation.rawValue)\" not allowed in binary scalar expression", at: token)
            }
            if matching != nil, left != .instantVector || right != .instantVector {
                throw error("vector matching only allowed between instant vectors", at: token)
            }
        }

        // MARK: Unary and postfix

        mutating func unary() throws -> (PromQLExpression, PromQLType) {
            if isSymbol("-") || isSymbol("+") {
                let sign = advance()
                // A sign binds tighter than * and /, looser than ^: -2 ^ 2 is -4.
                let (operand, type) = try expression(minimumPrecedence: PromQLExpression.BinaryOperator.power.precedence)
                guard type == .scalar || type == .instantVector else {
                    throw error("unary expression only allowed on expressions of type scalar or instant vector, got \"\(type.rawValue)\"", at: sign)
                }
                if case .symbol("+") = sign.kind { return (operand, type) }
                if case .number(let value) = operand { return (.number(-value), .scalar) }
                return (.negation(operand), type)
            }
            var (expression, type) = try primary()
            try postfix(&expression, &type)
            return (expression, type)
        }

        /// `[range]`, `[range:step]`, `offset d` and `@ t` after an expression.
        mutating func postfix(_ expression: inout PromQLExpression, _ type: inout PromQLType) throws {
            while true {
                if isSymbol("[") {
                    let bracket = advance()
                    let range = try positiveDuration("a range such as 5m")
                    if isSymbol(":") {
                        _ = advance()
                        let step: ParsedDuration? = isSymbol("]") ? nil : try positiveDuration("a subquery step such as 1m")
                        try expect("]", "to close the subquery")
                        guard type == .instantVector || type == .scalar else {
                            throw error("subquery is only allowed on instant vector, got \(type.rawValue)", at: bracket)
                        }
                        guard range.milliseconds > 0 || range.expression != nil else { throw error("the subquery's range must be positive", at: bracket) }
                        if let step, step.milliseconds <= 0, step.expression == nil { throw error("the subquery's step must be positive", at: bracket) }
                        if case .vectorSelector = expression {} else if case .parentheses = expression {} else if case .call = expression {} else if case .aggregation = expression {} else if case .binary = expression {
                            throw error("subquery on a binary expression needs parentheses: (a + b)[5m:1m]", at: bracket)
                        }
                        var subquery = PromQLExpression.Subquery(rangeMilliseconds: range.milliseconds, stepMilliseconds: step?.expression == nil ? step?.milliseconds : nil)
                        subquery.rangeExpression = range.expression
                        subquery.stepExpression = step?.expression
                        expression = .subquery(expression, subquery)
                        type = .rangeVector
                    } else {
                        try expect("]", "to close the range")
                        guard case .vectorSelector(var selector) = expression, selector.offsetMilliseconds == 0, selector.offsetExpression == nil, selector.at == nil else {
                            throw error("ranges only allowed for vector selectors", at: bracket)
                        }
                        guard range.milliseconds > 0 || range.expression != nil else { throw error("the range must be positive: [0s] selects nothing", at: bracket) }
                        selector.rangeExpression = range.expression
                        expression = .matrixSelector(selector, rangeMilliseconds: range.milliseconds)
                        type = .rangeVector
                    }
                } else if isKeyword("offset") {
                    let keyword = advance()
                    let amount = try offsetDuration()
                    try modify(&expression, at: keyword) { offset, offsetExpression, _ in
                        guard offset == 0, offsetExpression == nil else { throw error("offset may not be set multiple times", at: keyword) }
                        offset = amount.milliseconds
                        offsetExpression = amount.expression
                    }
                } else if isSymbol("@") {
                    let at = advance()
                    let anchor: PromQLExpression.Anchor
                    if isKeyword("start") || isKeyword("end") {
                        let end = isKeyword("end")
                        _ = advance()
                        try expect("(", "after start or end")
                        try expect(")", "after start( or end(")
                        anchor = end ? .end : .start
                    } else {
                        var sign = 1.0
                        if isSymbol("-") || isSymbol("+") {
                            if case .symbol("-") = advance().kind { sign = -1 }
                        }
                        let seconds: Double
                        switch current.kind {
                        case .number(let number): seconds = number
                        // Prometheus 3 reads a duration as its seconds here too: `@ 100s`.
                        case .duration(let milliseconds) where semantics == .prometheus3: seconds = Double(milliseconds) / 1000
                        default: throw error("expected a Unix time, start() or end() after @, found \(describe(current))")
                        }
                        _ = advance()
                        let milliseconds = sign * seconds * 1000
                        guard milliseconds.isFinite, Swift.abs(milliseconds) <= PromQLSemantics.latestTimeMilliseconds else {
                            throw error("timestamp out of bounds for @ modifier: \(sign * seconds)", at: at)
                        }
                        anchor = .time(Int64(milliseconds.rounded()))
                    }
                    try modify(&expression, at: at) { _, _, existing in
                        guard existing == nil else { throw error("@ <timestamp> may not be set multiple times", at: at) }
                        existing = anchor
                    }
                } else {
                    return
                }
            }
        }

        /// Changes the offset (milliseconds or expression) and `@` of the selector or subquery `expression` is (or wraps in parentheses).
        func modify(
            _ expression: inout PromQLExpression, at token: PromQLLexer.Token,
            _ change: (inout Int64, inout PromQLDuration?, inout PromQLExpression.Anchor?) throws -> Void
        ) throws {
            switch expression {
            case .vectorSelector(var selector):
                try change(&selector.offsetMilliseconds, &selector.offsetExpression, &selector.at)
                expression = .vectorSelector(selector)
            case .matrixSelector(var selector, let range):
                try change(&selector.offsetMilliseconds, &selector.offsetExpression, &selector.at)
                expression = .matrixSelector(selector, rangeMilliseconds: range)
            case .subquery(let inner, var subquery):
                try change(&subquery.offsetMilliseconds, &subquery.offsetExpression, &subquery.at)
                expression = .subquery(inner, subquery)
            default:
                throw error("offset and @ apply to selectors and subqueries only", at: token)
            }
        }

        /// A duration here: a duration literal, or in Prometheus 3 a number of seconds.
        mutating func durationValue(_ what: String) throws -> Int64 {
            switch current.kind {
            case .duration(let milliseconds):
                _ = advance()
                return milliseconds
            case .number(let seconds) where semantics == .prometheus3:
                let milliseconds = seconds * 1000
                guard milliseconds.isFinite, Swift.abs(milliseconds) <= Double(PromQLLexer.longestDurationMilliseconds) else {
                    throw error("duration out of range: at most 10000y")
                }
                _ = advance()
                return Int64(milliseconds.rounded())
            default:
                throw error("expected \(what), found \(describe(current))")
            }
        }

        // MARK: Primary expressions

        mutating func primary() throws -> (PromQLExpression, PromQLType) {
            let token = current
            switch token.kind {
            case .number(let value):
                _ = advance()
                return (.number(value), .scalar)
            case .duration(let milliseconds):
                guard semantics == .prometheus3 else { throw error("a duration is not a number in Prometheus 2: write seconds, such as 300") }
                _ = advance()
                return (.number(Double(milliseconds) / 1000), .scalar)
            case .string(let text):
                _ = advance()
                return (.string(text), .string)
            case .symbol("("):
                _ = advance()
                let (inner, type) = try expression(minimumPrecedence: 0)
                try expect(")", "to close the parenthesis")
                return (.parentheses(inner), type)
            case .symbol("{"):
                return (.vectorSelector(try selector(name: nil, at: token)), .instantVector)
            case .identifier(let word):
                let lowered = word.lowercased()
                if PromQLParser.aggregators.contains(lowered) {
                    return (try aggregation(.init(rawValue: lowered)!), .instantVector)
                }
                if let reason = PromQLFunction.unsupported[word] {
                    throw error(reason)
                }
                if PromQLParser.keywords.contains(lowered) {
                    throw error("unexpected keyword \"\(word)\"")
                }
                _ = advance()
                if isSymbol("(") {
                    return try call(word, at: token)
                }
                if isSymbol("{") { return (.vectorSelector(try selector(name: word, at: token)), .instantVector) }
                return (.vectorSelector(.init(matchers: [try matcher(LabelSet.metricNameLabel, .equal, word, at: token)])), .instantVector)
            case .end:
                throw error("unexpected end of query: the expression is incomplete")
            default:
                throw error("unexpected \(describe(token))")
            }
        }

        mutating func call(_ name: String, at token: PromQLLexer.Token) throws -> (PromQLExpression, PromQLType) {
            guard var function = PromQLFunction(rawValue: name) else {
                throw error("unknown function with name \"\(name)\"", at: token)
            }
            if function == .holtWinters, semantics == .prometheus3 {
                throw error("holt_winters was renamed double_exponential_smoothing in Prometheus 3 (use --prometheus 2 for the old name)", at: token)
            }
            if function == .doubleExponentialSmoothing, semantics == .prometheus2 { function = .holtWinters }
            if function == .histogramFraction, semantics == .prometheus2 {
                throw error("histogram_fraction over classic _bucket series needs Prometheus 3.4 or later (Prometheus 2 has it for native histograms only, which the workbook does not support)", at: token)
            }
            _ = advance()
            var arguments: [(PromQLExpression, PromQLType, PromQLLexer.Token)] = []
            if !isSymbol(")") {
                while true {
                    let start = current
                    let (argument, type) = try expression(minimumPrecedence: 0)
                    arguments.append((argument, type, start))
                    if isSymbol(",") {
                        _ = advance()
                        if isSymbol(")") { break }
                    } else {
                        break
                    }
                }
            }
            try expect(")", "to close the call to \(name)")
            let signature = function.signature
            let required = signature.arguments.count - max(signature.optional, 0)
            if signature.optional == -1 {
                guard arguments.count >= signature.arguments.count else {
                    throw error("expected at least \(signature.arguments.count) argument(s) in call to \"\(name)\", got \(arguments.count)", at: token)
                }
            } else if arguments.count < required || arguments.count > signature.arguments.count {
                let expected = required == signature.arguments.count ? "\(required)" : "\(required) to \(signature.arguments.count)"
                throw error("expected \(expected) argument(s) in call to \"\(name)\", got \(arguments.count)", at: token)
            }
            for (position, argument) in arguments.enumerated() {
                let wanted = signature.arguments[min(position, signature.arguments.count - 1)]
                guard argument.1 == wanted else {
                    let hint = wanted == .rangeVector && argument.1 == .instantVector ? "; give it a range such as x[5m]" : ""
                    throw error("expected type \(wanted.rawValue) in call to function \"\(name)\", got \(argument.1.rawValue)\(hint)", at: argument.2)
                }
            }
            return (.call(function, arguments.map(\.0)), signature.returns)
        }

        mutating func aggregation(_ operation: PromQLExpression.AggregationOperator) throws -> PromQLExpression {
            let start = advance()
            var grouping: PromQLExpression.Grouping?
            if isKeyword("by") || isKeyword("without") {
                let without = isKeyword("without")
                _ = advance()
                grouping = .init(without: without, labels: try labelList())
            }
            guard isSymbol("(") else {
                throw error("expected \"(\" after \(operation.rawValue), found \(describe(current))")
            }
            _ = advance()
            var arguments: [(PromQLExpression, PromQLType, PromQLLexer.Token)] = []
            while !isSymbol(")") {
                let argumentStart = current
                let (argument, type) = try expression(minimumPrecedence: 0)
                arguments.append((argument, type, argumentStart))
                guard isSymbol(",") else { break }
                _ = advance()
            }
            try expect(")", "to close the \(operation.rawValue) aggregation")
            if isKeyword("by") || isKeyword("without") {
                guard grouping == nil else { throw error("the grouping of \(operation.rawValue) may be given once, before or after") }
                let without = isKeyword("without")
                _ = advance()
                grouping = .init(without: without, labels: try labelList())
            }
            let expected = operation.parameter == nil ? 1 : 2
            guard arguments.count == expected else {
                throw error("wrong number of arguments for aggregate expression provided, expected \(expected), got \(arguments.count)", at: start)
            }
            let operand = arguments.last!
            guard operand.1 == .instantVector else {
                throw error("expected type instant vector in aggregation expression, got \(operand.1.rawValue)", at: operand.2)
            }
            var parameter: PromQLExpression?
            if let wanted = operation.parameter {
                let given = arguments[0]
                guard given.1 == wanted else {
                    throw error("expected type \(wanted.rawValue) in aggregation parameter, got \(given.1.rawValue)", at: given.2)
                }
                if operation == .countValues, case .string(let label) = given.0, !LabelSet.isValidLabelName(label) {
                    throw error("invalid label name \"\(label)\"", at: given.2)
                }
                parameter = given.0
            }
            return .aggregation(.init(operation: operation, parameter: parameter, operand: operand.0, grouping: grouping))
        }

        /// `(a, b, …)`: label names, bare or (as Prometheus 3 allows) quoted.
        mutating func labelList() throws -> [String] {
            try expect("(", "before the label list")
            var labels: [String] = []
            while !isSymbol(")") {
                switch advance().kind {
                case .identifier(let name), .string(let name):
                    labels.append(name)
                default:
                    throw error("expected a label name in the list, found \(describe(tokens[index - 1]))", at: tokens[index - 1])
                }
                guard isSymbol(",") else { break }
                _ = advance()
            }
            try expect(")", "to close the label list")
            return labels
        }

        /// `{matchers}` after an optional metric name; a quoted name alone in the braces is the
        /// metric name (Prometheus 3's form for names with dots and other characters).
        mutating func selector(name: String?, at start: PromQLLexer.Token) throws -> PromQLExpression.Selector {
            var matchers: [LabelMatcher] = []
            var metricName = name
            if let name { matchers.append(try matcher(LabelSet.metricNameLabel, .equal, name, at: start)) }
            try expect("{", "to open the label matchers")
            while !isSymbol("}") {
                let labelToken = advance()
                let label: String
                switch labelToken.kind {
                case .identifier(let word): label = word
                case .string(let quoted):
                    if isSymbol(",") || isSymbol("}") {
                        guard metricName == nil else { throw error("metric name must not be set twice: \"\(metricName!)\" or \"\(quoted)\"", at: labelToken) }
                        metricName = quoted
                        matchers.append(try matcher(LabelSet.metricNameLabel, .equal, quoted, at: labelToken))
                        if isSymbol(",") { _ = advance() }
                        continue
                    }
                    label = quoted
                default:
                    throw error("expected a label name in the selector, found \(describe(labelToken))", at: labelToken)
                }
                guard case .symbol(let symbol) = current.kind, let kind = LabelMatcher.Kind(rawValue: symbol) else {
                    throw error("expected =, !=, =~ or !~ after label \"\(label)\", found \(describe(current))")
                }
                _ = advance()
                let valueToken = current
                guard case .string(let value) = advance().kind else {
                    throw error("expected a quoted label value after \(label)\(symbol)", at: valueToken)
                }
                if label == LabelSet.metricNameLabel, kind == .equal, let metricName {
                    throw error("metric name must not be set twice: \"\(metricName)\" or \"\(value)\"", at: labelToken)
                }
                matchers.append(try matcher(label, kind, value, at: valueToken))
                if isSymbol(",") { _ = advance() } else if !isSymbol("}") {
                    throw error("expected \",\" or \"}\" in the selector, found \(describe(current))")
                }
            }
            _ = advance()
            guard matchers.contains(where: { !$0.matches("") }) else {
                throw error("vector selector must contain at least one non-empty matcher", at: start)
            }
            return .init(matchers: matchers)
        }

        func matcher(_ name: String, _ kind: LabelMatcher.Kind, _ value: String, at token: PromQLLexer.Token) throws -> LabelMatcher {
            do {
                return try LabelMatcher(name, kind, value, dotMatchesNewline: semantics == .prometheus3)
            } catch let problem as InvalidRegularExpression {
                throw error(problem.description, at: token)
            }
        }
    }
}
