import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

@testable import RemoteCache

@Suite struct RemoteSettingsParsing {
    @Test func theBaseLosesItsCredentialsAndTrailingSlash() throws {
        let plain = try RemoteSettings.make(url: "http://cache.example:8080/figpipe/", source: "--remote-cache")
        #expect(plain.base == "http://cache.example:8080/figpipe")
        #expect(plain.headers.isEmpty)
        let secured = try RemoteSettings.make(url: "HTTPS://ci:s%3Acret@cache.example", source: "--remote-cache")
        #expect(secured.base == "https://cache.example")
        let basic = "Basic " + Data("ci:s:cret".utf8).base64EncodedString()
        #expect(secured.headers == [RemoteHeader(name: "Authorization", value: basic)])
    }

    @Test(arguments: [
        ("ftp://cache.example/x", "expected an http:// or https:// URL, got 'ftp://cache.example/x'"),
        ("cache.example:8080", "expected an http:// or https:// URL, got 'cache.example:8080'"),
        ("http:///nohost", "'http:///nohost' names no host"),
        ("http://cache.example/?a=1", "'http://cache.example/?a=1' has a query or fragment; give the cache's base URL"),
        ("http://bad host/", "'http://bad host/' is not a URL"),
    ])
    func aBadURLNamesWhereItCameFrom(_ url: String, _ message: String) {
        #expect(throws: RemoteSettingsError("FIGPIPE_REMOTE_CACHE", message)) {
            try RemoteSettings.make(url: url, source: "FIGPIPE_REMOTE_CACHE")
        }
    }

    @Test func errorsNeverShowThePassword() {
        do {
            _ = try RemoteSettings.make(url: "ftp://ci:hunter2@cache.example", source: "--remote-cache")
            Issue.record("accepted an ftp URL")
        } catch {
            #expect(!error.description.contains("hunter2"), "\(error)")
            #expect(error.description.hasPrefix("--remote-cache: "))
        }
    }

    @Test func headersAreNameColonValue() throws {
        #expect(
            try RemoteHeader.parse("Authorization:  Bearer abc.def ")
                == RemoteHeader(name: "Authorization", value: "Bearer abc.def"))
        #expect(throws: RemoteSettingsError.self) { try RemoteHeader.parse("Authorization Bearer abc") }
        #expect(throws: RemoteSettingsError.self) { try RemoteHeader.parse("Auth orization: x") }
        #expect(throws: RemoteSettingsError.self) { try RemoteHeader.parse(": x") }
        #expect(throws: RemoteSettingsError.self) { try RemoteHeader.parse("X-Empty:   ") }
        #expect(throws: RemoteSettingsError.self) { try RemoteHeader.parse("X-Split: a\r\nInjected: b") }
        do {
            _ = try RemoteHeader.parse("Authorization Bearer secret-token")
        } catch {
            #expect(error.description.hasPrefix("--remote-header: "))
            #expect(!error.description.contains("secret-token"))
        }
    }

    /// An Authorization header wins over the URL's user, which wins over netrc.
    @Test func credentialsComeFromTheHeaderTheURLOrNetrc() throws {
        let dir = TemporaryDirectory()
        try dir.write(
            "netrc",
            """
            machine other.example login nope password nope
            machine cache.example
                login  ci
                password from-netrc
            default login anon password anon
            """)
        let netrc = dir.file("netrc")
        func authorization(_ url: String, _ headers: [String] = []) throws -> String? {
            try RemoteSettings.make(url: url, source: "--remote-cache", headers: headers, netrc: netrc).headers
                .first { $0.name == "Authorization" }?.value
        }
        func basic(_ text: String) -> String { "Basic " + Data(text.utf8).base64EncodedString() }
        #expect(try authorization("http://cache.example") == basic("ci:from-netrc"))
        #expect(try authorization("http://CACHE.example:9090/x") == basic("ci:from-netrc"))
        #expect(try authorization("http://elsewhere.example") == basic("anon:anon"))
        #expect(try authorization("http://u:p@cache.example") == basic("u:p"))
        #expect(try authorization("http://u:p@cache.example", ["Authorization: Bearer t"]) == "Bearer t")
        #expect(try authorization("http://cache.example", ["X-Team: figures"]) == basic("ci:from-netrc"))
        #expect(
            try RemoteSettings.make(url: "http://cache.example", source: "s", netrc: dir.file("absent")).headers.isEmpty
        )
    }

    @Test func netrcSkipsMacrosAndReadsTokensAcrossLines() {
        let text = """
            macdef init
            machine cache.example login wrong password wrong

            machine cache.example login right
            password ok
            """
        #expect(Netrc.credentials(forHost: "cache.example", in: text) == Credentials(login: "right", password: "ok"))
        #expect(Netrc.credentials(forHost: "other", in: text) == nil)
        #expect(Netrc.defaultPath(environment: ["HOME": "/home/ci"]) == "/home/ci/.netrc")
        #expect(
            Netrc.defaultPath(environment: ["HOME": "/home/ci", "NETRC": "/etc/figpipe-netrc"]) == "/etc/figpipe-netrc")
    }
}
