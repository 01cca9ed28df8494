/// The width of the terminal standard output is connected to, in columns; nil when standard
/// output is not a terminal (a pipe, a file, a test) or the system cannot say.
public func terminalColumns() -> Int? {
    guard isatty(STDOUT_FILENO) == 1 else { return nil }
    var size = winsize()
    let status = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size)
    guard status == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
}
