import FigpipeBasics
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for the remote cache's tests: Bazel's
/// remote cache protocol (`GET`/`HEAD`/`PUT` of `/ac/…` and `/cas/…`) kept in
/// memory, with the checks and faults nginx does not offer. One thread per
/// connection, blocking sockets: it answers whatever the test process's
/// task pool is busy with, which a server on Swift's concurrency could not
/// promise while other suites keep every pool thread busy.
final class TestServer: Sendable {
    /// What the server does besides serving.
    struct Behaviour: Sendable {
        /// Answer 400 to a PUT without Content-Length (bazel-remote does).
        var requireContentLength = true
        /// Answer 400 to `PUT /cas/<h>` whose body does not hash to h.
        var verifyHashes = true
        /// Seconds to wait before each answer.
        var delay = 0.0
        /// Answer this many requests with 500 first (`Int.max`: all of them).
        var failures = 0
        /// Requests to `/cas/…` get their headers and half their body, then the connection closes.
        var truncateBlobs = 0
        /// Answer every `PUT /cas/…` with this status instead of storing it.
        var refuseBlobPuts: Int?
        /// Answer 401 to requests without exactly this Authorization header.
        var requiredAuthorization: String?
        /// Close the connection as soon as a PUT's headers are read, its body unread.
        var dropPuts = false
    }

    /// One request as the server saw it.
    struct Request: Sendable, Equatable {
        var method: String
        var path: String
        /// The Content-Length header's value, if any.
        var contentLength: Int?
        var bodyCount: Int
        var status: Int
        var authorization: String?
    }

    let port: UInt16
    private let listener: Int32
    private let core: Core

    init(_ behaviour: Behaviour = Behaviour()) throws {
        core = Core(behaviour)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw TestServerError("bind: \(String(cString: strerror(errno)))")
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let (core, listener) = (core, fd)
        Thread { core.acceptLoop(listener) }.start()
    }

    deinit { stop() }

    var url: String { "http://127.0.0.1:\(port)" }

    var behaviour: Behaviour {
        get { core.state.withLock { $0.behaviour } }
        set { core.state.withLock { $0.behaviour = newValue } }
    }

    var requests: [Request] { core.state.withLock { $0.requests } }
    var files: [String: [UInt8]] { core.state.withLock { $0.files } }

    func put(_ path: String, _ bytes: [UInt8]) { core.put(path, bytes) }
    func remove(_ path: String) { core.state.withLock { $0.files[path] = nil } }

