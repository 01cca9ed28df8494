import Foundation

/// The workbook's own folder: the nearest folder, from the current one up, holding
/// `Package.swift` and `lessons/`. Nil when the command runs from elsewhere.
enum PackageRoot {
    static var url: URL? {
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("lessons").path),
               FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}
