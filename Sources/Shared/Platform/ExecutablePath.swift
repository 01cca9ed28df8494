/// Where this process's own executable is, as an absolute path with symbolic links resolved.
///
/// Linux reads the `/proc/self/exe` link; macOS asks dyld with `_NSGetExecutablePath`.
/// Nil when the system cannot say.
public func executablePath() -> String? {
    #if canImport(Darwin)
    var size: UInt32 = 0
    _ = _NSGetExecutablePath(nil, &size)
    var buffer = [CChar](repeating: 0, count: Int(size) + 1)
    guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
    return resolvedPath(buffer)
    #else
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    buffer[count] = 0
    return resolvedPath(buffer)
    #endif
}

/// `path` with every symbolic link and `..` resolved, or nil when it does not exist.
private func resolvedPath(_ path: [CChar]) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}
