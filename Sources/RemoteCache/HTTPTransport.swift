import Dispatch
import FigpipeBasics
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An HTTP exchange's answer.
struct HTTPAnswer: Sendable {
    var status: Int
    var body: [UInt8]
}

/// An exchange that got no complete answer: no connection, a timeout, a
/// connection closed early (a truncated body).
struct TransportError: Error, Sendable, CustomStringConvertible {
    var description: String
}

/// Blocking HTTP requests over the toolchain's `URLSession`
/// (FoundationNetworking, libcurl underneath), for the executor's worker
/// threads. No cache, no cookies; each request's body is sent whole with
/// its `Content-Length`.
final class HTTPTransport: Sendable {
    private let session: URLSession
    private let timeout: Double

    /// `timeout`: seconds without progress before a request fails (at least
    /// 1: FoundationNetworking counts whole seconds); a request also fails
    /// after 20 times that in all, whatever happens.
    init(timeout requested: Double) {
        let timeout = max(1, requested)
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 20
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    func send(_ method: String, _ url: String, headers: [RemoteHeader], body: [UInt8]? = nil) -> Result<
        HTTPAnswer, TransportError
    > {
        guard let target = URL(string: url) else { return .failure(TransportError(description: "bad URL \(url)")) }
        var request = URLRequest(url: target, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        for header in headers { request.setValue(header.value, forHTTPHeaderField: header.name) }
        if let body {
            request.httpBody = Data(body)
            request.setValue(String(body.count), forHTTPHeaderField: "Content-Length")
            request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        }
        let answer = Locked<Result<HTTPAnswer, TransportError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            let result: Result<HTTPAnswer, TransportError>
            if let error {
                result = .failure(TransportError(description: Self.describe(error, timeout: self.timeout)))
            } else if let http = response as? HTTPURLResponse {
                let bytes = data.map { [UInt8]($0) } ?? []
                // A body shorter than its Content-Length is a connection closed early.
                if method != "HEAD", let declared = http.value(forHTTPHeaderField: "Content-Length").flatMap(Int.init),
                    declared != bytes.count
                {
                    result = .failure(
                        TransportError(description: "the body ended after \(bytes.count) of \(declared) bytes"))
                } else {
                    result = .success(HTTPAnswer(status: http.statusCode, body: bytes))
                }
            } else {
                result = .failure(TransportError(description: "no HTTP answer"))
            }
            answer.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        // The session's own timeouts end the task; this is the backstop.
        if done.wait(timeout: .now() + timeout * 20 + 5) == .timedOut {
            task.cancel()
            return .failure(TransportError(description: "no answer in \(Int(timeout * 20 + 5)) s"))
        }
        return answer.withLock { $0 } ?? .failure(TransportError(description: "no answer"))
    }

    /// What went wrong, in words (URLSession's own are error numbers on Linux).
    static func describe(_ error: any Error, timeout: Double) -> String {
        guard let code = (error as? URLError)?.code else { return "\(error)" }
        switch code {
        case .timedOut: return "no answer within \(Int(timeout)) s"
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .networkConnectionLost: return "the connection closed before the answer was complete"
        case .notConnectedToInternet: return "no network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "TLS failed (URLError \(code.rawValue))"
        default: return "URLError \(code.rawValue)"
        }
    }
}
