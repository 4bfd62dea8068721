import FigpipeBasics
import Foundation

/// A login and password for basic authentication.
public struct Credentials: Sendable, Equatable {
    public var login: String
    public var password: String

    public init(login: String, password: String) {
        self.login = login
        self.password = password
    }

    /// `Authorization: Basic …` for these credentials.
    var header: RemoteHeader {
        RemoteHeader(name: "Authorization", value: "Basic " + Data("\(login):\(password)".utf8).base64EncodedString())
    }
}

/// A `.netrc` file, as curl and ftp read it: `machine HOST login NAME
/// password SECRET` entries (and `default`), whitespace-separated tokens,
/// `macdef` macros skipped up to a blank line.
public enum Netrc {
    /// The file figpipe reads: `$NETRC`, else `~/.netrc`.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let path = environment["NETRC"], !path.isEmpty { return path }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.netrc"
    }

    /// The credentials of `host` in the file at `path` (its `default` entry
    /// when no `machine` entry names it); nil when there are none or the file
    /// cannot be read.
    public static func credentials(forHost host: String, path: String) -> Credentials? {
        guard let bytes = try? FileIO.readIfExists(path) else { return nil }
        return credentials(forHost: host, in: String(decoding: bytes, as: UTF8.self))
    }

    /// The credentials of `host` in a netrc file's text.
    public static func credentials(forHost host: String, in text: String) -> Credentials? {
        var entries: [(machine: String?, login: String?, password: String?)] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        var pending: [Substring] = []
        func nextToken() -> Substring? {
            while pending.isEmpty {
                guard let line = lines.popFirst() else { return nil }
                pending = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            }
            return pending.removeFirst()
        }
        while let token = nextToken() {
            switch token {
            case "machine":
                entries.append((nextToken().map(String.init) ?? "", nil, nil))
            case "default":
                entries.append((nil, nil, nil))
            case "login", "password", "account":
                let value = nextToken().map(String.init)
                guard !entries.isEmpty else { continue }
                if token == "login" { entries[entries.count - 1].login = value }
                if token == "password" { entries[entries.count - 1].password = value }
            case "macdef":
                // The macro's name, then its lines up to an empty line.
                pending = []
                while let line = lines.popFirst(), !line.trimmingCharacters(in: .whitespaces).isEmpty {}
            default:
                continue
            }
        }
        let match =
            entries.first { $0.machine?.lowercased() == host.lowercased() } ?? entries.first { $0.machine == nil }
        guard let match, let login = match.login else { return nil }
        return Credentials(login: login, password: match.password ?? "")
    }
}
