import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

@testable import Serve

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 client on a socket: sends one GET, reads until `until`
/// appears in the answer (or the server closes, or 10 s pass).
func get(port: UInt16, path: String, until: String? = nil, after: (() -> Void)? = nil) -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { return "" }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    var notified = false
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        answer += buffer[0..<n]
        let text = String(decoding: answer, as: UTF8.self)
        if !notified, text.contains("retry:") {
            notified = true
            after?()
        }
        if let until, text.contains(until) { break }
    }
    return String(decoding: answer, as: UTF8.self)
}

/// `get` on a Dispatch thread: its blocking calls must not hold one of the
/// few threads Swift's tasks (and so the server) run on.
func fetch(port: UInt16, path: String, until: String? = nil, after: (@Sendable () -> Void)? = nil) async -> String {
    await withCheckedContinuation { done in
        DispatchQueue.global().async { done.resume(returning: get(port: port, path: path, until: until, after: after)) }
    }
}

@Suite struct LiveServerTests {
    @Test func servesTheOutputRootWithTheLiveScript() async throws {
        let root = TemporaryDirectory("live-server")
        try root.write("index.html", "<html><body>gallery</body></html>")
        try root.write("fam/fig1.png", "png bytes")
        let server = try LiveServer(root: root.path, port: 0)
        let port = try await server.start()
        let page = await fetch(port: port, path: "/")
        #expect(page.hasPrefix("HTTP/1.1 200"))
        #expect(page.contains("gallery<script src=\"/_figpipe/live.js\"></script>"))
        let png = await fetch(port: port, path: "/fam/fig1.png?v=abc")
        #expect(png.contains("Content-Type: image/png"))
        #expect(png.contains("immutable"))
        #expect(png.hasSuffix("png bytes"))
        #expect(await fetch(port: port, path: "/fam/missing.png").hasPrefix("HTTP/1.1 404"))
        #expect(await fetch(port: port, path: "/_figpipe/live.js").contains("EventSource('/_figpipe/events')"))
        await server.stop()
    }

    @Test func hiddenFilesAndEscapesAreRefused() throws {
        let root = TemporaryDirectory("live-server-refused")
        try root.write(".figpipe/lock", "x")
        let server = try LiveServer(root: root.path, port: 0)
        #expect(server.file("/.figpipe/lock").statusCode == .forbidden)
        #expect(server.file("/../secret").statusCode == .forbidden)
    }

    @Test func eventsReachAnOpenStream() async throws {
        let root = TemporaryDirectory("live-server-events")
        let server = try LiveServer(root: root.path, port: 0)
        let port = try await server.start()
        let stream = await fetch(port: port, path: "/_figpipe/events", until: "\"ran\":[]}") {
            server.send(event: "reload", data: "{\"ran\":[]}")
        }
        #expect(stream.contains("Content-Type: text/event-stream"))
        #expect(stream.contains("event: reload\r\n") || stream.contains("event: reload\ndata: {\"ran\":[]}"))
        await server.stop()
    }

    @Test func aTakenPortIsAnError() async throws {
        let root = TemporaryDirectory("live-server-taken")
        let first = try LiveServer(root: root.path, port: 0)
        let port = try await first.start()
        let second = try LiveServer(root: root.path, port: port)
        await #expect(throws: ServeError.self) { try await second.start() }
        await first.stop()
    }
}
