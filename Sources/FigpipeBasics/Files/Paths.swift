import Foundation

/// Path helpers: absolute, normalized paths as strings, shown relative to the
/// working directory when they are below it.
public enum Paths {
    public static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    /// `path` made absolute against `base` and normalized (`.` and `..` removed).
    public static func absolute(_ path: String, relativeTo base: String = currentDirectory) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    public static func join(_ base: String, _ relative: String) -> String {
        absolute(relative, relativeTo: base)
    }

    /// The path relative to the working directory if it is below it, else as is.
    public static func display(_ absolutePath: String) -> String {
        let cwd = absolute(currentDirectory)
        if absolutePath == cwd { return "." }
        let prefix = cwd == "/" ? "/" : cwd + "/"
        return absolutePath.hasPrefix(prefix) ? String(absolutePath.dropFirst(prefix.count)) : absolutePath
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    public static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// True when `relative` stays inside the folder it is relative to.
    public static func isContained(_ relative: String) -> Bool {
        !relative.hasPrefix("/") && absolute(relative, relativeTo: "/r").hasPrefix("/r/")
    }
}
