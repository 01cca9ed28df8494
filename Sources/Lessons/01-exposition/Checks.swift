import WorkbookKit

/// The checks of lesson 1, run against the exercise or the solution.
public enum ExpositionChecks {
    /// The signature of `renderSampleLine`.
    public typealias Render = @Sendable (String, [(name: String, value: String)], Double) throws -> String

    static func checks(_ render: @escaping Render) -> [Check] {
        [
            Check("a series without labels has no braces") {
                try expectEqual(try render("up", [], 1), "up 1")
            },
            Check("one label goes in braces, its value in double quotes") {
                try expectEqual(try render("http_requests_total", [("method", "GET")], 3), #"http_requests_total{method="GET"} 3"#)
            },
            Check("several labels keep their order, joined by commas") {
                try expectEqual(
                    try render("http_requests_total", [("path", "/"), ("method", "POST"), ("code", "500")], 2),
                    #"http_requests_total{path="/",method="POST",code="500"} 2"#)
            },
            Check("a double quote in a label value is escaped as \\\"") {
                try expectEqual(try render("log_lines_total", [("message", #"say "hi""#)], 1), #"log_lines_total{message="say \"hi\""} 1"#)
            },
            Check("a backslash in a label value is escaped as \\\\") {
                try expectEqual(try render("files_total", [("path", #"C:\temp"#)], 4), #"files_total{path="C:\\temp"} 4"#)
            },
            Check("a line feed in a label value is escaped as \\n") {
                try expectEqual(try render("errors_total", [("text", "first\nsecond")], 1), #"errors_total{text="first\nsecond"} 1"#)
            },
            Check("a backslash before a quote is escaped once each, backslash first") {
                try expectEqual(try render("odd_total", [("value", #"\""#)], 1), #"odd_total{value="\\\""} 1"#)
            },
            Check("non-ASCII and empty label values are written as they are") {
                try expectEqual(
                    try render("visits_total", [("city", "Zürich ☃"), ("team", "")], 0.25),
                    #"visits_total{city="Zürich ☃",team=""} 0.25"#)
            },
            Check("special values are written +Inf and NaN") {
                try expectEqual(try render("temperature_celsius", [("room", "lab")], .infinity), #"temperature_celsius{room="lab"} +Inf"#)
                try expectEqual(try render("temperature_celsius", [], .nan), "temperature_celsius NaN")
            },
        ]
    }
}
