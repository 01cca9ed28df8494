import PromQL

/// Times and durations as Prometheus's HTTP API reads and writes them.
///
/// A time is Unix seconds, with a fraction (`1700000000.5`), or RFC 3339
/// (`2023-11-14T22:13:20.5Z`, `2023-11-14T23:13:20+01:00`); the API stores milliseconds, so
/// a fraction is rounded to the millisecond and an RFC 3339 fraction cut to it, as
/// Prometheus does. A duration is seconds (`15`, `0.5`) or a PromQL duration (`1m`, `1h30m`).
/// See https://prometheus.io/docs/prometheus/latest/querying/api/#format-overview
enum APITime {
    /// The earliest and latest times the API reads, in milliseconds: the engine's range.
    static let latestMilliseconds: Int64 = 9_200_000_000_000_000

    /// Whether a query may be evaluated at `milliseconds`: the engine's range, which leaves
    /// out the earliest and latest times, good only for bounding series lookups.
    static func isQueryable(_ milliseconds: Int64) -> Bool {
        milliseconds >= -latestMilliseconds && milliseconds <= latestMilliseconds
    }

    /// How Prometheus writes its earliest and latest times, which clients send back to mean
    /// "from the beginning" and "to the end"; read as `Int64.min` and `Int64.max`.
    static let minimumTimeText = "-292273086-05-16T16:47:06Z"
    static let maximumTimeText = "292277025-08-18T07:12:54.999999999Z"

    /// `text` as milliseconds since the epoch, or a reason it is not a time.
    static func milliseconds(_ text: String) -> Result<Int64, Reason> {
        if let seconds = Double(text) {
            guard seconds.isFinite, Swift.abs(seconds) * 1000 <= Double(latestMilliseconds) else {
                return .failure(Reason("\(quoted(text)) is out of range: a time must be within 9.2e12 seconds of 1970"))
            }
            // Go's math.Modf, math.Round and time.Unix, as Prometheus's parseTime uses them.
            let whole = seconds.rounded(.towardZero)
            let fraction = ((seconds - whole) * 1000).rounded() / 1000
            var wholeSeconds = Int64(whole), nanoseconds = Int64(fraction * 1e9)
            if nanoseconds < 0 {
                wholeSeconds -= 1
                nanoseconds += 1_000_000_000
            }
            return .success(wholeSeconds * 1000 + nanoseconds / 1_000_000)
        }
        if let milliseconds = rfc3339Milliseconds(text) { return .success(milliseconds) }
        if text == minimumTimeText { return .success(.min) }
        if text == maximumTimeText { return .success(.max) }
        return .failure(Reason("cannot parse \(quoted(text)) to a valid timestamp"))
    }

    /// `text` as a duration in nanoseconds (Go's `time.Duration`), or a reason it is not one.
    static func nanoseconds(_ text: String) -> Result<Int64, Reason> {
        let overflow = Reason("cannot parse \(quoted(text)) to a valid duration. It overflows int64")
        if let seconds = Double(text), !seconds.isNaN {
            let nanoseconds = seconds * 1e9
            // 2^63 is the first Double past Int64.max.
            guard nanoseconds < 9.223372036854775807e18, nanoseconds >= -9.223372036854775807e18 else { return .failure(overflow) }
            return .success(Int64(nanoseconds))
        }
        if let milliseconds = PromQLParser.duration(text) {
            let (nanoseconds, overflowed) = milliseconds.multipliedReportingOverflow(by: 1_000_000)
            return overflowed ? .failure(overflow) : .success(nanoseconds)
        }
        return .failure(Reason("cannot parse \(quoted(text)) to a valid duration"))
    }

    /// Milliseconds since the epoch in RFC 3339, in UTC, with as many fraction digits as
    /// needed (none for a whole second): `2023-11-14T22:13:20.5Z`, as Go writes a time in JSON.
    static func rfc3339(_ milliseconds: Int64) -> String {
        let (days, dayMilliseconds) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = civilDate(days)
        let seconds = dayMilliseconds / 1000, fraction = dayMilliseconds % 1000
        var text = fixed(year, 4) + "-" + fixed(month, 2) + "-" + fixed(day, 2) + "T"
            + fixed(seconds / 3600, 2) + ":" + fixed(seconds / 60 % 60, 2) + ":" + fixed(seconds % 60, 2)
        if fraction != 0 {
            var digits = fixed(fraction, 3)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    /// Why a text is not a time or a duration.
    struct Reason: Error, CustomStringConvertible {
        let description: String

        init(_ description: String) {
            self.description = description
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` as milliseconds since the epoch; nil when
    /// malformed or naming no real moment (February 30th, 25 o'clock).
    private static func rfc3339Milliseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int, is character: Unicode.Scalar) -> Bool {
            index < bytes.count && bytes[index] == UInt8(ascii: character)
        }
        guard let year = number(0..<4), byte(4, is: "-"), let month = number(5..<7), byte(7, is: "-"),
              let day = number(8..<10), byte(10, is: "T"), let hour = number(11..<13), byte(13, is: ":"),
              let minute = number(14..<16), byte(16, is: ":"), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fractionMilliseconds: Int64 = 0
        if byte(index, is: ".") || byte(index, is: ",") {
            index += 1
            let digitsStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > digitsStart else { return nil }
            // Milliseconds are the API's resolution: later digits are cut, as Prometheus cuts them.
            let digits = bytes[digitsStart..<min(index, digitsStart + 3)]
            fractionMilliseconds = digits.reduce(0) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
            for _ in digits.count..<3 { fractionMilliseconds *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if byte(index, is: "Z") {
            index += 1
        } else if byte(index, is: "+") || byte(index, is: "-") {
            guard let offsetHours = number(index + 1..<index + 3), byte(index + 3, is: ":"),
                  let offsetMinute = number(index + 4..<index + 6), offsetHours < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = (offsetHours * 60 + offsetMinute) * (byte(index, is: "-") ? -1 : 1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count, (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
              hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysSinceEpoch(year, month, day)
        let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second - offsetMinutes * 60
        return seconds * 1000 + fractionMilliseconds
    }

    private static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    /// (Howard Hinnant's `days_from_civil`: http://howardhinnant.github.io/date_algorithms.html)
    private static func daysSinceEpoch(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivision(shiftedYear, 400).quotient
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
    private static func civilDate(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivision(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Division rounding toward negative infinity, with a remainder that is never negative.
    private static func floorDivision(_ dividend: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = dividend / divisor, remainder = dividend % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// `value` in at least `width` digits, zero-padded (a minus sign in front when negative).
    private static func fixed(_ value: Int64, _ width: Int) -> String {
        let digits = String(Swift.abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
