import Foundation
import TestSupport
import XCTest

@testable import Instrumentation
@testable import HTTP
@testable import TimeSeries
@testable import PromQL
@testable import PrometheusAPI

/// `/api/v1`: every endpoint's JSON and status codes, its errors, its defences against bad
/// input, and, on the same samples, the same answers as the real Prometheus 2.42.
final class PrometheusAPITests: XCTestCase {
    // MARK: Fixture

    /// A small store: two `up` series, a counter, values Go formats in unusual ways, and two
    /// metrics with the same labels (whatever drops the name then fails).
    private func makeStore() -> SeriesStore {
        let store = SeriesStore()
        store.append(LabelSet(name: "up", ["job": "api", "instance": "a"]), timestamp: 10_000, value: 1)
        store.append(LabelSet(name: "up", ["job": "api", "instance": "a"]), timestamp: 70_000, value: 1)
        store.append(LabelSet(name: "up", ["job": "api", "instance": "b"]), timestamp: 10_000, value: 0)
        for (time, value) in [(0, 1.0), (60_000, 7), (120_000, 13)] {
            store.append(LabelSet(name: "http_requests_total", ["job": "api", "code": "200"]), timestamp: Int64(time), value: value)
        }
        let odd: [(String, Double)] = [("nan", .nan), ("inf", .infinity), ("-inf", -.infinity), ("big", 1e21), ("small", 1.5e-7), ("neg", -0.25)]
        for (kind, value) in odd { store.append(LabelSet(name: "odd", ["kind": kind]), timestamp: 100_000, value: value) }
        store.append(LabelSet(name: "dup_a", ["x": "1"]), timestamp: 100_000, value: 1)
        store.append(LabelSet(name: "dup_b", ["x": "1"]), timestamp: 100_000, value: 2)
        return store
    }

    private func makeEndpoint(
        limits: APILimits = APILimits(), metadata: (any MetadataProvider)? = nil, targets: (any TargetProvider)? = nil
    ) -> PrometheusAPIEndpoint {
        PrometheusAPIEndpoint(
            engine: PromQLEngine(store: makeStore()), limits: limits, metadata: metadata, targets: targets,
            clock: ManualClock(100))
    }

