/// The PromQL functions over floats, as Prometheus 3 names them (and `holt_winters`, the
/// Prometheus 2 name of `double_exponential_smoothing`).
public enum PromQLFunction: String, Sendable, CaseIterable {
    // Over a range of samples.
    case rate, increase, delta, irate, idelta, deriv, changes, resets
    case predictLinear = "predict_linear"
    case holtWinters = "holt_winters"
    case doubleExponentialSmoothing = "double_exponential_smoothing"
    case avgOverTime = "avg_over_time", minOverTime = "min_over_time", maxOverTime = "max_over_time"
    case sumOverTime = "sum_over_time", countOverTime = "count_over_time"
    case quantileOverTime = "quantile_over_time"
    case stddevOverTime = "stddev_over_time", stdvarOverTime = "stdvar_over_time"
    case firstOverTime = "first_over_time", lastOverTime = "last_over_time", presentOverTime = "present_over_time"
    case absentOverTime = "absent_over_time"
    // Element by element.
    case abs, ceil, floor, exp, sqrt, ln, log2, log10, sgn, round, clamp
    case clampMin = "clamp_min", clampMax = "clamp_max"
    case acos, acosh, asin, asinh, atan, atanh, cos, cosh, sin, sinh, tan, tanh, deg, rad
    case timestamp
    case minute, hour, month, year
    case dayOfMonth = "day_of_month", dayOfWeek = "day_of_week", dayOfYear = "day_of_year", daysInMonth = "days_in_month"
    // Whole vectors.
    case histogramQuantile = "histogram_quantile"
    case histogramFraction = "histogram_fraction"
    case labelReplace = "label_replace", labelJoin = "label_join"
    case absent, scalar, vector, sort
    case sortDesc = "sort_desc"
    case time, pi

    /// The argument types; `variadic` more of the last type may follow (−1: any number).
    var signature: (arguments: [PromQLType], optional: Int, returns: PromQLType) {
        switch self {
        case .rate, .increase, .delta, .irate, .idelta, .deriv, .changes, .resets,
             .avgOverTime, .minOverTime, .maxOverTime, .sumOverTime, .countOverTime,
             .stddevOverTime, .stdvarOverTime, .firstOverTime, .lastOverTime, .presentOverTime, .absentOverTime:
            ([.rangeVector], 0, .instantVector)
        case .predictLinear: ([.rangeVector, .scalar], 0, .instantVector)
        case .holtWinters, .doubleExponentialSmoothing: ([.rangeVector, .scalar, .scalar], 0, .instantVector)
        case .quantileOverTime: ([.scalar, .rangeVector], 0, .instantVector)
        case .abs, .ceil, .floor, .exp, .sqrt, .ln, .log2, .log10, .sgn, .acos, .acosh, .asin, .asinh, .atan, .atanh,
             .cos, .cosh, .sin, .sinh, .tan, .tanh, .deg, .rad, .timestamp, .absent, .sort, .sortDesc:
            ([.instantVector], 0, .instantVector)
        case .round: ([.instantVector, .scalar], 1, .instantVector)
        case .clamp: ([.instantVector, .scalar, .scalar], 0, .instantVector)
        case .clampMin, .clampMax: ([.instantVector, .scalar], 0, .instantVector)
        case .minute, .hour, .month, .year, .dayOfMonth, .dayOfWeek, .dayOfYear, .daysInMonth:
            ([.instantVector], 1, .instantVector)
        case .histogramQuantile: ([.scalar, .instantVector], 0, .instantVector)
        case .histogramFraction: ([.scalar, .scalar, .instantVector], 0, .instantVector)
        case .labelReplace: ([.instantVector, .string, .string, .string, .string], 0, .instantVector)
        case .labelJoin: ([.instantVector, .string, .string], -1, .instantVector)
        case .scalar: ([.instantVector], 0, .scalar)
        case .vector: ([.scalar], 0, .instantVector)
        case .time, .pi: ([], 0, .scalar)
        }
    }

    /// Whether the result keeps each series' metric name (most functions drop it: the value is
    /// no longer that metric).
    var keepsMetricName: Bool {
        switch self {
        case .firstOverTime, .lastOverTime, .labelReplace, .labelJoin, .sort, .sortDesc: true
        default: false
        }
    }

    /// Functions that exist in Prometheus but that the workbook does not evaluate, with why.
    static let unsupported: [String: String] = [
        "histogram_count": "native histograms are not supported by the workbook's PromQL (classic histograms are: use histogram_quantile over _bucket series)",
        "histogram_sum": "native histograms are not supported by the workbook's PromQL (classic histograms are: use the _sum series)",
        "histogram_avg": "native histograms are not supported by the workbook's PromQL (classic histograms are: divide the _sum series by the _count series)",
        "histogram_stddev": "native histograms are not supported by the workbook's PromQL",
        "histogram_stdvar": "native histograms are not supported by the workbook's PromQL",
        "mad_over_time": "mad_over_time is an experimental Prometheus function the workbook's PromQL does not support",
        "sort_by_label": "sort_by_label is an experimental Prometheus function the workbook's PromQL does not support",
        "sort_by_label_desc": "sort_by_label_desc is an experimental Prometheus function the workbook's PromQL does not support",
        "info": "info is an experimental Prometheus function the workbook's PromQL does not support",
        "limitk": "limitk is an experimental Prometheus aggregation the workbook's PromQL does not support",
        "limit_ratio": "limit_ratio is an experimental Prometheus aggregation the workbook's PromQL does not support",
        "ts_of_max_over_time": "ts_of_max_over_time is an experimental Prometheus function the workbook's PromQL does not support",
        "ts_of_min_over_time": "ts_of_min_over_time is an experimental Prometheus function the workbook's PromQL does not support",
        "ts_of_last_over_time": "ts_of_last_over_time is an experimental Prometheus function the workbook's PromQL does not support",
    ]
}
