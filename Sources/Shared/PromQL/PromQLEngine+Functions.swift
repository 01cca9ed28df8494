import Foundation
import TimeSeries

/// Function calls.
extension Evaluation {
    func call(_ function: PromQLFunction, _ arguments: [PromQLExpression], at time: Int64) throws -> EvaluatedValue {
        switch function {
        case .time: return .scalar(Double(time) / 1000)
        case .pi: return .scalar(Double.pi)
        case .vector: return .vector([EvaluatedSample(labels: LabelSet([:]), value: try scalar(arguments[0], at: time), timestamp: time)])
        case .scalar:
            let samples = try vector(arguments[0], at: time)
            return .scalar(samples.count == 1 ? samples[0].value : .nan)
        case .rate, .increase, .delta, .irate, .idelta, .deriv, .changes, .resets, .predictLinear, .holtWinters, .doubleExponentialSmoothing,
             .avgOverTime, .minOverTime, .maxOverTime, .sumOverTime, .countOverTime, .quantileOverTime, .stddevOverTime, .stdvarOverTime,
             .firstOverTime, .lastOverTime, .presentOverTime:
            return .vector(try overRange(function, arguments, at: time))
        case .absentOverTime:
            let range = try rangeArgument(arguments[0], at: time)
            return .vector(range.series.isEmpty ? [EvaluatedSample(labels: absentLabels(arguments[0]), value: 1, timestamp: time)] : [])
        case .absent:
            let samples = try vector(arguments[0], at: time)
            return .vector(samples.isEmpty ? [EvaluatedSample(labels: absentLabels(arguments[0]), value: 1, timestamp: time)] : [])
        case .timestamp:
            let samples = try vector(arguments[0], at: time)
            // A bare selector reports its samples' own times; anything computed, the evaluation time.
            let bare = Self.isBareSelector(arguments[0])
            return .vector(try unique(samples.map {
                EvaluatedSample(labels: $0.labels.droppingMetricName, value: Double(bare ? $0.timestamp : time) / 1000, timestamp: time)
            }))
        case .histogramQuantile:
            return .vector(try histogramQuantile(try scalar(arguments[0], at: time), try vector(arguments[1], at: time), at: time))
        case .histogramFraction:
            let lower = try scalar(arguments[0], at: time), upper = try scalar(arguments[1], at: time)
            return .vector(try histogramFraction(lower: lower, upper: upper, try vector(arguments[2], at: time), at: time))
        case .labelReplace:
            return .vector(try labelReplace(arguments, at: time))
        case .labelJoin:
            return .vector(try labelJoin(arguments, at: time))
        case .sort, .sortDesc:
            let samples = try vector(arguments[0], at: time)
            let ascending = function == .sort
            return .vector(samples.sorted { a, b in
                if a.value.isNaN != b.value.isNaN { return !a.value.isNaN }
                if a.value != b.value, !a.value.isNaN { return ascending ? a.value < b.value : a.value > b.value }
                return a.labels < b.labels
            })
        case .round:
            let samples = try vector(arguments[0], at: time)
            let nearest = arguments.count > 1 ? try scalar(arguments[1], at: time) : 1
            let inverse = 1 / nearest
            return .vector(try unique(samples.map {
                EvaluatedSample(labels: $0.labels.droppingMetricName, value: (($0.value * inverse + 0.5).rounded(.down)) / inverse, timestamp: time)
            }))
        case .clamp:
            let samples = try vector(arguments[0], at: time)
            let lower = try scalar(arguments[1], at: time), upper = try scalar(arguments[2], at: time)
            guard !(upper < lower) else { return .vector([]) }
            return .vector(try elementwise(samples, at: time) { PromQLMath.max(lower, PromQLMath.min(upper, $0)) })
        case .clampMin:
            let bound = try scalar(arguments[1], at: time)
            return .vector(try elementwise(try vector(arguments[0], at: time), at: time) { PromQLMath.max(bound, $0) })
        case .clampMax:
            let bound = try scalar(arguments[1], at: time)
            return .vector(try elementwise(try vector(arguments[0], at: time), at: time) { PromQLMath.min(bound, $0) })
        case .minute, .hour, .month, .year, .dayOfMonth, .dayOfWeek, .dayOfYear, .daysInMonth:
            guard let argument = arguments.first else {
                return .vector([EvaluatedSample(labels: LabelSet([:]), value: Self.calendar(function, seconds: Double(time / 1000)), timestamp: time)])
            }
            return .vector(try elementwise(try vector(argument, at: time), at: time) { Self.calendar(function, seconds: $0) })
        default:
            let math = try Self.elementFunction(function)
            return .vector(try elementwise(try vector(arguments[0], at: time), at: time, math))
        }
    }

