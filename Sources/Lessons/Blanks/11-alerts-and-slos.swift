import WorkbookKit

/// Decides whether the error budget is burning fast enough to page someone, as the rule
/// `ErrorBudgetBurn` with `long_window: 1h` in stack/prometheus/rules/workbook.rules.yml does.
///
/// `slo` is the availability objective as a fraction: 0.999 means 99.9 % of requests must
/// succeed. The *error budget* is the share of requests allowed to fail: 1 − slo, so 0.001
/// for 0.999. A window's *burn rate* is its error ratio divided by the error budget: at 1 the
/// budget lasts exactly the SLO period; at 14.4, one hour spends 2 % of a 30-day budget.
///
/// Page only when BOTH windows burn at more than 14.4: the long window (1 hour) shows that
/// real budget is going, the short one (5 minutes) that it is still going now. "More than"
/// means strictly more, as the rule's `>` does. A window with no requests has a NaN error
/// ratio (0 / 0), which is not more than anything, so it never pages. An `slo` that is not
/// strictly between 0 and 1 is a mistake (1 leaves no budget; 99.9 is a percentage): throw
/// `InvalidObjective(slo: slo)`.
///
///     try shouldPage(shortWindowErrorRatio: 0.02, longWindowErrorRatio: 0.02, slo: 0.999)
///         == true     // both windows burn at 20
///     try shouldPage(shortWindowErrorRatio: 0.0001, longWindowErrorRatio: 0.02, slo: 0.999)
///         == false    // the hour burned at 20, but the last 5 minutes only at 0.1: it is over
///     try shouldPage(shortWindowErrorRatio: 0.02, longWindowErrorRatio: 0.02, slo: 0.99)
///         == false    // a 99 % SLO has a 1 % budget: burn rate 2
///     try shouldPage(shortWindowErrorRatio: 0.02, longWindowErrorRatio: 0.02, slo: 99.9)
///         throws InvalidObjective(slo: 99.9)
///
/// Check your work with `swift run lesson check 11`.
func shouldPage(shortWindowErrorRatio: Double, longWindowErrorRatio: Double, slo: Double) throws -> Bool {
    // TODO: compute the budget and both burn rates, decide as described above, then delete the next line.
    throw NotAttemptedYet()
}
