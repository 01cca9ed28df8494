/// Working out the duration expressions that name `step()` or `range()`, once per query, as
/// Prometheus does before it evaluates anything.
extension PromQLExpression {
    /// This expression with every range, subquery step and offset written with `step()` or
    /// `range()` worked out for a query with this step and range (both 0 for an instant query).
    ///
    /// Fails as Prometheus does when a range or step comes out 0 or negative (`x[step()]` in an
    /// instant query), or when a value is NaN, infinite or divided by zero.
    func resolvingDurations(stepMilliseconds step: Int64, rangeMilliseconds range: Int64) throws -> PromQLExpression {
        func resolve(_ duration: PromQLDuration, mayBeNegative: Bool) throws -> Int64 {
            try duration.milliseconds(stepMilliseconds: step, rangeMilliseconds: range, mayBeNegative: mayBeNegative)
        }
        func resolveOffset(_ selector: Selector) throws -> Selector {
            var resolved = selector
            if let offset = selector.offsetExpression {
                resolved.offsetMilliseconds = try resolve(offset, mayBeNegative: true)
                resolved.offsetExpression = nil
            }
            return resolved
        }
        func inner(_ expression: PromQLExpression) throws -> PromQLExpression {
            try expression.resolvingDurations(stepMilliseconds: step, rangeMilliseconds: range)
        }
        switch self {
        case .number, .string:
            return self
        case .vectorSelector(let selector):
            return .vectorSelector(try resolveOffset(selector))
        case .matrixSelector(let selector, let milliseconds):
            var resolved = try resolveOffset(selector)
            var rangeMilliseconds = milliseconds
            if let expression = selector.rangeExpression {
                rangeMilliseconds = try resolve(expression, mayBeNegative: false)
                resolved.rangeExpression = nil
            }
            return .matrixSelector(resolved, rangeMilliseconds: rangeMilliseconds)
        case .subquery(let expression, var subquery):
            if let offset = subquery.offsetExpression {
                subquery.offsetMilliseconds = try resolve(offset, mayBeNegative: true)
                subquery.offsetExpression = nil
            }
            if let rangeExpression = subquery.rangeExpression {
                subquery.rangeMilliseconds = try resolve(rangeExpression, mayBeNegative: false)
                subquery.rangeExpression = nil
            }
            if let stepExpression = subquery.stepExpression {
                subquery.stepMilliseconds = try resolve(stepExpression, mayBeNegative: false)
                subquery.stepExpression = nil
            }
            return .subquery(try inner(expression), subquery)
        case .call(let function, let arguments):
            return .call(function, try arguments.map(inner))
        case .aggregation(let aggregation):
            return .aggregation(.init(
                operation: aggregation.operation, parameter: try aggregation.parameter.map(inner),
                operand: try inner(aggregation.operand), grouping: aggregation.grouping))
        case .binary(let binary):
            return .binary(.init(
                operation: binary.operation, left: try inner(binary.left), right: try inner(binary.right),
                matching: binary.matching, returnBool: binary.returnBool))
        case .negation(let expression):
            return .negation(try inner(expression))
        case .parentheses(let expression):
            return .parentheses(try inner(expression))
        }
    }
}
