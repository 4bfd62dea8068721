import FigpipeBasics
import FlyingFox
import FlyingSocks
import Foundation

/// A problem starting the server (the port is taken, or not allowed).
public struct ServeError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Serves the output root on 127.0.0.1 at the paths it has there, with live
/// reload: every HTML page gets `live.js`, which listens to the server-sent
/// events at `/_figpipe/events` (`running`: the stages in progress;
/// `reload`: a run finished) and swaps the page's content in place.
/// FlyingFox does the HTTP.
public final class LiveServer: Sendable {
    public let root: String
    private let server: HTTPServer
    let clients = Locked<[Int: AsyncStream<[UInt8]>.Continuation]>([:])
    private let nextClient = Locked(0)
    /// The last `running` and `reload` events, sent to every new client first.
    private let latest = Locked<[String: String]>([:])

    public init(root: String, port: UInt16) throws {
        self.root = root
        let address: sockaddr_in
        do {
            address = try .inet(ip4: "127.0.0.1", port: port)
        } catch {
            throw ServeError("cannot make the address 127.0.0.1:\(port): \(error)")
        }
        server = HTTPServer(address: address, timeout: 60, logger: .disabled)
    }

    /// Starts listening; returns the port (the one given, or the one the
    /// system chose for port 0). Fails when the port cannot be bound.
    public func start() async throws -> UInt16 {
        await server.appendRoute("GET /_figpipe/events") { [self] _ in events() }
        await server.appendRoute("GET /_figpipe/live.js") { _ in
            HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                body: Data(LivePage.script.utf8))
        }
        await server.appendRoute("GET *") { [self] request in
            file(request.path, versioned: request.query.contains { $0.name == "v" })
        }
        let failure = Locked<String?>(nil)
        Task { [server] in
            do { try await server.run() } catch { failure.withLock { $0 = "\(error)" } }
        }
        // Listening, or the error that stopped the server (a port in use).
        for _ in 0..<400 {
            if await server.listeningAddress != nil { break }
            if let error = failure.value { throw ServeError("cannot listen on 127.0.0.1: \(error)") }
            try await Task.sleep(for: .milliseconds(25))
        }
        guard case .ip4(_, let port) = await server.listeningAddress else {
            throw ServeError("the server is not listening")
        }
        return port
    }

    public func stop() async { await server.stop() }

    /// Sends an event to every open page; `reload` and `running` are also
    /// kept for pages that connect later.
    public func send(event: String, data: String) {
        let frame = Array("event: \(event)\ndata: \(data.replacingOccurrences(of: "\n", with: "\ndata: "))\n\n".utf8)
        latest.withLock { $0[event] = data }
        for c in clients.withLock({ Array($0.values) }) { c.yield(frame) }
    }

    func events() -> HTTPResponse {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let id = nextClient.withLock {
            $0 += 1
            return $0
        }
        clients.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.clients.withLock { $0.removeValue(forKey: id) } }
        continuation.yield(Array("retry: 500\n\n".utf8))
        if let running = latest.withLock({ $0["running"] }) {
            continuation.yield(Array("event: running\ndata: \(running)\n\n".utf8))
        }
        return HTTPResponse(
            statusCode: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .connection: "keep-alive"],
            body: HTTPBodySequence(from: EventBytes(stream: stream), suggestedBufferSize: 64 * 1024))
    }

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
        "json": "application/json", "csv": "text/csv; charset=utf-8", "txt": "text/plain; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
    ]

    /// A file of the output root; `/` and folders are their `index.html`.
    /// HTML pages get the live-reload script.
    /// A `?v=<hash>` link names one version of a file, so the browser may keep it.
    func file(_ requestPath: String, versioned: Bool = false) -> HTTPResponse {
        var relative = (requestPath.removingPercentEncoding ?? requestPath).trimmingPrefix("/").description
        if relative.isEmpty || relative.hasSuffix("/") { relative += "index.html" }
        guard Paths.isContained(relative), !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else {
            return HTTPResponse(statusCode: .forbidden)
        }
        var path = Paths.join(root, relative)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            path = Paths.join(path, "index.html")
        }
        guard let bytes = try? FileIO.read(path) else {
            return HTTPResponse(
                statusCode: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                body: Data("not found: /\(relative)\n".utf8))
        }
        let ext = String(path.split(separator: ".").last ?? "")
        var body = Data(bytes)
        if ext == "html" { body = Data(LivePage.inject(into: String(decoding: bytes, as: UTF8.self), root: root).utf8) }
        return HTTPResponse(
            statusCode: .ok,
            headers: [
                .contentType: Self.contentTypes[ext] ?? "application/octet-stream",
                .cacheControl: versioned && ext != "html" ? "max-age=31536000, immutable" : "no-cache",
            ],
            body: body)
    }
}

/// The bytes of a server-sent event stream, for FlyingFox's chunked body.
struct EventBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<[UInt8]>

    func makeAsyncIterator() -> Iterator { Iterator(inner: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var inner: AsyncStream<[UInt8]>.AsyncIterator
        var buffer: [UInt8] = []

        mutating func next() async -> UInt8? {
            if buffer.isEmpty { buffer = await inner.next() ?? [] }
            return buffer.isEmpty ? nil : buffer.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            if buffer.isEmpty { return await inner.next() }
            defer { buffer = [] }
            return buffer
        }
    }
}