    /// Stops listening and ends every connection (under the lock, so that no
    /// descriptor is closed, and its number reused, while this runs).
    func stop() {
        core.state.withLock { s in
            guard !s.stopped else { return }
            s.stopped = true
            for fd in s.connections + [listener] { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }
}

/// The server's state and its threads' work; the threads hold this, not the
/// server, so the server goes (and stops) when the test lets it go.
private final class Core: Sendable {
    struct State {
        var files: [String: [UInt8]] = [:]
        var behaviour: TestServer.Behaviour
        var requests: [TestServer.Request] = []
        var connections: [Int32] = []
        var stopped = false
    }

    let state: Locked<State>

    init(_ behaviour: TestServer.Behaviour) { state = Locked(State(behaviour: behaviour)) }

    func put(_ path: String, _ bytes: [UInt8]) { state.withLock { $0.files[path] = bytes } }

    func acceptLoop(_ listener: Int32) {
        while true {
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else {
                if errno == EINTR { continue }
                break
            }
            let accepted = state.withLock { s -> Bool in
                guard !s.stopped else { return false }
                s.connections.append(fd)
                return true
            }
            guard accepted else {
                close(fd)
                break
            }
            Thread { [self] in
                serve(Connection(fd: fd))
                state.withLock { s in
                    s.connections.removeAll { $0 == fd }
                    close(fd)
                }
            }.start()
        }
        close(listener)
    }

    /// Requests on one connection until it closes (keep-alive).
    private func serve(_ connection: Connection) {
        while let head = connection.readHead() {
            let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
            let parts = (lines.first ?? "").split(separator: " ").map(String.init)
            guard parts.count == 3 else { return }
            let (method, path) = (parts[0], parts[1])
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            let contentLength = headers["content-length"].flatMap { Int($0) }
            let behaviour = state.withLock { $0.behaviour }
            var record = TestServer.Request(
                method: method, path: path, contentLength: contentLength, bodyCount: 0, status: 0,
                authorization: headers["authorization"])
            func answer(_ status: Int, _ body: [UInt8] = [], length: Int? = nil, close: Bool = false) {
                record.status = status
                state.withLock { $0.requests.append(record) }
                if behaviour.delay > 0 { usleep(UInt32(behaviour.delay * 1e6)) }
                var text = "HTTP/1.1 \(status) \(status < 300 ? "OK" : "Error")\r\n"
                text += "Content-Length: \(length ?? body.count)\r\n"
                if close { text += "Connection: close\r\n" }
                connection.write(Array((text + "\r\n").utf8) + (method == "HEAD" ? [] : body))
            }
            if method == "PUT" && contentLength == nil && behaviour.requireContentLength {
                answer(400, Array("Content-Length required".utf8), close: true)
                return
            }
            if method == "PUT" && behaviour.dropPuts {
                state.withLock { $0.requests.append(record) }
                return
            }
            if headers["expect"]?.lowercased() == "100-continue" {
                connection.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
            guard let body = connection.read(count: contentLength ?? 0) else { return }
            record.bodyCount = body.count
            let failing = state.withLock { s -> Bool in
                guard s.behaviour.failures > 0 else { return false }
                if s.behaviour.failures != Int.max { s.behaviour.failures -= 1 }
                return true
            }
            if failing {
                answer(500)
                continue
            }
            if let required = behaviour.requiredAuthorization, headers["authorization"] != required {
                answer(401)
                continue
            }
            switch method {
            case "PUT":
                if path.hasPrefix("/cas/"), let status = behaviour.refuseBlobPuts {
                    answer(status)
                } else if behaviour.verifyHashes && path.hasPrefix("/cas/")
                    && Digest.sha256(body) != String(path.dropFirst(5))
                {
                    answer(400, Array("hash mismatch".utf8))
                } else {
                    put(path, body)
                    answer(200)
                }
            case "GET", "HEAD":
                guard let stored = state.withLock({ $0.files[path] }) else {
                    answer(404)
                    continue
                }
                let truncating = state.withLock { s -> Bool in
                    guard path.hasPrefix("/cas/"), method == "GET", s.behaviour.truncateBlobs > 0 else { return false }
                    if s.behaviour.truncateBlobs != Int.max { s.behaviour.truncateBlobs -= 1 }
                    return true
                }
                if truncating {
                    answer(200, Array(stored.prefix(stored.count / 2)), length: stored.count, close: true)
                    return
                }
                answer(200, stored)
            default:
                answer(405)
            }
        }
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A connected socket, read with a buffer.
private final class Connection {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// Reads more bytes; false at the end of the stream or on an error.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }

    /// The request line and headers, without the blank line.
    func readHead() -> String? {
        let end = Array("\r\n\r\n".utf8)
        while true {
            if let range = buffer.firstRange(of: end) {
                let head = String(decoding: buffer[..<range.lowerBound], as: UTF8.self)
                buffer.removeSubrange(..<range.upperBound)
                return head
            }
            guard fill() else { return nil }
        }
    }

    func read(count: Int) -> [UInt8]? {
        while buffer.count < count { guard fill() else { return nil } }
        let out = Array(buffer[..<count])
        buffer.removeSubrange(..<count)
        return out
    }

    func write(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress.map { $0 + sent }, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { return }
            sent += n
        }
    }
}