    /// Applies `transform` to each value, dropping the metric name.
    func elementwise(_ samples: [EvaluatedSample], at time: Int64, _ transform: (Double) -> Double) throws -> [EvaluatedSample] {
        try unique(samples.map { EvaluatedSample(labels: $0.labels.droppingMetricName, value: transform($0.value), timestamp: time) })
    }

    static func elementFunction(_ function: PromQLFunction) throws -> (Double) -> Double {
        switch function {
        case .abs: return { Swift.abs($0) }
        case .ceil: return { $0.rounded(.up) }
        case .floor: return { $0.rounded(.down) }
        case .exp: return { Foundation.exp($0) }
        case .sqrt: return { Foundation.sqrt($0) }
        case .ln: return { Foundation.log($0) }
        case .log2: return { Foundation.log2($0) }
        case .log10: return { Foundation.log10($0) }
        case .sgn: return { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }
        case .acos: return { Foundation.acos($0) }
        case .acosh: return { Foundation.acosh($0) }
        case .asin: return { Foundation.asin($0) }
        case .asinh: return { Foundation.asinh($0) }
        case .atan: return { Foundation.atan($0) }
        case .atanh: return { Foundation.atanh($0) }
        case .cos: return { Foundation.cos($0) }
        case .cosh: return { Foundation.cosh($0) }
        case .sin: return { Foundation.sin($0) }
        case .sinh: return { Foundation.sinh($0) }
        case .tan: return { Foundation.tan($0) }
        case .tanh: return { Foundation.tanh($0) }
        case .deg: return { $0 * 180 / Double.pi }
        case .rad: return { $0 * Double.pi / 180 }
        default: throw PromQLError(message: "\(function.rawValue) is not an element-wise function")
        }
    }

