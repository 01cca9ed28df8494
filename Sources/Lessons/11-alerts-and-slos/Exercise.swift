import WorkbookKit

/// Decides whether the error budget is burning fast enough to page someone, as the rule
/// `ErrorBudgetBurn` with `long_window: 1h` in stack/prometheus/rules/workbook.rules.yml does.
///
/// `slo` is the availability objective as a fraction: 0.999 means 99.9 % of requests must
/// succeed. The *error budget* is the share of requests allowed to fail: `1 - slo`, so about
/// 0.001 for 0.999. A window's *burn rate* is its error ratio divided by the error budget: at 1
/// the budget lasts exactly the SLO period; at 14.4, one hour spends 2 % of a 30-day budget.
/// Each error ratio is a number from 0 to 1, or NaN for a window with no requests (0 / 0).
///
/// Exactly what to return:
///
/// 1. If `slo` is not strictly between 0 and 1, throw `InvalidObjective(slo: slo)`: 0 and
///    anything below, 1 (no budget) and anything above (99.9 is a percentage), ±infinity and
///    NaN. Write the test as `slo > 0 && slo < 1`: every comparison with NaN is false.
/// 2. Otherwise return true only when BOTH windows burn at strictly more than 14.4: the long
///    window (1 hour) shows that real budget is going, the short one (5 minutes) that it is
///    still going now. Exactly 14.4 does not page, as the rule's `>` does not.
/// 3. A NaN ratio is not more than anything, so a window with no requests never pages
///    (`NaN / budget > 14.4` is false by itself; do not replace NaN by 0 or 1 first).
///
/// Compare each window as `ratio / (1 - slo) > 14.4` or as `ratio > 14.4 * (1 - slo)`, in
/// `Double`: the checks accept both, including the few inputs within rounding of the
/// threshold where the two differ (`1 - 0.999` is 0.0010000000000000009 in binary).
///
///     try shouldPage(shortWindowErrorRatio: 0.02, longWindowErrorRatio: 0.02, slo: 0.999)
///         == true     // both windows burn at 20
///     try shouldPage(shortWindowErrorRatio: 0.0001, longWindowErrorRatio: 0.02, slo: 0.999)
///         == false    // the hour burned at 20, but the last 5 minutes only at 0.1: it is over
///     try shouldPage(shortWindowErrorRatio: 0.02, longWindowErrorRatio: 0.02, slo: 0.99)
///         == false    // a 99 % SLO has a 1 % budget: burn rate 2
///     try shouldPage(shortWindowErrorRatio: .nan, longWindowErrorRatio: 0.02, slo: 0.999)
///         == false    // no requests in the last 5 minutes: nothing is burning now
///     try shouldPage(shortWindowErrorRatio: 0.02, longWindowErrorRatio: 0.02, slo: 99.9)
///         throws InvalidObjective(slo: 99.9)
///
/// Check your work with `swift run lesson check 11`.
func shouldPage(shortWindowErrorRatio: Double, longWindowErrorRatio: Double, slo: Double) throws -> Bool {
    // TODO: compute the budget and both burn rates, decide as described above, then delete the next line.
    throw NotAttemptedYet()
}