    /// The endpoint's answer to `method path?query`, which must be one (the path is below /api/v1).
    private func request(
        _ endpoint: PrometheusAPIEndpoint, _ path: String, _ query: String = "", method: String = "GET",
        body: String = "", contentType: String? = nil, file: StaticString = #filePath, line: UInt = #line
    ) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        if let contentType { headers["Content-Type"] = contentType }
        let request = HTTPRequest(method: method, path: path, query: query, headers: headers, body: Array(body.utf8))
        guard let response = endpoint.handle(request) else {
            XCTFail("\(path) was not answered", file: file, line: line)
            return .text("", status: 599)
        }
        return response
    }

    private func text(_ response: HTTPResponse) -> String {
        String(decoding: response.body, as: UTF8.self)
    }

    /// Checks a success: status 200, JSON, and the body exactly `{"status":"success","data":<data>}`.
    private func assertSuccess(_ response: HTTPResponse, data: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(response.status, 200, text(response), file: file, line: line)
        XCTAssertEqual(response.headers["Content-Type"], "application/json", file: file, line: line)
        XCTAssertEqual(text(response), #"{"status":"success","data":"# + data + "}", file: file, line: line)
    }

    /// Checks an error: its status, its Prometheus error type, and that its message contains `message`.
    private func assertError(
        _ response: HTTPResponse, _ status: Int, _ type: String, _ message: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(response.status, status, text(response), file: file, line: line)
        XCTAssertEqual(response.headers["Content-Type"], "application/json", file: file, line: line)
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            return XCTFail("not JSON: \(text(response))", file: file, line: line)
        }
        XCTAssertEqual(object["status"] as? String, "error", file: file, line: line)
        XCTAssertEqual(object["errorType"] as? String, type, file: file, line: line)
        XCTAssertEqual(object.count, 3, "status, errorType and error only: \(object)", file: file, line: line)
        let error = object["error"] as? String ?? ""
        XCTAssertTrue(error.contains(message), "\(error) should contain \(message)", file: file, line: line)
    }

    // MARK: Query

    func testInstantQueryAnswersAVector() {
        let response = request(makeEndpoint(), "/api/v1/query", "query=up&time=100")
        assertSuccess(response, data: #"{"resultType":"vector","result":["#
            + #"{"metric":{"__name__":"up","instance":"a","job":"api"},"value":[100,"1"]},"#
            + #"{"metric":{"__name__":"up","instance":"b","job":"api"},"value":[100,"0"]}]}"#)
    }

    func testInstantQueryAnswersScalarsStringsAndMatrices() {
        let endpoint = makeEndpoint()
        assertSuccess(request(endpoint, "/api/v1/query", "query=1%2B1&time=100"), data: #"{"resultType":"scalar","result":[100,"2"]}"#)
        assertSuccess(request(endpoint, "/api/v1/query", "query=%22hi%22&time=100.5"), data: #"{"resultType":"string","result":[100.5,"hi"]}"#)
        assertSuccess(
            request(endpoint, "/api/v1/query", "query=http_requests_total%5B3m%5D&time=120"),
            data: #"{"resultType":"matrix","result":[{"metric":{"__name__":"http_requests_total","code":"200","job":"api"},"values":[[0,"1"],[60,"7"],[120,"13"]]}]}"#)
    }

    func testValuesAreWrittenAsGoFormatsThem() throws {
        let response = request(makeEndpoint(), "/api/v1/query", "query=odd&time=100")
        XCTAssertEqual(response.status, 200)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let result = try XCTUnwrap((object["data"] as? [String: Any])?["result"] as? [[String: Any]])
        var values: [String: String] = [:]
        for item in result {
            let kind = try XCTUnwrap((item["metric"] as? [String: String])?["kind"])
            values[kind] = (item["value"] as? [Any])?[1] as? String
        }
        XCTAssertEqual(values, ["nan": "NaN", "inf": "+Inf", "-inf": "-Inf", "big": "1000000000000000000000", "small": "0.00000015", "neg": "-0.25"])
    }

    func testTimeIsNowByDefaultAndReadsSecondsOrRFC3339() {
        let endpoint = makeEndpoint()
        // The clock stands at 100 s.
        assertSuccess(request(endpoint, "/api/v1/query", "query=time()"), data: #"{"resultType":"scalar","result":[100,"100"]}"#)
        let same = [
            "time=1970-01-01T00:01:40Z", "time=1970-01-01T01:01:40%2B01:00", "time=1969-12-31T23:01:40-01:00",
            "time=100.0001", "time=1e2", "time=1970-01-01T00:01:40.0009Z",
        ]
        for time in same {
            assertSuccess(request(endpoint, "/api/v1/query", "query=time()&" + time), data: #"{"resultType":"scalar","result":[100,"100"]}"#)
        }
        assertSuccess(request(endpoint, "/api/v1/query", "query=time()&time=1970-01-01T00:01:40.25Z"), data: #"{"resultType":"scalar","result":[100.25,"100.25"]}"#)
        // Prometheus rounds a fraction of a second to the millisecond: 0.0005 s is 1 ms, 0.0004 s is none.
        assertSuccess(request(endpoint, "/api/v1/query", "query=time()&time=-1.25"), data: #"{"resultType":"scalar","result":[-1.25,"-1.25"]}"#)
        assertSuccess(request(endpoint, "/api/v1/query", "query=time()&time=2.0006"), data: #"{"resultType":"scalar","result":[2.001,"2.001"]}"#)
        assertSuccess(request(endpoint, "/api/v1/query", "query=time()&time=2024-02-29T12:00:00Z"), data: #"{"resultType":"scalar","result":[1709208000,"1709208000"]}"#)
    }

    func testRangeQueryAnswersAMatrix() {
        let endpoint = makeEndpoint()
        let expected = #"{"resultType":"matrix","result":[{"metric":{"__name__":"http_requests_total","code":"200","job":"api"},"values":[[0,"1"],[60,"7"],[120,"13"]]}]}"#
        assertSuccess(request(endpoint, "/api/v1/query_range", "query=http_requests_total&start=0&end=120&step=60"), data: expected)
        assertSuccess(request(endpoint, "/api/v1/query_range", "query=http_requests_total&start=1970-01-01T00:00:00Z&end=120&step=1m"), data: expected)
        // A scalar expression is one series without labels.
        assertSuccess(
            request(endpoint, "/api/v1/query_range", "query=time()&start=0&end=1&step=0.5"),
            data: #"{"resultType":"matrix","result":[{"metric":{},"values":[[0,"0"],[0.5,"0.5"],[1,"1"]]}]}"#)
        // 11,000 steps (11,001 points) is Prometheus's most, and allowed.
        let points = request(endpoint, "/api/v1/query_range", "query=vector(1)&start=0&end=11000&step=1")
        XCTAssertEqual(points.status, 200)
        XCTAssertEqual(text(points).components(separatedBy: #""1"]"#).count - 1, 11_001)
    }

    func testRangeQueryRefusesBadParametersAsPrometheusDoes() {
        let endpoint = makeEndpoint()
        let cases: [(String, String)] = [
            ("query=up&end=10&step=1", #"invalid parameter "start": cannot parse "" to a valid timestamp"#),
            ("query=up&start=0&end=tomorrow&step=1", #"invalid parameter "end": cannot parse "tomorrow" to a valid timestamp"#),
            ("query=up&start=10&end=5&step=1", #"invalid parameter "end": end timestamp must not be before start time"#),
            ("query=up&start=0&end=10", #"invalid parameter "step": cannot parse "" to a valid duration"#),
            ("query=up&start=0&end=10&step=0", "zero or negative query resolution step widths are not accepted. Try a positive integer"),
            ("query=up&start=0&end=10&step=-1m", #"invalid parameter "step": cannot parse "-1m" to a valid duration"#),
            ("query=up&start=0&end=10&step=1e300", "It overflows int64"),
            ("query=up&start=0&end=11001&step=1", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"),
            ("query=up&start=0&end=1&step=0.0001", "at least 1ms"),
            ("query=up%5B5m%5D&start=0&end=10&step=1", #"invalid expression type "range vector" for range query, must be Scalar or instant Vector"#),
            ("query=sum(up&start=0&end=10&step=1", #"invalid parameter "query""#),
            ("query=up&start=0&end=10&step=1&timeout=soon", #"invalid parameter "timeout": cannot parse "soon" to a valid duration"#),
            ("query=up&start=1e300&end=10&step=1", #"invalid parameter "start""#),
        ]
        for (query, message) in cases {
            assertError(request(endpoint, "/api/v1/query_range", query), 400, "bad_data", message)
        }
    }

    func testPostTakesAFormBody() {
        let endpoint = makeEndpoint()
        let form = "application/x-www-form-urlencoded"
        let get = request(endpoint, "/api/v1/query_range", "query=http_requests_total&start=0&end=120&step=60")
        let post = request(endpoint, "/api/v1/query_range", method: "POST", body: "query=http_requests_total&start=0&end=120&step=60", contentType: form)
        XCTAssertEqual(post, get)
        // The body wins over the URL's query, and the two are read together.
        let mixed = request(endpoint, "/api/v1/query", "time=100&query=nothing", method: "POST", body: "query=1%2B1", contentType: form + "; charset=UTF-8")
        assertSuccess(mixed, data: #"{"resultType":"scalar","result":[100,"2"]}"#)
        // Parameters in the URL of a POST without a body are read as for GET.
        assertSuccess(request(endpoint, "/api/v1/query", "query=1&time=100", method: "POST"), data: #"{"resultType":"scalar","result":[100,"1"]}"#)
        assertError(request(endpoint, "/api/v1/query", method: "POST", body: #"{"query":"up"}"#, contentType: "application/json"), 400, "bad_data", "must be a form")
        // A GET's body is not read.
        assertError(request(endpoint, "/api/v1/query", "time=100", body: "query=up", contentType: form), 400, "bad_data", #"invalid parameter "query""#)
    }

    func testQueryErrorsHavePrometheusTypesAndStatuses() {
        let endpoint = makeEndpoint()
        assertError(request(endpoint, "/api/v1/query", "query=sum(up&time=100"), 400, "bad_data", #"invalid parameter "query": parse error"#)
        assertError(request(endpoint, "/api/v1/query", "time=100"), 400, "bad_data", #"invalid parameter "query""#)
        assertError(request(endpoint, "/api/v1/query", "query=up&time=yesterday"), 400, "bad_data",
                    #"invalid parameter "time": Invalid time value for 'time': cannot parse "yesterday" to a valid timestamp"#)
        // Evaluation fails: dropping the names leaves two series with the same labels.
        assertError(request(endpoint, "/api/v1/query", "query=%7B__name__%3D~%22dup_.*%22%7D*2&time=100"), 422, "execution",
                    "vector cannot contain metrics with the same labelset")
        // A timeout of zero runs out at the first selector: 503, as Prometheus answers a timeout.
        assertError(request(endpoint, "/api/v1/query", "query=up&time=100&timeout=0"), 503, "timeout", "query timed out")
        assertError(request(endpoint, "/api/v1/query_range", "query=up&start=0&end=100&step=10&timeout=0s"), 503, "timeout", "query timed out")
        assertSuccess(request(endpoint, "/api/v1/query", "query=1&time=100&timeout=1m"), data: #"{"resultType":"scalar","result":[100,"1"]}"#)
    }

    func testEngineLimitsAndAnswerCapsAreErrors() {
        let capped = makeEndpoint(limits: APILimits(maximumSeries: 1, maximumPoints: 2))
        assertError(request(capped, "/api/v1/query", "query=up&time=100"), 422, "execution", "2 series, more than the limit of 1")
        assertError(request(capped, "/api/v1/query_range", "query=vector(1)&start=0&end=2&step=1"), 422, "execution", "3 points, more than the limit of 2")
        assertError(request(capped, "/api/v1/series", "match[]=up"), 422, "execution", "more than 1 series match")
        assertSuccess(request(capped, "/api/v1/query", "query=up%7Binstance%3D%22a%22%7D&time=100"),
                      data: #"{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a","job":"api"},"value":[100,"1"]}]}"#)
        var engine = PromQLEngine(store: makeStore())
        engine.maximumSamples = 2
        let budget = PrometheusAPIEndpoint(engine: engine, clock: ManualClock(100))
        assertError(request(budget, "/api/v1/query", "query=http_requests_total%5B5m%5D&time=120"), 422, "execution", "too many samples")
    }

    // MARK: Bad input

    func testBadInputIsRefusedWithAClearMessage() {
        let endpoint = makeEndpoint(limits: APILimits(maximumParameterBytes: 4096, maximumParameters: 20))
        let cases: [(String, String)] = [
            ("query=%zz", #"error parsing form values: invalid URL escape "%zz""#),
            ("query=up%2", #"invalid URL escape "%2""#),
            ("query=up;time=1", "invalid semicolon separator in query"),
            ("query=%ff%fe", "not valid UTF-8"),
            ("query=up&time=NaN", #"invalid parameter "time""#),
            ("query=up&time=Inf", "out of range"),
            ("query=up&time=1e300", "out of range"),
            ("query=up&time=2023-02-29T00:00:00Z", "cannot parse"),
            ("query=up&time=2023-01-01T24:00:00Z", "cannot parse"),
            ("query=up&time=2023-01-01T00:00:00", "cannot parse"),
            ("query=up&time=2023-01-01T00:00:00%2B25:00", "cannot parse"),
            ("query=up&time=" + APITime.minimumTimeText, "out of range for a query"),
            ("query=" + String(repeating: "(", count: 400) + "1" + String(repeating: ")", count: 400), #"invalid parameter "query""#),
            ("query=up&time=" + String(repeating: "9", count: 5000), "more than the limit of 4096"),
            (Array(repeating: "a=1", count: 21).joined(separator: "&"), "more than 20 parameters"),
        ]
        for (query, message) in cases {
            assertError(request(endpoint, "/api/v1/query", query), 400, "bad_data", message)
        }
        // A long parameter is not echoed whole.
        let long = request(endpoint, "/api/v1/query", "query=up&time=" + String(repeating: "x", count: 3000))
        XCTAssertLessThan(long.body.count, 400)
        assertError(request(endpoint, "/api/v1/label/%zz/values"), 400, "bad_data", "malformed")
    }

    func testFormDecoding() throws {
        let form = try FormParameters(decoding: Array("a=1&b=x+y%2Bz&match%5B%5D=up&&match[]=%7Bjob%3D%22a%22%7D&empty=&bare&a=2".utf8))
        XCTAssertEqual(form["a"], "1")
        XCTAssertEqual(form.values(for: "a"), ["1", "2"])
        XCTAssertEqual(form["b"], "x y+z")
        XCTAssertEqual(form.values(for: "match[]"), ["up", #"{job="a"}"#])
        XCTAssertEqual(form["empty"], "")
        XCTAssertEqual(form["bare"], "")
        XCTAssertNil(form["missing"])
        XCTAssertEqual(try FormParameters(decoding: Array("q=%E2%82%AC%C3%a9".utf8))["q"], "€é")
        for bad in ["a=%", "a=%4", "a=%g0", "a=1;b=2", "a=%C3"] {
            XCTAssertThrowsError(try FormParameters(decoding: Array(bad.utf8)), bad)
        }
        XCTAssertThrowsError(try FormParameters(decoding: Array("a=1&b=2&c=3".utf8), maximumParameters: 2))
        XCTAssertEqual((try FormParameters(decoding: Array("a=1".utf8)) + FormParameters(decoding: Array("a=2".utf8))).values(for: "a"), ["1", "2"])
    }

    func testTimesAreWrittenAsGoWritesThem() {
        XCTAssertEqual(APITime.rfc3339(0), "1970-01-01T00:00:00Z")
        XCTAssertEqual(APITime.rfc3339(1_709_208_000_250), "2024-02-29T12:00:00.25Z")
        XCTAssertEqual(APITime.rfc3339(-1), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(APITime.rfc3339(951_782_400_000), "2000-02-29T00:00:00Z")
        for milliseconds: Int64 in [0, -1, 1_709_208_000_250, 253_402_300_799_999, -62_135_596_800_000] {
            XCTAssertEqual(try APITime.milliseconds(APITime.rfc3339(milliseconds)).get(), milliseconds)
        }
    }

    // MARK: Routes and methods

    func testUnknownPathsAndWrongMethods() {
        let endpoint = makeEndpoint()
        XCTAssertNil(endpoint.handle(HTTPRequest(path: "/metrics")))
        XCTAssertNil(endpoint.handle(HTTPRequest(path: "/api/v1x/query")))
        for path in ["/api/v1", "/api/v1/", "/api/v1/nothing", "/api/v1/query/", "/api/v1/label//values", "/api/v1/label/a/b/values"] {
            let response = request(endpoint, path)
            XCTAssertEqual(response.status, 404, path)
            XCTAssertTrue(text(response).contains("/api/v1/query_range"), text(response))
        }
        let put = request(endpoint, "/api/v1/query", "query=up", method: "PUT")
        XCTAssertEqual(put.status, 405)
        XCTAssertEqual(put.headers["Allow"], "GET, HEAD, POST")
        let post = request(endpoint, "/api/v1/label/job/values", method: "POST")
        XCTAssertEqual(post.status, 405)
        XCTAssertEqual(post.headers["Allow"], "GET, HEAD")
        XCTAssertEqual(request(endpoint, "/api/v1/query", "query=up&time=100", method: "HEAD"), request(endpoint, "/api/v1/query", "query=up&time=100"))
        // The path is percent-decoded before it is routed, as Go's router reads it.
        assertSuccess(request(endpoint, "/api/v1/label/%5F_name__/values"), data: #"["dup_a","dup_b","http_requests_total","odd","up"]"#)
    }

    func testMountsOnTheHTTPServerBesideOtherRoutes() throws {
        let endpoint = makeEndpoint()
        let server = HTTPServer(port: 0, handler: endpoint.makeHandler(otherwise: { _ in .text("elsewhere\n") }))
        try server.start()
        defer { server.stop() }
        let answer = try HTTPClient.get(url: server.url + "/api/v1/query?query=up&time=100")
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.body, request(endpoint, "/api/v1/query", "query=up&time=100").body)
        XCTAssertEqual(try HTTPClient.get(url: server.url + "/api/v1/query?query=sum(").status, 400)
        XCTAssertEqual(try HTTPClient.get(url: server.url + "/api/v1/nothing").status, 404)
        XCTAssertEqual(try HTTPClient.get(url: server.url + "/metrics").text, "elsewhere\n")
    }

    // MARK: Series and labels

    func testSeriesListsMatchingLabelSets() {
        let endpoint = makeEndpoint()
        assertSuccess(request(endpoint, "/api/v1/series", "match[]=up"),
                      data: #"[{"__name__":"up","instance":"a","job":"api"},{"__name__":"up","instance":"b","job":"api"}]"#)
        // Several selectors: the union, each series once, sorted.
        assertSuccess(request(endpoint, "/api/v1/series", "match%5B%5D=up%7Binstance%3D%22b%22%7D&match[]=http_requests_total&match[]=up%7Bjob%3D%22api%22%7D"),
                      data: #"[{"__name__":"http_requests_total","code":"200","job":"api"},{"__name__":"up","instance":"a","job":"api"},{"__name__":"up","instance":"b","job":"api"}]"#)
        // Only series with a sample between start and end.
        assertSuccess(request(endpoint, "/api/v1/series", "match[]=up&start=60&end=80"), data: #"[{"__name__":"up","instance":"a","job":"api"}]"#)
        assertSuccess(request(endpoint, "/api/v1/series", "match[]=up&start=200"), data: "[]")
        assertSuccess(request(endpoint, "/api/v1/series", "match[]=nothing"), data: "[]")
        assertSuccess(request(endpoint, "/api/v1/series", method: "POST", body: "match[]=up&end=1970-01-01T00:00:10Z", contentType: "application/x-www-form-urlencoded"),
                      data: #"[{"__name__":"up","instance":"a","job":"api"},{"__name__":"up","instance":"b","job":"api"}]"#)
        assertError(request(endpoint, "/api/v1/series"), 400, "bad_data", "no match[] parameter provided")
        assertError(request(endpoint, "/api/v1/series", "match[]=up&start=soon"), 400, "bad_data",
                    #"invalid parameter "start": Invalid time value for 'start': cannot parse "soon" to a valid timestamp"#)
        for selector in ["%7Bjob%3D~%22.*%22%7D", "rate(up%5B5m%5D)", "up%20offset%205m", "sum(up)", "up%7B"] {
            assertError(request(endpoint, "/api/v1/series", "match[]=" + selector), 400, "bad_data", #"invalid parameter "match[]""#)
        }
    }

    func testLabelNamesAndValues() {
        let endpoint = makeEndpoint()
        assertSuccess(request(endpoint, "/api/v1/labels"), data: #"["__name__","code","instance","job","kind","x"]"#)
        assertSuccess(request(endpoint, "/api/v1/labels", "match[]=up"), data: #"["__name__","instance","job"]"#)
        assertSuccess(request(endpoint, "/api/v1/labels", method: "POST", body: "match[]=odd", contentType: "application/x-www-form-urlencoded"), data: #"["__name__","kind"]"#)
        assertSuccess(request(endpoint, "/api/v1/labels", "start=110&end=130"), data: #"["__name__","code","job"]"#)
        assertSuccess(request(endpoint, "/api/v1/label/job/values"), data: #"["api"]"#)
        assertSuccess(request(endpoint, "/api/v1/label/instance/values"), data: #"["a","b"]"#)
        assertSuccess(request(endpoint, "/api/v1/label/instance/values", "end=5"), data: "[]")
        assertSuccess(request(endpoint, "/api/v1/label/kind/values", "match[]=odd%7Bkind%3D~%22.*n.*%22%7D"), data: #"["-inf","inf","nan","neg"]"#)
        assertSuccess(request(endpoint, "/api/v1/label/missing/values"), data: "[]")
        assertError(request(endpoint, "/api/v1/label/1bad/values"), 400, "bad_data", #"invalid label name: "1bad""#)
        assertError(request(endpoint, "/api/v1/label/job/values", "match[]=sum(up)"), 400, "bad_data", #"invalid parameter "match[]""#)
    }

    // MARK: Metadata, targets, build information

    private struct FixedMetadata: MetadataProvider {
        func metricMetadata() -> [MetricMetadata] {
            [
                MetricMetadata(name: "up", type: "gauge", help: "Whether the \"target\" answered."),
                MetricMetadata(name: "http_requests", type: "counter", help: "Requests served.", unit: ""),
                MetricMetadata(name: "up", type: "gauge", help: "Whether the \"target\" answered."),
                MetricMetadata(name: "latency_seconds", type: "histogram", help: "Latency.", unit: "seconds"),
                MetricMetadata(name: "up", type: "gauge", help: "Another target's help."),
            ]
        }
    }

    func testMetadataGroupsFamiliesByName() {
        let endpoint = makeEndpoint(metadata: FixedMetadata())
        assertSuccess(request(endpoint, "/api/v1/metadata"), data: #"{"http_requests":[{"type":"counter","help":"Requests served.","unit":""}],"#
            + #""latency_seconds":[{"type":"histogram","help":"Latency.","unit":"seconds"}],"#
            + #""up":[{"type":"gauge","help":"Whether the \"target\" answered.","unit":""},{"type":"gauge","help":"Another target's help.","unit":""}]}"#)
        assertSuccess(request(endpoint, "/api/v1/metadata", "metric=latency_seconds"), data: #"{"latency_seconds":[{"type":"histogram","help":"Latency.","unit":"seconds"}]}"#)
        assertSuccess(request(endpoint, "/api/v1/metadata", "limit=1"), data: #"{"http_requests":[{"type":"counter","help":"Requests served.","unit":""}]}"#)
        assertSuccess(request(endpoint, "/api/v1/metadata", "metric=nothing"), data: "{}")
        assertSuccess(request(makeEndpoint(), "/api/v1/metadata"), data: "{}")
        assertError(request(endpoint, "/api/v1/metadata", "limit=ten"), 400, "bad_data", "limit must be a number")
    }

    private struct FixedTargets: TargetProvider {
        func activeTargets() -> [APITarget] {
            [
                APITarget(labels: ["job": "api", "instance": "127.0.0.1:3001"], scrapeURL: "http://127.0.0.1:3001/metrics", health: .up,
                          lastScrape: 1_709_208_000_250, lastScrapeDuration: 0.0125),
                APITarget(labels: ["job": "db", "instance": "127.0.0.1:3002"], scrapeURL: "http://127.0.0.1:3002/metrics", health: .down,
                          lastScrape: 1_709_208_001_000, lastScrapeDuration: 2, lastError: "connection refused", scrapeInterval: "30s"),
                APITarget(labels: ["job": "new"], scrapeURL: "http://127.0.0.1:3003/metrics", health: .unknown),
            ]
        }
    }

    func testTargetsReportHealthAndLastScrape() throws {
        let endpoint = makeEndpoint(targets: FixedTargets())
        let response = request(endpoint, "/api/v1/targets", "scrapePool=api")
        assertSuccess(response, data: #"{"activeTargets":[{"discoveredLabels":{"instance":"127.0.0.1:3001","job":"api"},"#
            + #""labels":{"instance":"127.0.0.1:3001","job":"api"},"scrapePool":"api","scrapeUrl":"http://127.0.0.1:3001/metrics","#
            + #""globalUrl":"http://127.0.0.1:3001/metrics","lastError":"","lastScrape":"2024-02-29T12:00:00.25Z","#
            + #""lastScrapeDuration":0.0125,"health":"up","scrapeInterval":"15s","scrapeTimeout":"10s"}],"droppedTargets":[]}"#)
        let all = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(request(endpoint, "/api/v1/targets").body)) as? [String: Any])
        let active = try XCTUnwrap((all["data"] as? [String: Any])?["activeTargets"] as? [[String: Any]])
        XCTAssertEqual(active.map { $0["health"] as? String }, ["up", "down", "unknown"])
        XCTAssertEqual(active[1]["lastError"] as? String, "connection refused")
        XCTAssertEqual(active[1]["lastScrape"] as? String, "2024-02-29T12:00:01Z")
        XCTAssertEqual(active[1]["scrapeInterval"] as? String, "30s")
        XCTAssertEqual(active[2]["lastScrape"] as? String, "0001-01-01T00:00:00Z")
        assertSuccess(request(endpoint, "/api/v1/targets", "state=dropped"), data: #"{"activeTargets":[],"droppedTargets":[]}"#)
        assertSuccess(request(makeEndpoint(), "/api/v1/targets", "state=any"), data: #"{"activeTargets":[],"droppedTargets":[]}"#)
    }

    func testBuildInfo() {
        assertSuccess(request(makeEndpoint(), "/api/v1/status/buildinfo"),
                      data: #"{"version":"3.0.0","revision":"","branch":"workbook","buildUser":"","buildDate":"","goVersion":""}"#)
        let custom = PrometheusAPIEndpoint(engine: PromQLEngine(store: SeriesStore()), buildInfo: BuildInfo(version: "1.2.3", revision: "abc", goVersion: "swift6.3"))
        assertSuccess(request(custom, "/api/v1/status/buildinfo"),
                      data: #"{"version":"1.2.3","revision":"abc","branch":"workbook","buildUser":"","buildDate":"","goVersion":"swift6.3"}"#)
    }

    // MARK: Against the real Prometheus

    /// One request sent to both servers.
    private struct Exchange {
        let method: String
        let path: String
        /// The URL-encoded parameters: the query string of a GET, the body of a POST.
        let form: String
        /// Whether the error message must be Prometheus's word for word (for the API's own
        /// checks; PromQL's parse errors are worded differently).
        var sameMessage = false
        var context: String { "\(method) \(path)?\(form)" }
    }

    /// The same data in Prometheus 2.42 (through promtool's backfill) and in the engine (in
    /// Prometheus 2's semantics); the same requests, GET and POST, to both; the decoded JSON
    /// must agree: the same statuses and error types, the same label sets in the same order
    /// (result series compared as sets), the same timestamps, values within 1e-9 relative.
    func testAnswersLikeTheRealPrometheus() throws {
        let dataset = DifferentialDataset(seed: 20_261_212)
        let prometheus = try RealPrometheus.backfilled(openMetrics: dataset.openMetrics)
        defer { prometheus.stop() }
        // Waits until it is ready.
        _ = try prometheus.getJSON(["/api/v1/status/buildinfo"])
        let endpoint = PrometheusAPIEndpoint(engine: PromQLEngine(store: dataset.store, semantics: .prometheus2))
        // Ours over HTTP too, so GET and POST go through the server as they would from Grafana.
        let server = HTTPServer(host: "127.0.0.1", port: 0, limits: HTTPServerLimits(maxBodyBytes: 1 << 16, methods: ["GET", "HEAD", "POST"])) {
            endpoint.handle($0) ?? .text("not found\n", status: 404)
        }
        try server.start()
        defer { server.stop() }

        let exchanges = Self.exchanges(for: dataset)
        let theirs = try send(exchanges, port: prometheus.port, log: prometheus.logText)
        let ourAnswers = try send(exchanges, port: Int(server.port), log: "")
        XCTAssertEqual(theirs.count, exchanges.count)
        XCTAssertEqual(ourAnswers.count, exchanges.count)
        var compared = 0, values = 0
        for ((exchange, answer), ourAnswer) in zip(zip(exchanges, theirs), ourAnswers) {
            let ours = HTTPResponse(status: ourAnswer.status, headers: [:], body: Array(ourAnswer.body.utf8))
            XCTAssertEqual(ours.status, answer.status, "\(exchange.context): ours \(text(ours)), Prometheus's \(answer.body)")
            guard ours.status == answer.status, answer.status != 404, answer.status != 405 else { continue }
            guard let theirObject = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
                  let ourObject = try? JSONSerialization.jsonObject(with: Data(ours.body)) as? [String: Any]
            else {
                XCTFail("\(exchange.context): not JSON: ours \(text(ours)), Prometheus's \(answer.body)")
                continue
            }
            if answer.status != 200 {
                XCTAssertEqual(ourObject["errorType"] as? String, theirObject["errorType"] as? String, exchange.context)
                if exchange.sameMessage { XCTAssertEqual(ourObject["error"] as? String, theirObject["error"] as? String, exchange.context) }
                compared += 1
                continue
            }
            var differences: [String] = []
            values += APIAnswers.compare(APIAnswers.normalized(ourObject), APIAnswers.normalized(theirObject), at: "", into: &differences)
            XCTAssertTrue(differences.isEmpty, "\(exchange.context):\n" + differences.prefix(5).joined(separator: "\n"))
            compared += 1
        }
        XCTAssertEqual(compared, exchanges.count - theirs.filter { $0.status == 404 || $0.status == 405 }.count)
        XCTAssertGreaterThan(values, 3_000, "the requests should give plenty of values to compare")
        print("Prometheus API differential: \(exchanges.count) requests, \(compared) answers compared, \(values) values")
    }

    /// The requests of the differential test.
    private static func exchanges(for dataset: DifferentialDataset) -> [Exchange] {
        func encoded(_ items: [(String, String)]) -> String {
            var components = URLComponents()
            components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
            return components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B")
        }
        func seconds(_ milliseconds: Int64) -> String { String(format: "%.3f", Double(milliseconds) / 1000) }
        let rfc3339 = ISO8601DateFormatter()
        rfc3339.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func iso(_ milliseconds: Int64) -> String { rfc3339.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000)) }
        func both(_ path: String, _ items: [(String, String)], sameMessage: Bool = false) -> [Exchange] {
            ["GET", "POST"].map { Exchange(method: $0, path: path, form: encoded(items), sameMessage: sameMessage) }
        }

        var exchanges: [Exchange] = []
        let times = dataset.evaluationTimes
        for query in PromQLDifferentialTests.queries {
            exchanges.append(Exchange(method: "GET", path: "/api/v1/query", form: encoded([("query", query), ("time", seconds(times[1]))])))
            exchanges.append(Exchange(method: "GET", path: "/api/v1/query", form: encoded([("query", query), ("time", iso(times[4]))])))
            exchanges.append(Exchange(method: "POST", path: "/api/v1/query", form: encoded([("query", query), ("time", seconds(times[6])), ("timeout", "30s")])))
        }
        for (query, from, to, step) in PromQLDifferentialTests.rangeQueries {
            let start = dataset.start + from * 60_000, end = dataset.start + to * 60_000
            exchanges += both("/api/v1/query_range", [("query", query), ("start", seconds(start)), ("end", iso(end)), ("step", String(step))])
        }
        exchanges += both("/api/v1/query_range", [("query", "rate(dt_requests_total[5m])"), ("start", seconds(dataset.start)), ("end", seconds(dataset.start + 3_600_000)), ("step", "90s")])
        exchanges += both("/api/v1/query_range", [("query", "dt_queue_length"), ("start", seconds(dataset.start)), ("end", seconds(dataset.start + 600_000)), ("step", "1m30s")])

        let middle = [("start", seconds(dataset.start + 600_000)), ("end", seconds(dataset.start + 1_200_000))]
        exchanges += both("/api/v1/series", [("match[]", "dt_queue_length")])
        exchanges += both("/api/v1/series", [("match[]", #"dt_requests_total{code="500"}"#), ("match[]", #"dt_queue_length{instance=~"i1|i3"}"#), ("match[]", "dt_queue_length")])
        exchanges += both("/api/v1/series", [("match[]", #"{__name__=~"dt_(h|nm).*"}"#)] + middle)
        exchanges += both("/api/v1/series", [("match[]", "dt_labels"), ("end", seconds(dataset.start - 3_600_000))])
        exchanges += both("/api/v1/labels", [])
        exchanges += both("/api/v1/labels", [("match[]", "dt_labels"), ("match[]", "dt_labels_by_instance")])
        exchanges += both("/api/v1/labels", middle)
        for name in ["job", "instance", "__name__", "le", "code", "path"] {
            exchanges.append(Exchange(method: "GET", path: "/api/v1/label/\(name)/values", form: ""))
        }
        exchanges.append(Exchange(method: "GET", path: "/api/v1/label/instance/values", form: encoded([("match[]", "dt_latency_seconds_sum")] + middle)))

        // Errors: Prometheus's own checks, worded the same; PromQL's errors, typed the same.
        let start = seconds(dataset.start), end = seconds(dataset.start + 600_000)
        exchanges += both("/api/v1/query", [("query", "up"), ("time", "yesterday")], sameMessage: true)
        exchanges += both("/api/v1/query", [("query", "up"), ("timeout", "soon")], sameMessage: true)
        exchanges += both("/api/v1/query", [("query", "sum(dt_queue_length")])
        exchanges += both("/api/v1/query", [("query", #"{__name__=~"dt_dup_.*"} * 2"#), ("time", end)])
        exchanges += both("/api/v1/query", [("query", "dt_requests_total + dt_queue_length"), ("time", end)])
        exchanges += both("/api/v1/query_range", [("query", "up"), ("start", "soon"), ("end", end), ("step", "60")], sameMessage: true)
        exchanges += both("/api/v1/query_range", [("query", "up"), ("start", end), ("end", start), ("step", "60")], sameMessage: true)
        exchanges += both("/api/v1/query_range", [("query", "up"), ("start", start), ("end", end)], sameMessage: true)
        exchanges += both("/api/v1/query_range", [("query", "up"), ("start", start), ("end", end), ("step", "0")], sameMessage: true)
        exchanges += both("/api/v1/query_range", [("query", "up"), ("start", start), ("end", end), ("step", "-15")], sameMessage: true)
        exchanges += both("/api/v1/query_range", [("query", "up"), ("start", "0"), ("end", "11001"), ("step", "1")], sameMessage: true)
        exchanges += both("/api/v1/query_range", [("query", "dt_queue_length[5m]"), ("start", start), ("end", end), ("step", "60")])
        exchanges += both("/api/v1/series", [], sameMessage: true)
        exchanges += both("/api/v1/series", [("match[]", "dt_queue_length"), ("start", "soon")], sameMessage: true)
        exchanges += both("/api/v1/series", [("match[]", "rate(dt_queue_length[5m])")])
        exchanges.append(Exchange(method: "GET", path: "/api/v1/label/1bad/values", form: "", sameMessage: true))
        exchanges.append(Exchange(method: "GET", path: "/api/v1/nothing", form: ""))
        exchanges.append(Exchange(method: "PUT", path: "/api/v1/query", form: encoded([("query", "up")])))
        return exchanges
    }

    /// Sends each exchange over HTTP to 127.0.0.1:`port` (the real Prometheus, or the
    /// endpoint on an `HTTPServer`) and returns the statuses and bodies.
    private func send(_ exchanges: [Exchange], port: Int, log: String) throws -> [(status: Int, body: String)] {
        let script = """
            import sys, json, urllib.request, urllib.error
            base = sys.argv[1]
            out = []
            for exchange in json.load(sys.stdin):
                method, path, form = exchange
                if method == "POST":
                    request = urllib.request.Request(base + path, data=form.encode(), method="POST",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
                else:
                    request = urllib.request.Request(base + path + ("?" + form if form else ""), method=method)
                try:
                    response = urllib.request.urlopen(request, timeout=20)
                    out.append([response.status, response.read().decode()])
                except urllib.error.HTTPError as error:
                    out.append([error.code, error.read().decode()])
            print(json.dumps(out))
            """
        let input = String(decoding: try JSONSerialization.data(withJSONObject: exchanges.map { [$0.method, $0.path, $0.form] }), as: UTF8.self)
        let result = try runProcess(try RealTools.pythonWithPrometheusClient(), ["-c", script, "http://127.0.0.1:\(port)"], input: input)
        guard result.status == 0, let answers = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[Any]] else {
            XCTFail("asking 127.0.0.1:\(port) failed: \(result.stderr)\n\(log.suffix(2_000))")
            return []
        }
        return answers.map { (status: ($0[0] as? NSNumber)?.intValue ?? 0, body: $0[1] as? String ?? "") }
    }
}
