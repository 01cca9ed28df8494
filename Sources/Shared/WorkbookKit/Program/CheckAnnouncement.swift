/// How a lesson program tells the `lesson` command which check is running, so that a crash
/// in the learner's code can be reported with the check it happened in.
///
/// With `WORKBOOK_CHECK_ANNOUNCE=1` in its environment, the program writes one line to
/// standard error before each check: the prefix, then the check's title. The command reads
/// those lines and does not show them.
public enum CheckAnnouncement {
    /// The environment variable that turns the announcements on.
    public static let environmentVariable = "WORKBOOK_CHECK_ANNOUNCE"
    /// What starts an announcement line: an ASCII record separator, which no message begins with.
    public static let prefix = "\u{1E}check: "
}
