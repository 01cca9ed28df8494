import Foundation
import Platform
import Instrumentation
import HTTP
import WorkbookKit

/// `lesson load [--url URL] [--duration S] [--min-interval S] [--max-interval S]`:
/// requests against the lesson service, one every 1 to 10 seconds by default, like a
/// trickle of real users, so the request dashboard moves on its own.
struct LoadCommand {
    let arguments: ArraySlice<String>

    /// The service's routes, most often the cheap one, as real traffic tends to be.
    static let paths = ["/", "/", "/", "/api/orders", "/api/orders", "/api/orders/42", "/api/search?q=socks", "/api/checkout"]

    func run() -> Int32 {
        var words = arguments
        var base = "http://127.0.0.1:3001", duration = 0.0, minimum = 1.0, maximum = 10.0
        while let flag = words.popFirst() {
            guard let value = words.popFirst() else { return fail("\(flag) needs a value") }
            if flag == "--url" {
                base = value.hasSuffix("/") ? String(value.dropLast()) : value
                continue
            }
            guard let number = Double(value), number >= 0, number.isFinite else { return fail("\(flag) takes a number of seconds, not \(value)") }
            switch flag {
            case "--duration": duration = number
            case "--min-interval": minimum = number
            case "--max-interval": maximum = number
            default: return fail("unknown option \(flag) (use --url, --duration, --min-interval, --max-interval)")
            }
        }
        guard minimum <= maximum else { return fail("--min-interval must not be above --max-interval") }
        let until = duration > 0 ? Date().addingTimeInterval(duration) : Date.distantFuture
        print("Sending requests to \(base) every \(formatSampleValue(minimum, for: .prometheus)) to \(formatSampleValue(maximum, for: .prometheus)) s\(duration > 0 ? " for \(formatSampleValue(duration, for: .prometheus)) s" : "; Ctrl-C stops")")
        var random = SeededRandom(seed: UInt64(Date().timeIntervalSince1970 * 1000))
        var sent = 0, failed = 0
        while Date() < until {
            let path = Self.paths[Int(random.next(below: UInt64(Self.paths.count)))]
            let started = Date()
            do {
                let response = try HTTPClient.get(url: base + path, timeout: 15)
                print("GET \(path) → \(response.status) in \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
            } catch {
                failed += 1
                print("GET \(path) failed: \(error)")
            }
            sent += 1
            fflush(nil)
            let pause = minimum + (maximum - minimum) * random.unit()
            let remaining = until.timeIntervalSinceNow
            if remaining <= 0 { break }
            Thread.sleep(forTimeInterval: min(pause, remaining))
        }
        print("Sent \(sent) requests, \(failed) failed.")
        return failed == sent && sent > 0 ? 1 : 0
    }

    private func fail(_ problem: String) -> Int32 {
        printError("lesson load: \(problem)")
        return 2
    }
}
