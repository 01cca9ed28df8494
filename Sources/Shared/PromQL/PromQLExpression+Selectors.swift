import TimeSeries

extension PromQLExpression {
    /// The matchers of every series selector in the expression, in the order they are written,
    /// range selectors' and subqueries' included: what the expression reads from the store.
    /// `rate(a[5m]) / b{job="x"}` has two; `1 + 2` has none.
    public var selectorMatchers: [[LabelMatcher]] {
        switch self {
        case .number, .string: []
        case .vectorSelector(let selector), .matrixSelector(let selector, _): [selector.matchers]
        case .subquery(let inner, _), .negation(let inner), .parentheses(let inner): inner.selectorMatchers
        case .call(_, let arguments): arguments.flatMap(\.selectorMatchers)
        case .aggregation(let aggregation): (aggregation.parameter?.selectorMatchers ?? []) + aggregation.operand.selectorMatchers
        case .binary(let binary): binary.left.selectorMatchers + binary.right.selectorMatchers
        }
    }
}
