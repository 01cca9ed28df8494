import PromQL

/// What `/api/v1/status/buildinfo` reports: the version of the server answering.
///
/// Clients read it to decide which features to use (Grafana, for one, picks its query
/// editor's functions by it), so by default it names the Prometheus version whose rules
/// the engine follows, with `branch` saying the answer comes from the workbook.
/// See https://prometheus.io/docs/prometheus/latest/querying/api/#build-information
public struct BuildInfo: Sendable, Equatable {
    /// The release: `2.42.0`.
    public var version: String
    /// The source revision it was built from.
    public var revision: String
    /// The branch it was built from.
    public var branch: String
    /// Who built it, and when.
    public var buildUser: String
    public var buildDate: String
    /// The language's version; Prometheus names the field for Go.
    public var goVersion: String

    /// Build information with these fields.
    public init(version: String, revision: String = "", branch: String = "workbook", buildUser: String = "", buildDate: String = "", goVersion: String = "") {
        self.version = version
        self.revision = revision
        self.branch = branch
        self.buildUser = buildUser
        self.buildDate = buildDate
        self.goVersion = goVersion
    }

    /// The Prometheus release whose query rules `semantics` follows: 2.42.0 (the one the
    /// differential test runs) or 3.0.0.
    public static func imitating(_ semantics: PromQLSemantics) -> BuildInfo {
        BuildInfo(version: semantics == .prometheus2 ? "2.42.0" : "3.0.0")
    }
}
