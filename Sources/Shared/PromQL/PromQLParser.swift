import Platform
import TimeSeries
import Instrumentation

/// Parses the PromQL subset into a `PromQLExpression`.
///
/// Operators bind as in Prometheus: `* /` tighter than `+ -`, tighter than the
/// comparisons, all left-associative. Anything outside the subset (subqueries,
/// `group_left`, `topk`, `and`/`or`, …) is a parse error naming what is not supported,
/// never a silently different answer.
public enum PromQLParser {
    /// The expression `query` denotes, or an error with the character position of the problem.
    public static func parse(_ query: String) throws -> PromQLExpression {
        var parser = Parser(tokens: try PromQLLexer.tokens(query))
        let expression = try parser.expression(minimumPrecedence: 0)
        guard case .end = parser.current.kind else {
            throw parser.error("unexpected \(parser.describe(parser.current)) after a complete expression")
        }
        try validate(expression)
        return expression
    }

    /// Checks argument kinds, so evaluation never meets a range where it wants an instant vector.
    private static func validate(_ expression: PromQLExpression) throws {
        switch expression {
        case .number, .vectorSelector: return
        case .matrixSelector: return
        case .negation(let inner):
            guard !isRange(inner) else { throw PromQLError(message: "unary minus needs a scalar or an instant vector, not a range vector") }
            try validate(inner)
        case .aggregation(let operation, let inner, _):
            guard !isRange(inner) else {
                throw PromQLError(message: "\(operation.rawValue)() needs an instant vector, not a range vector; wrap the range in rate() or an _over_time function")
            }
            try validate(inner)
        case .binary(let operation, let left, let right, _, _):
            guard !isRange(left), !isRange(right) else {
                throw PromQLError(message: "operator \(operation.rawValue) needs scalars or instant vectors, not a range vector")
            }
            try validate(left)
            try validate(right)
        case .call(let function, let arguments):
            for (argument, kind) in zip(arguments, function.arguments) {
                if kind == .rangeVector, !isRange(argument) {
                    throw PromQLError(message: "\(function.rawValue)() needs a range vector such as x[5m]")
                }
                if kind != .rangeVector, isRange(argument) {
                    throw PromQLError(message: "\(function.rawValue)() needs an instant vector or scalar here, not a range vector")
                }
                if !isRange(argument) { try validate(argument) }
            }
        }
    }

    private static func isRange(_ expression: PromQLExpression) -> Bool {
        if case .matrixSelector = expression { return true }
        return false
    }

