import Foundation

/// Whether these tests run in `.ci/run`'s second pass, built with `--sanitize=thread`
/// (`WORKBOOK_THREAD_SANITIZER` set). That build runs five to ten times slower, so a test
/// whose point is not concurrency either does less in it or leaves it to the plain pass.
public enum ThreadSanitizerRun {
    public static var isOn: Bool {
        ProcessInfo.processInfo.environment["WORKBOOK_THREAD_SANITIZER"] != nil
    }
}
