import Foundation
import XCTest
import Platform

/// The real components the engine is checked against: promtool and Python's prometheus_client.
///
/// Missing tools skip the test with an install hint, unless `REQUIRE_REAL_TOOLS=1` (as
/// `.ci/run` sets after installing them): then a missing tool fails the test.
public enum RealTools {
    /// The path of `promtool`, or a skip (a failure under `REQUIRE_REAL_TOOLS=1`).
    public static func promtool() throws -> String {
        try find("promtool", hint: "apt-get install -y prometheus")
    }

    /// The path of `prometheus`, or a skip (a failure under `REQUIRE_REAL_TOOLS=1`).
    public static func prometheus() throws -> String {
        try find("prometheus", hint: "apt-get install -y prometheus")
    }

    /// The path of Debian's `docker-compose`, which validates a compose file without a Docker engine.
    public static func dockerCompose() throws -> String {
        try find("docker-compose", hint: "apt-get install -y docker-compose")
    }

    /// The path of a `python3` that can import `prometheus_client`, or a skip (a failure under `REQUIRE_REAL_TOOLS=1`).
    ///
    /// Tried in order: `$WORKBOOK_PYTHON`, the virtual environment `.ci/run` makes in
    /// `.build/python`, every `python3` on the PATH, and the system's `/usr/bin/python3` (where
    /// Debian's and Ubuntu's `python3-prometheus-client` installs it).
    public static func pythonWithPrometheusClient() throws -> String {
        try python(importing: "prometheus_client", named: "Python's prometheus_client",
                   hint: "apt-get install -y python3-prometheus-client, or in a venv: pip install prometheus-client")
    }

    /// The path of a `python3` that can import `yaml` (PyYAML), found the same way.
    public static func pythonWithYAML() throws -> String {
        try python(importing: "yaml", named: "Python's PyYAML", hint: "apt-get install -y python3-yaml, or in a venv: pip install pyyaml")
    }

    /// The path of a `python3` that can import `selenium`, found the same way; for driving Chromium.
    public static func pythonWithSelenium() throws -> String {
        try python(importing: "selenium", named: "Python's Selenium", hint: "apt-get install -y python3-selenium, or in a venv: pip install selenium")
    }

    /// The path of Debian's `chromium`, the real browser the web console's pages are loaded in.
    public static func chromium() throws -> String {
        try find("chromium", hint: "apt-get install -y chromium chromium-driver")
    }

    /// The path of `chromedriver` (Debian's `chromium-driver`), through which Selenium drives Chromium.
    public static func chromedriver() throws -> String {
        try find("chromedriver", hint: "apt-get install -y chromium-driver")
    }

    private static func python(importing module: String, named name: String, hint: String) throws -> String {
        var candidates: [String] = []
        if let chosen = ProcessInfo.processInfo.environment["WORKBOOK_PYTHON"] { candidates.append(chosen) }
        candidates.append(LearnersExercise.root.appendingPathComponent(".build/python/bin/python3").path)
        candidates += executables(named: "python3")
        candidates.append("/usr/bin/python3")
        for python in candidates where FileManager.default.isExecutableFile(atPath: python) {
            if try runProcess(python, ["-c", "import \(module)"], timeout: 60).status == 0 { return python }
        }
        throw missing(name, hint: hint)
    }

    private static var required: Bool {
        ProcessInfo.processInfo.environment["REQUIRE_REAL_TOOLS"] == "1"
    }

    private static func find(_ tool: String, hint: String) throws -> String {
        guard let found = executables(named: tool).first else { throw missing(tool, hint: hint) }
        return found
    }

