import WorkbookKit

/// The checks of lesson 4, run against the exercise or the solution.
public enum LabelsAndCardinalityChecks {
    /// The signature of `routeTemplate(for:)`.
    public typealias Template = @Sendable (String) throws -> String

    /// The checks, one rule of the exercise each, then a batch of paths that must collapse into three routes.
    static func checks(_ template: @escaping Template) -> [Check] {
        [
            Check("a path without ids is its own route") {
                try expectEqual(try template("/health"), "/health")
                try expectEqual(try template("/api/orders"), "/api/orders")
            },
            Check("the root path stays /, and an empty path becomes /") {
                try expectEqual(try template("/"), "/")
                try expectEqual(try template(""), "/")
            },
            Check("a numeric piece becomes :id") {
                try expectEqual(try template("/users/42"), "/users/:id")
            },
            Check("every numeric piece becomes :id, not only the last") {
                try expectEqual(try template("/users/123/orders/9"), "/users/:id/orders/:id")
                try expectEqual(try template("/users/7/orders"), "/users/:id/orders")
            },
            Check("a piece with letters and digits is kept: v2 is a version, not an id") {
                try expectEqual(try template("/api/v2/items"), "/api/v2/items")
                try expectEqual(try template("/files/report2024.pdf"), "/files/report2024.pdf")
            },
            Check("the query string is dropped") {
                try expectEqual(try template("/search?q=shoes&page=2"), "/search")
                try expectEqual(try template("/users/7?tab=orders"), "/users/:id")
            },
            Check("a UUID becomes :id, in either case") {
                try expectEqual(try template("/carts/3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5b/items"), "/carts/:id/items")
                try expectEqual(try template("/carts/3F2B8C1E-9D4A-4E6F-A1B2-0C9D8E7F6A5B"), "/carts/:id")
            },
            Check("something UUID-like that is not a UUID is kept") {
                try expectEqual(try template("/tags/not-a-uuid-at-all"), "/tags/not-a-uuid-at-all")
                try expectEqual(try template("/carts/3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5"), "/carts/3f2b8c1e-9d4a-4e6f-a1b2-0c9d8e7f6a5")
            },
            Check("empty pieces from doubled or trailing slashes are dropped") {
                try expectEqual(try template("/users//42/"), "/users/:id")
                try expectEqual(try template("/health/"), "/health")
            },
            Check("120 raw paths of 40 users collapse to 3 routes") {
                var routes = Set<String>()
                for user in 1...40 {
                    routes.insert(try template("/users/\(user)"))
                    routes.insert(try template("/users/\(user)/orders"))
                    routes.insert(try template("/users/\(user)/orders/\(user * 7)?expand=items"))
                }
                try expectEqual(routes.sorted(), ["/users/:id", "/users/:id/orders", "/users/:id/orders/:id"])
            },
        ]
    }
}
