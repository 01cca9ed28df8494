
/// The reference answer to `shouldPage` in Exercise.swift. Try the exercise first.
func solutionShouldPage(shortWindowErrorRatio: Double, longWindowErrorRatio: Double, slo: Double) throws -> Bool {
    // `!(0 < slo && slo < 1)` rather than `slo <= 0 || slo >= 1`, so that NaN is refused too.
    guard slo > 0, slo < 1 else { throw InvalidObjective(slo: slo) }
    // The error budget is what the objective allows to fail, not the objective itself.
    let errorBudget = 1 - slo
    let threshold = 14.4
    // A NaN ratio gives a NaN burn rate, and NaN > 14.4 is false: no traffic, no page.
    let longBurnRate = longWindowErrorRatio / errorBudget
    let shortBurnRate = shortWindowErrorRatio / errorBudget
    return longBurnRate > threshold && shortBurnRate > threshold
}