    /// A calendar field of the UTC time `seconds` after the epoch.
    static func calendar(_ function: PromQLFunction, seconds: Double) -> Double {
        guard seconds.isFinite, Swift.abs(seconds) < 1e15 else { return .nan }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: seconds.rounded(.towardZero))
        let parts = calendar.dateComponents([.minute, .hour, .day, .month, .year, .weekday], from: date)
        switch function {
        case .minute: return Double(parts.minute!)
        case .hour: return Double(parts.hour!)
        case .dayOfMonth: return Double(parts.day!)
        case .dayOfWeek: return Double(parts.weekday! - 1)
        case .dayOfYear: return Double(calendar.ordinality(of: .day, in: .year, for: date)!)
        case .daysInMonth: return Double(calendar.range(of: .day, in: .month, for: date)!.count)
        case .month: return Double(parts.month!)
        default: return Double(parts.year!)
        }
    }

    static func isBareSelector(_ expression: PromQLExpression) -> Bool {
        switch expression {
        case .vectorSelector: true
        case .parentheses(let inner): isBareSelector(inner)
        default: false
        }
    }

    /// The labels `absent` gives its one sample: each label the selector pins with a single `=`.
    func absentLabels(_ expression: PromQLExpression) -> LabelSet {
        let matchers: [LabelMatcher]
        switch expression {
        case .parentheses(let inner): return absentLabels(inner)
        case .vectorSelector(let selector), .matrixSelector(let selector, _): matchers = selector.matchers
        default: return LabelSet([:])
        }
        var pairs: [String: String] = [:]
        var dropped = Set<String>()
        for matcher in matchers where matcher.name != LabelSet.metricNameLabel {
            if matcher.kind == .equal, pairs[matcher.name] == nil, !dropped.contains(matcher.name) {
                pairs[matcher.name] = matcher.value
            } else {
                dropped.insert(matcher.name)
            }
        }
        for name in dropped { pairs[name] = nil }
        return LabelSet(pairs.filter { !$0.value.isEmpty })
    }

    /// The range functions, one result per series that has what the function needs.
    func overRange(_ function: PromQLFunction, _ arguments: [PromQLExpression], at time: Int64) throws -> [EvaluatedSample] {
        let rangeIndex = function == .quantileOverTime ? 1 : 0
        var phi = Double.nan, parameterA = 0.0, parameterB = 0.0
        if function == .quantileOverTime { phi = try scalar(arguments[0], at: time) }
        if function == .predictLinear { parameterA = try scalar(arguments[1], at: time) }
        if function == .holtWinters || function == .doubleExponentialSmoothing {
            parameterA = try scalar(arguments[1], at: time)
            parameterB = try scalar(arguments[2], at: time)
            guard parameterA > 0, parameterA < 1 else { throw PromQLError(message: "invalid smoothing factor. Expected: 0 < sf < 1, got: \(parameterA)") }
            guard parameterB > 0, parameterB < 1 else { throw PromQLError(message: "invalid trend factor. Expected: 0 < tf < 1, got: \(parameterB)") }
        }
        let range = try rangeArgument(arguments[rangeIndex], at: time)
        let semantics = engine.semantics
        var result: [EvaluatedSample] = []
        for series in range.series {
            let samples = series.samples
            let values = samples.map(\.value)
            let value: Double? = switch function {
            case .rate: RangeFunctions.extrapolatedRate(samples, rangeStart: range.start, rangeEnd: range.end, isCounter: true, isRate: true, semantics: semantics)
            case .increase: RangeFunctions.extrapolatedRate(samples, rangeStart: range.start, rangeEnd: range.end, isCounter: true, isRate: false, semantics: semantics)
            case .delta: RangeFunctions.extrapolatedRate(samples, rangeStart: range.start, rangeEnd: range.end, isCounter: false, isRate: false, semantics: semantics)
            case .irate: RangeFunctions.instantRate(samples, isRate: true)
            case .idelta: RangeFunctions.instantRate(samples, isRate: false)
            case .deriv: samples.count < 2 ? nil : RangeFunctions.linearRegression(samples, interceptTime: samples[samples.startIndex].timestamp).slope
            case .predictLinear:
                samples.count < 2 ? nil : {
                    let line = RangeFunctions.linearRegression(samples, interceptTime: time)
                    return line.intercept + line.slope * parameterA
                }()
            case .holtWinters, .doubleExponentialSmoothing: RangeFunctions.doubleExponentialSmoothing(samples, smoothing: parameterA, trend: parameterB)
            case .changes: RangeFunctions.changes(samples)
            case .resets: RangeFunctions.resets(samples)
            case .avgOverTime: RangeFunctions.average(values)
            case .sumOverTime: RangeFunctions.sum(values)
            case .countOverTime: Double(values.count)
            case .minOverTime: values.dropFirst().reduce(values[0]) { $0 > $1 || $0.isNaN ? $1 : $0 }
            case .maxOverTime: values.dropFirst().reduce(values[0]) { $0 < $1 || $0.isNaN ? $1 : $0 }
            case .quantileOverTime: PromQLMath.quantile(phi, values)
            case .stdvarOverTime: RangeFunctions.variance(values)
            case .stddevOverTime: Foundation.sqrt(RangeFunctions.variance(values))
            case .firstOverTime: values.first
            case .lastOverTime: values.last
            case .presentOverTime: 1
            default: nil
            }
            guard let value else { continue }
            let labels = function.keepsMetricName ? series.labels : series.labels.droppingMetricName
            result.append(EvaluatedSample(labels: labels, value: value, timestamp: time))
        }
        return try unique(result)
    }

    /// `histogram_quantile(φ, buckets)`: one quantile per classic histogram, without the metric name.
    func histogramQuantile(_ phi: Double, _ samples: [EvaluatedSample], at time: Int64) throws -> [EvaluatedSample] {
        try unique(classicHistograms(samples).map { histogram in
            EvaluatedSample(labels: histogram.labels.droppingMetricName, value: HistogramQuantile.quantile(phi, histogram.buckets), timestamp: time)
        })
    }

    /// `histogram_fraction(lower, upper, buckets)`: for each classic histogram, the share of its
    /// observations between `lower` and `upper`, without the metric name.
    func histogramFraction(lower: Double, upper: Double, _ samples: [EvaluatedSample], at time: Int64) throws -> [EvaluatedSample] {
        try unique(classicHistograms(samples).map { histogram in
            EvaluatedSample(
                labels: histogram.labels.droppingMetricName,
                value: HistogramFraction.fraction(lower: lower, upper: upper, histogram.buckets), timestamp: time)
        })
    }

    /// The classic histograms among `samples`: the `le` buckets grouped by every other label (the
    /// metric name included, so two histograms never mix), in the order they first appear.
    /// A sample without an `le` label, or with one that is not a number, is no bucket and is left out.
    func classicHistograms(_ samples: [EvaluatedSample]) -> [(labels: LabelSet, buckets: [ClassicBucket])] {
        var groups: [LabelSet: [ClassicBucket]] = [:]
        var order: [LabelSet] = []
        for sample in samples {
            let text = sample.labels["le"]
            guard !text.isEmpty, let bound = Self.parseBound(text) else { continue }
            let key = sample.labels.removing(["le"])
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(.init(upperBound: bound, count: sample.value))
        }
        return order.map { ($0, groups[$0]!) }
    }

    /// A bucket bound as Go's ParseFloat reads it: `0.5`, `1e3`, `+Inf`, `inf`.
    static func parseBound(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return Double(text.replacingOccurrences(of: "_", with: ""))
        }
    }

    func labelReplace(_ arguments: [PromQLExpression], at time: Int64) throws -> [EvaluatedSample] {
        let samples = try vector(arguments[0], at: time)
        guard case .string(let destination) = try evaluate(arguments[1], at: time),
              case .string(let replacement) = try evaluate(arguments[2], at: time),
              case .string(let source) = try evaluate(arguments[3], at: time),
              case .string(let pattern) = try evaluate(arguments[4], at: time)
        else { throw PromQLError(message: "label_replace needs four strings") }
        let regex: AnchoredRegex
        do {
            regex = try AnchoredRegex(pattern, dotMatchesNewline: engine.semantics == .prometheus3)
        } catch {
            throw PromQLError(message: "invalid regular expression in label_replace(): \(pattern)")
        }
        guard LabelSet.isValidLabelName(destination) || (engine.semantics == .prometheus3 && !destination.isEmpty) else {
            throw PromQLError(message: "invalid destination label name in label_replace(): \(destination)")
        }
        return try unique(samples.map { sample in
            guard let groups = regex.captures(in: sample.labels[source]) else { return sample }
            let value = Self.expand(replacement, groups: groups, regex: regex)
            var changed = sample
            changed.labels = value.isEmpty ? sample.labels.removing([destination]) : sample.labels.setting(destination, to: value)
            return changed
        })
    }

    /// Go's `Regexp.Expand`: `$1`, `${1}`, `$name`, `${name}` become the group's text (a group
    /// that does not exist becomes ""), `$$` a dollar sign. In `$name` the name is the longest
    /// run of letters, digits and underscores, so `$1x` names the group "1x".
    static func expand(_ template: String, groups: [String], regex: AnchoredRegex) -> String {
        var result = ""
        var scalars = Array(template.unicodeScalars)[...]
        func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || (scalar.isASCII && (scalar.properties.isAlphabetic || PromQLLexer.isDigit(scalar)))
        }
        while let scalar = scalars.popFirst() {
            guard scalar == "$", let next = scalars.first else {
                result.unicodeScalars.append(scalar)
                continue
            }
            if next == "$" {
                scalars.removeFirst()
                result += "$"
                continue
            }
            var name = ""
            if next == "{" {
                guard let close = scalars.firstIndex(of: "}") else {
                    result += "$"
                    continue
                }
                name = String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<close]))
                guard !name.isEmpty, name.unicodeScalars.allSatisfy(isNameCharacter) else {
                    result += "$"
                    continue
                }
                scalars = scalars[scalars.index(after: close)...]
            } else {
                while let candidate = scalars.first, isNameCharacter(candidate) {
                    name.unicodeScalars.append(candidate)
                    scalars.removeFirst()
                }
                guard !name.isEmpty else {
                    result += "$"
                    continue
                }
            }
            if let number = Int(name), name.unicodeScalars.allSatisfy(PromQLLexer.isDigit) {
                if number < groups.count { result += groups[number] }
            } else if let number = regex.groupNumber(named: name), number < groups.count {
                result += groups[number]
            }
        }
        return result
    }

    func labelJoin(_ arguments: [PromQLExpression], at time: Int64) throws -> [EvaluatedSample] {
        let samples = try vector(arguments[0], at: time)
        var strings: [String] = []
        for argument in arguments.dropFirst() {
            guard case .string(let text) = try evaluate(argument, at: time) else { throw PromQLError(message: "label_join needs strings after the vector") }
            strings.append(text)
        }
        let destination = strings[0], separator = strings[1], sources = Array(strings.dropFirst(2))
        guard LabelSet.isValidLabelName(destination) || (engine.semantics == .prometheus3 && !destination.isEmpty) else {
            throw PromQLError(message: "invalid destination label name in label_join(): \(destination)")
        }
        return try unique(samples.map { sample in
            let value = sources.map { sample.labels[$0] }.joined(separator: separator)
            var changed = sample
            changed.labels = value.isEmpty ? sample.labels.removing([destination]) : sample.labels.setting(destination, to: value)
            return changed
        })
    }
}