    /// Every executable called `tool` on the PATH, in the PATH's order.
    private static func executables(named tool: String) -> [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.filter { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func missing(_ tool: String, hint: String) -> Error {
        let message = "\(tool) is not installed (\(hint))"
        if required {
            XCTFail("REQUIRE_REAL_TOOLS=1 but \(message)")
            return MissingTool(message: message)
        }
        return XCTSkip("\(message); skipping the comparison with the real tool")
    }

    struct MissingTool: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// Exposition helpers shared by the tests.
public enum ExpositionCheck {
    /// Runs `promtool check metrics` on `text`; returns its findings (empty when clean) and exit status.
    public static func promtoolFindings(_ text: String) throws -> (status: Int32, findings: String) {
        let result = try runProcess(try RealTools.promtool(), ["check", "metrics"], input: text)
        return (result.status, (result.stdout + result.stderr).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Parses `text` with prometheus_client's parser (the strict OpenMetrics one, or the 0.0.4 one)
    /// and returns every sample in order. Values travel as hexadecimal floats, so they are compared
    /// bit for bit; `le` and `quantile` label values are normalised to Swift's spelling of the number.
    public static func pythonSamples(_ text: String, openMetrics: Bool) throws -> (status: Int32, samples: [ParsedSample], error: String) {
        let parser = openMetrics ? "prometheus_client.openmetrics.parser" : "prometheus_client.parser"
        let script = """
            import sys, json
            from \(parser) import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    print(s.name + "\\t" + json.dumps(s.labels, ensure_ascii=False) + "\\t" + float(s.value).hex())
            """
        let result = try runProcess(try RealTools.pythonWithPrometheusClient(), ["-c", script], input: text)
        let samples = result.stdout.split(separator: "\n").compactMap { line -> ParsedSample? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3,
                  let object = try? JSONSerialization.jsonObject(with: Data(fields[1].utf8)) as? [String: String],
                  let value = Double(fields[2])
            else { return nil }
            var labels = object
            for key in ["le", "quantile"] {
                if let text = labels[key], let number = Double(text) { labels[key] = String(number) }
            }
            return ParsedSample(name: String(fields[0]), labels: labels, value: value)
        }
        return (result.status, samples, result.stderr)
    }
}

extension ExpositionCheck {
    /// Parses `text` with prometheus_client's strict OpenMetrics parser and returns, in order,
    /// every sample that carries an exemplar, with it. Values and timestamps travel as
    /// hexadecimal floats, so they are compared bit for bit.
    public static func pythonExemplars(_ text: String) throws -> (status: Int32, exemplars: [ParsedExemplar], error: String) {
        let script = """
            import sys, json
            from prometheus_client.openmetrics.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(sys.stdin.read()):
                for s in family.samples:
                    e = s.exemplar
                    if e is None:
                        continue
                    stamp = "" if e.timestamp is None else float(e.timestamp).hex()
                    print("\\t".join([s.name, json.dumps(s.labels), json.dumps(e.labels), float(e.value).hex(), stamp]))
            """
        let result = try runProcess(try RealTools.pythonWithPrometheusClient(), ["-c", script], input: text)
        let exemplars = result.stdout.split(separator: "\n").compactMap { line -> ParsedExemplar? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 5,
                  let sampleLabels = try? JSONSerialization.jsonObject(with: Data(fields[1].utf8)) as? [String: String],
                  let labels = try? JSONSerialization.jsonObject(with: Data(fields[2].utf8)) as? [String: String],
                  let value = Double(fields[3])
            else { return nil }
            return ParsedExemplar(
                sampleName: String(fields[0]), sampleLabels: sampleLabels, labels: labels, value: value,
                timestamp: fields[4].isEmpty ? nil : Double(fields[4]))
        }
        return (result.status, exemplars, result.stderr)
    }
}

/// One exemplar as a parser read it, with the sample that carried it.
public struct ParsedExemplar: Equatable, Sendable {
    public let sampleName: String
    public let sampleLabels: [String: String]
    public let labels: [String: String]
    public let value: Double
    public let timestamp: Double?

    public init(sampleName: String, sampleLabels: [String: String], labels: [String: String], value: Double, timestamp: Double?) {
        self.sampleName = sampleName
        self.sampleLabels = sampleLabels
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// One sample as a parser read it.
public struct ParsedSample: Equatable, Sendable {
    public let name: String
    public let labels: [String: String]
    public let value: Double

    public init(name: String, labels: [String: String], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }
}