    private struct Parser {
        let tokens: [PromQLLexer.Token]
        var index = 0

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
            case .duration: "a duration"
            case .string(let text): "string \"\(text)\""
            case .symbol(let symbol): "\"\(symbol)\""
            case .end: "end of query"
            }
        }

        func isSymbol(_ symbol: String) -> Bool {
            if case .symbol(let found) = current.kind { return found == symbol }
            return false
        }

        func isWord(_ word: String) -> Bool {
            if case .identifier(let found) = current.kind { return found == word }
            return false
        }

        mutating func expect(_ symbol: String, _ context: String) throws {
            guard isSymbol(symbol) else { throw error("expected \"\(symbol)\" \(context), found \(describe(current))") }
            _ = advance()
        }

        mutating func expression(minimumPrecedence: Int) throws -> PromQLExpression {
            var left = try unary()
            while true {
                let operatorToken = current
                let spelling: String? = switch current.kind {
                case .symbol(let symbol): symbol
                case .identifier(let word) where ["and", "or", "unless"].contains(word): word
                default: nil
                }
                guard let spelling, let operation = PromQLExpression.BinaryOperator(rawValue: spelling),
                      operation.precedence >= minimumPrecedence
                else {
                    if case .identifier("atan2") = current.kind {
                        throw error("the atan2 operator is not supported by this PromQL subset")
                    }
                    if isSymbol("^") || isSymbol("%") { throw error("the \(describe(current)) operator is not supported by this PromQL subset") }
                    return left
                }
                _ = advance()
                var returnBool = false
                if isWord("bool") {
                    guard operation.isComparison else { throw error("bool is only allowed after a comparison operator") }
                    _ = advance()
                    returnBool = true
                }
                var matching: PromQLExpression.VectorMatching?
                if isWord("on") || isWord("ignoring") {
                    let on = isWord("on")
                    _ = advance()
                    matching = PromQLExpression.VectorMatching(on: on, labels: try labelList())
                    if isWord("group_left") || isWord("group_right") {
                        throw error("\(describe(current)) (many-to-one matching) is not supported by this PromQL subset")
                    }
                }
                let right = try expression(minimumPrecedence: operation.precedence + 1)
                if operation.isComparison, !returnBool, isScalar(left), isScalar(right) {
                    throw error("comparisons between scalars must use the bool modifier")
                }
                if operation.isSetOperator, isScalar(left) || isScalar(right) {
                    throw error("the \(operation.rawValue) operator works on instant vectors, not scalars", at: operatorToken)
                }
                left = .binary(operation, left, right, matching, returnBool: returnBool)
            }
        }

        func isScalar(_ expression: PromQLExpression) -> Bool {
            switch expression {
            case .number: true
            case .negation(let inner): isScalar(inner)
            case .call(let function, _): function == .time || function == .scalar
            case .binary(_, let left, let right, _, _): isScalar(left) && isScalar(right)
            default: false
            }
        }

        mutating func unary() throws -> PromQLExpression {
            if isSymbol("-") {
                _ = advance()
                let inner = try unary()
                if case .number(let value) = inner { return .number(-value) }
                return .negation(inner)
            }
            if isSymbol("+") {
                _ = advance()
                return try unary()
            }
            return try postfix(try primary())
        }

        mutating func postfix(_ expression: PromQLExpression) throws -> PromQLExpression {
            var expression = expression
            if isSymbol("[") {
                let bracket = current
                _ = advance()
                guard case .vectorSelector(let selector) = expression else {
                    throw error("a range [..] can only follow a series selector (subqueries are not supported)", at: bracket)
                }
                guard case .duration(let range) = advance().kind, range > 0 else { throw error("expected a positive duration in the range, like [5m]") }
                if isSymbol(":") { throw error("subqueries are not supported by this PromQL subset") }
                if case .identifier(let word) = current.kind, word.hasPrefix(":") {
                    throw error("subqueries are not supported by this PromQL subset")
                }
                try expect("]", "to close the range")
                expression = .matrixSelector(selector, rangeMilliseconds: range)
            }
            if isWord("offset") {
                _ = advance()
                var sign: Int64 = 1
                if isSymbol("-") {
                    _ = advance()
                    sign = -1
                }
                guard case .duration(let offset) = advance().kind else { throw error("expected a duration after offset, like offset 5m") }
                switch expression {
                case .vectorSelector(let selector) where selector.offsetMilliseconds == 0:
                    expression = .vectorSelector(.init(matchers: selector.matchers, offsetMilliseconds: sign * offset))
                case .matrixSelector(let selector, let range) where selector.offsetMilliseconds == 0:
                    expression = .matrixSelector(.init(matchers: selector.matchers, offsetMilliseconds: sign * offset), rangeMilliseconds: range)
                default:
                    throw error("offset must follow a series selector")
                }
            }
            return expression
        }

        mutating func primary() throws -> PromQLExpression {
            let token = advance()
            switch token.kind {
            case .number(let value):
                return .number(value)
            case .symbol("("):
                let inner = try expression(minimumPrecedence: 0)
                try expect(")", "to close the parenthesis")
                return inner
            case .symbol("{"):
                return .vectorSelector(try selector(name: nil, at: token))
            case .identifier(let word):
                if let aggregation = PromQLExpression.Aggregation(rawValue: word), isSymbol("(") || isWord("by") || isWord("without") {
                    return try aggregate(aggregation)
                }
                if ["stddev", "stdvar", "topk", "bottomk", "quantile", "count_values", "group"].contains(word), isSymbol("(") {
                    throw error("the \(word) aggregation is not supported by this PromQL subset", at: token)
                }
                if isSymbol("(") {
                    guard let function = PromQLFunction(rawValue: word) else {
                        throw error("function \"\(word)\" is not supported by this PromQL subset (it has \(PromQLFunction.allCases.map(\.rawValue).joined(separator: ", ")))", at: token)
                    }
                    return try call(function, at: token)
                }
                if ["by", "without", "on", "ignoring", "offset", "bool", "group_left", "group_right"].contains(word) {
                    throw error("unexpected keyword \"\(word)\"", at: token)
                }
                if isSymbol("{") {
                    let brace = advance()
                    return .vectorSelector(try selector(name: word, at: brace))
                }
                return .vectorSelector(.init(matchers: [try LabelMatcher(LabelSet.metricNameLabel, .equal, word)], offsetMilliseconds: 0))
            case .string:
                throw error("string literals are not supported by this PromQL subset", at: token)
            default:
                throw error("unexpected \(describe(token))", at: token)
            }
        }

        mutating func selector(name: String?, at brace: PromQLLexer.Token) throws -> PromQLExpression.Selector {
            var matchers: [LabelMatcher] = []
            if let name { matchers.append(try LabelMatcher(LabelSet.metricNameLabel, .equal, name)) }
            while !isSymbol("}") {
                guard case .identifier(let label) = advance().kind else { throw error("expected a label name in the selector") }
                guard case .symbol(let symbol) = current.kind, let kind = LabelMatcher.Kind(rawValue: symbol) else {
                    throw error("expected =, !=, =~ or !~ after label \"\(label)\", found \(describe(current))")
                }
                _ = advance()
                let valueToken = current
                guard case .string(let value) = advance().kind else { throw error("expected a quoted label value after \(label)\(symbol)", at: valueToken) }
                do {
                    matchers.append(try LabelMatcher(label, kind, value))
                } catch let problem as InvalidRegularExpression {
                    throw error(problem.description, at: valueToken)
                }
                if isSymbol(",") { _ = advance() } else if !isSymbol("}") {
                    throw error("expected \",\" or \"}\" in the selector, found \(describe(current))")
                }
            }
            _ = advance()
            guard matchers.contains(where: { !$0.matches("") }) else {
                throw error("a selector needs at least one matcher that does not match the empty string, such as a metric name", at: brace)
            }
            return .init(matchers: matchers, offsetMilliseconds: 0)
        }

        mutating func labelList() throws -> [String] {
            try expect("(", "before the label list")
            var labels: [String] = []
            while !isSymbol(")") {
                guard case .identifier(let label) = advance().kind else { throw error("expected a label name in the list") }
                labels.append(label)
                if isSymbol(",") { _ = advance() } else if !isSymbol(")") { throw error("expected \",\" or \")\" in the label list") }
            }
            _ = advance()
            return labels
        }

        mutating func aggregate(_ aggregation: PromQLExpression.Aggregation) throws -> PromQLExpression {
            var grouping: PromQLExpression.Grouping?
            if isWord("by") || isWord("without") {
                let without = isWord("without")
                _ = advance()
                grouping = .init(without: without, labels: try labelList())
            }
            try expect("(", "after \(aggregation.rawValue)")
            let inner = try expression(minimumPrecedence: 0)
            if isSymbol(",") { throw error("\(aggregation.rawValue) takes one argument") }
            try expect(")", "to close \(aggregation.rawValue)(")
            if isWord("by") || isWord("without") {
                guard grouping == nil else { throw error("by or without may appear only once") }
                let without = isWord("without")
                _ = advance()
                grouping = .init(without: without, labels: try labelList())
            }
            return .aggregation(aggregation, inner, grouping)
        }

        mutating func call(_ function: PromQLFunction, at name: PromQLLexer.Token) throws -> PromQLExpression {
            try expect("(", "after \(function.rawValue)")
            var arguments: [PromQLExpression] = []
            while !isSymbol(")") {
                arguments.append(try expression(minimumPrecedence: 0))
                if isSymbol(",") { _ = advance() } else if !isSymbol(")") { throw error("expected \",\" or \")\" in the arguments of \(function.rawValue)") }
            }
            _ = advance()
            guard arguments.count == function.arguments.count else {
                throw error("\(function.rawValue)() takes \(function.arguments.count) argument\(function.arguments.count == 1 ? "" : "s"), got \(arguments.count)", at: name)
            }
            return .call(function, arguments)
        }
    }
}
