/// An availability objective that is not a fraction strictly between 0 and 1.
///
/// 1 leaves no error budget at all, 0 promises nothing, and 99.9 is a percentage where a
/// fraction (0.999) was meant. `shouldPage` throws it for such an objective.
struct InvalidObjective: Error, Equatable, CustomStringConvertible {
    /// The objective that was given.
    let slo: Double

    /// What went wrong, and what was meant.
    var description: String {
        "an SLO must be a fraction strictly between 0 and 1, such as 0.999 for 99.9 %; got \(slo)"
    }
}
