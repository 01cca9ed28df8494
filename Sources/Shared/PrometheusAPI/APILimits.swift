/// The bounds on what one API request may ask for, beyond the engine's own (its sample
/// budget, `PromQLEngine.maximumSamples`, and its longest run, `PromQLEngine.timeoutSeconds`).
///
/// Prometheus bounds a range query to 11,000 points per series and every query by its
/// timeout and sample budget; these add a cap on the size of an answer, which is what a
/// browser tab has to hold, and on the size of the request's parameters. An answer over a
/// cap is refused with `execution` (422); parameters over a cap with `bad_data` (400).
public struct APILimits: Sendable, Equatable {
    /// The most series one answer may hold (a vector's elements, a matrix's series, the
    /// label sets of `/api/v1/series`).
    public var maximumSeries: Int
    /// The most points one answer may hold, summed over its series.
    public var maximumPoints: Int
    /// The most bytes the URL query and the form body may take together.
    public var maximumParameterBytes: Int
    /// The most parameters (`name=value` pairs) a request may carry.
    public var maximumParameters: Int

    /// Limits; each must be positive.
    public init(
        maximumSeries: Int = 10_000, maximumPoints: Int = 5_000_000,
        maximumParameterBytes: Int = 1 << 20, maximumParameters: Int = 10_000
    ) {
        precondition(maximumSeries > 0 && maximumPoints > 0, "APILimits: the series and point caps must be positive")
        precondition(maximumParameterBytes > 0 && maximumParameters > 0, "APILimits: the parameter caps must be positive")
        self.maximumSeries = maximumSeries
        self.maximumPoints = maximumPoints
        self.maximumParameterBytes = maximumParameterBytes
        self.maximumParameters = maximumParameters
    }
}
