import Instrumentation
import WorkbookKit

/// One request the lesson's shop answered, with both the route template its router matched
/// and the raw path the client asked for.
struct ShopRequest {
    let method: String
    /// The route template, such as `/users/:id/orders`: a small, fixed set.
    let route: String
    /// The raw path, such as `/users/48213/orders`: one per user, order, …
    let path: String
    let code: String
    let userID: String
}

/// The shop's request traffic: which routes are asked for, how often, and how they end.
enum ShopTraffic {
    /// A random request from one of `users` users, each with up to `ordersPerUser` orders.
    static func nextRequest(_ random: inout SeededRandom, users: UInt64, ordersPerUser: UInt64) -> ShopRequest {
        let user = String(1 + random.next(below: users))
        let order = String(1 + random.next(below: ordersPerUser))
        let roll = random.unit(), outcome = random.unit()
        switch roll {
        case ..<0.10:
            return ShopRequest(method: "GET", route: "/", path: "/", code: "200", userID: user)
        case ..<0.20:
            return ShopRequest(method: "GET", route: "/health", path: "/health", code: "200", userID: "")
        case ..<0.50:
            return ShopRequest(method: "GET", route: "/users/:id", path: "/users/\(user)", code: outcome < 0.9 ? "200" : "404", userID: user)
        case ..<0.75:
            return ShopRequest(method: "GET", route: "/users/:id/orders", path: "/users/\(user)/orders", code: "200", userID: user)
        case ..<0.90:
            return ShopRequest(
                method: "GET", route: "/users/:id/orders/:id", path: "/users/\(user)/orders/\(order)", code: outcome < 0.95 ? "200" : "404", userID: user)
        default:
            return ShopRequest(method: "POST", route: "/users/:id/orders", path: "/users/\(user)/orders", code: outcome < 0.97 ? "201" : "500", userID: user)
        }
    }
}

/// The shop's request counters: the right one, labelled by route template, and the same
/// requests labelled by raw path, which this lesson keeps to show what that costs.
struct ShopMetrics {
    /// `http_requests_total{method,route,code}`: a handful of series, however many users come.
    let requests: MetricFamily<Counter>
    /// `http_requests_by_path_total{method,path,code}`: a new series for every new path.
    let requestsByPath: MetricFamily<Counter>

    /// The shop's metrics in `registry`, created the first time and found again after that.
    init(registry: Registry) throws {
        requests = try registry.makeCounterFamily(
            name: "http_requests_total", help: "HTTP requests served, by method, route template and status code.",
            labelNames: ["method", "route", "code"])
        requestsByPath = try registry.makeCounterFamily(
            name: "http_requests_by_path_total",
            help: "HTTP requests served, by method, raw URL path and status code: a series per distinct path, the mistake this lesson measures.",
            labelNames: ["method", "path", "code"])
    }

    /// Counts one answered request in both families.
    func record(_ request: ShopRequest) throws {
        try requests.labels(request.method, request.route, request.code).inc()
        try requestsByPath.labels(request.method, request.path, request.code).inc()
    }
}
