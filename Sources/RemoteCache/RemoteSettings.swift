import FigpipeBasics
import Foundation

/// A remote-cache setting that cannot be used: the flag, variable or field
/// it came from, and what is wrong. Never shows a password or a header value.
public struct RemoteSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--remote-cache`, `FIGPIPE_REMOTE_CACHE`, `pipeline.json: remote_cache`, `--remote-header`, …
    public var source: String
    public var message: String

    public init(_ source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}

/// One header sent with every request (`--remote-header 'Name: value'`).
public struct RemoteHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `Name: value`: a token (RFC 9110's characters), a colon, a value on one line.
    public static func parse(_ text: String, source: String = "--remote-header") throws(RemoteSettingsError)
        -> RemoteHeader
    {
        guard let colon = text.firstIndex(of: ":") else {
            throw RemoteSettingsError(
                source, "expected 'Name: value' (a header name, a colon, its value), got no colon")
        }
        let name = String(text[..<colon])
        let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard !name.isEmpty, name.allSatisfy(tokenCharacters.contains) else {
            throw RemoteSettingsError(source, "'\(name)' is not a header name (letters, digits and !#$%&'*+-.^_`|~)")
        }
        guard !value.isEmpty else { throw RemoteSettingsError(source, "header '\(name)' has no value") }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) else {
            throw RemoteSettingsError(source, "the value of header '\(name)' holds a control character")
        }
        return RemoteHeader(name: name, value: value)
    }
}

/// Where the remote cache is and how to talk to it.
public struct RemoteSettings: Sendable {
    /// `scheme://host[:port][/path]`, without credentials or a trailing slash:
    /// entries are `<base>/ac/<key>`, objects `<base>/cas/<sha256>`.
    public var base: String
    /// The headers of every request, credentials included.
    public var headers: [RemoteHeader]
    /// Seconds without progress before a request is given up (then retried).
    public var timeout: Double = 30
    /// Tries per request, for errors that may pass (no connection, a timeout,
    /// a 5xx status, 408, 429); then the cache counts as unreachable.
    public var attempts = 3
    /// Seconds before the first retry; each further retry waits twice as long.
    public var backoff = 0.25
    /// Store results in the remote cache (`--remote-upload`).
    public var upload = false

    public init(base: String, headers: [RemoteHeader] = []) {
        self.base = base
        self.headers = headers
    }

    /// Settings from a URL (`source` names where it came from, for errors),
    /// the `--remote-header` values, and credentials: an `Authorization`
    /// header wins, then the URL's user information, then the netrc file's
    /// entry for the host.
    public static func make(
        url text: String, source: String, headers: [String] = [], netrc: String? = nil
    ) throws(RemoteSettingsError) -> RemoteSettings {
        guard var components = URLComponents(string: text) else {
            throw RemoteSettingsError(source, "'\(redacted(text))' is not a URL")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw RemoteSettingsError(
                source, "expected an http:// or https:// URL, got '\(redacted(text))'")
        }
        guard let host = components.host, !host.isEmpty else {
            throw RemoteSettingsError(source, "'\(redacted(text))' names no host")
        }
        guard components.query == nil, components.fragment == nil else {
            throw RemoteSettingsError(source, "'\(redacted(text))' has a query or fragment; give the cache's base URL")
        }
        let userInfo = components.user.map { Credentials(login: $0, password: components.password ?? "") }
        components.user = nil
        components.password = nil
        components.scheme = scheme
        guard var base = components.string else {
            throw RemoteSettingsError(source, "'\(redacted(text))' is not a URL")
        }
        while base.hasSuffix("/") { base.removeLast() }
        var all: [RemoteHeader] = []
        for header in headers { all.append(try RemoteHeader.parse(header)) }
        if !all.contains(where: { $0.name.lowercased() == "authorization" }) {
            if let credentials = userInfo ?? netrc.flatMap({ Netrc.credentials(forHost: host, path: $0) }) {
                all.append(credentials.header)
            }
        }
        return RemoteSettings(base: base, headers: all)
    }

    /// A URL as messages show it: without a password.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
