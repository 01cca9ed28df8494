import WorkbookKit

/// The checks of lesson 11, run against the exercise or the solution.
public enum AlertsAndSlosChecks {
    /// The signature of `shouldPage`: short-window error ratio, long-window error ratio, SLO.
    public typealias ShouldPage = @Sendable (Double, Double, Double) throws -> Bool

    /// The checks, each a case the 1h/5m page rule must decide right.
    static func checks(_ shouldPage: @escaping ShouldPage) -> [Check] {
        [
            Check("no errors in either window: no page") {
                try expectEqual(try shouldPage(0, 0, 0.999), false)
            },
            Check("both windows at 2 % errors against a 99.9 % SLO (burn rate 20): page") {
                try expectEqual(try shouldPage(0.02, 0.02, 0.999), true)
            },
            Check("an incident that is over (1h window at 20, 5m window at 0.1): no page") {
                try expectEqual(try shouldPage(0.0001, 0.02, 0.999), false)
            },
            Check("a spike that has just begun (5m window at 500, 1h window at 10): no page") {
                try expectEqual(try shouldPage(0.5, 0.01, 0.999), false)
            },
            Check("a burn rate of exactly 14.4 in both windows is not more than 14.4: no page") {
                let exactly = 14.4 * (1 - 0.999)
                try expectEqual(try shouldPage(exactly, exactly, 0.999), false)
            },
            Check("a burn rate of 14.5 in both windows: page") {
                try expectEqual(try shouldPage(0.0145, 0.0145, 0.999), true)
            },
            Check("the budget is 1 − SLO: 2 % errors against a 99 % SLO burn at 2: no page") {
                try expectEqual(try shouldPage(0.02, 0.02, 0.99), false)
            },
            Check("15 % errors against a 99 % SLO (burn rate 15): page") {
                try expectEqual(try shouldPage(0.15, 0.15, 0.99), true)
            },
            Check("a window without requests (error ratio NaN) does not page") {
                try expectEqual([try shouldPage(.nan, 0.02, 0.999), try shouldPage(0.02, .nan, 0.999)], [false, false])
            },
            Check("an SLO of 1 (no budget), 0 or 99.9 (a percentage) throws InvalidObjective") {
                try expectEqual(try thrown { try shouldPage(0.02, 0.02, 1) }, "InvalidObjective(slo: 1.0)")
                try expectEqual(try thrown { try shouldPage(0.02, 0.02, 0) }, "InvalidObjective(slo: 0.0)")
                try expectEqual(try thrown { try shouldPage(0.02, 0.02, 99.9) }, "InvalidObjective(slo: 99.9)")
            },
        ]
    }

    /// What `body` threw, as text to compare: "InvalidObjective(slo: 1.0)", another error's
    /// description, or "no error" when it returned. `NotAttemptedYet` passes through.
    private static func thrown(_ body: () throws -> Bool) throws -> String {
        do {
            let answer = try body()
            return "no error (it returned \(answer))"
        } catch is NotAttemptedYet {
            throw NotAttemptedYet()
        } catch let error as InvalidObjective {
            return "InvalidObjective(slo: \(error.slo))"
        } catch {
            return "\(type(of: error)): \(error)"
        }
    }
}
