import FigpipeBasics
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's nginx as a remote cache for the integration tests: a child
/// process (`daemon off;`) with its config, store, body temporaries and logs
/// in a temporary folder, on 127.0.0.1 at a free port, taking PUTs with its
/// WebDAV module. Its workers run as `nobody` when the tests run as root, so
/// the store and the temporaries are made writable by everyone.
final class Nginx: @unchecked Sendable {
    static let executable: String? = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Why the nginx tests are skipped, shown by the test runner.
    static let missing =
        "nginx is not installed (apt-get install nginx, as .ci/run does): the nginx integration tests are skipped"

    let dir: String
    private(set) var port: UInt16 = 0
    private var pid: pid_t = 0
    private let lock = NSLock()
    private var running = false

    var url: String { "http://127.0.0.1:\(port)" }
    var store: String { dir + "/store" }

    init() throws {
        let exe = try #require(Self.executable, "\(Self.missing)")
        // Under /tmp, whatever TMPDIR is: the workers (nobody) must reach it.
        var template = Array("/tmp/figpipe-nginx.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        dir = String(cString: try #require(made))
        chmod(dir, 0o755)
        for sub in ["store", "body"] {
            mkdir(dir + "/" + sub, 0o777)
            chmod(dir + "/" + sub, 0o777)
        }
        var problems: [String] = []
        for _ in 0..<5 {
            port = try Self.freePort()
            try Self.config(dir: dir, port: port).write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)
            pid = try Spawn.start(
                exe, ["-p", dir, "-c", dir + "/nginx.conf"], stdout: dir + "/stdout", stderr: dir + "/stderr")
            running = true
            if waitUntilListening() { return }
            stop()
            problems.append((try? String(contentsOfFile: dir + "/stderr", encoding: .utf8)) ?? "")
        }
        throw TestServerProblem("nginx did not start: \(problems.joined(separator: "\n"))")
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    static func config(dir: String, port: UInt16) -> String {
        """
        daemon off;
        worker_processes 1;
        \(getuid() == 0 ? "user nobody nogroup;" : "")
        pid \(dir)/nginx.pid;
        error_log \(dir)/error.log warn;
        events { worker_connections 64; }
        http {
            log_format cache '$request_method $uri $status $body_bytes_sent $request_length';
            access_log \(dir)/access.log cache;
            client_body_temp_path \(dir)/body;
            proxy_temp_path \(dir)/body/proxy;
            fastcgi_temp_path \(dir)/body/fastcgi;
            uwsgi_temp_path \(dir)/body/uwsgi;
            scgi_temp_path \(dir)/body/scgi;
            default_type application/octet-stream;
            server {
                listen 127.0.0.1:\(port);
                root \(dir)/store;
                client_max_body_size 0;
                location / {
                    dav_methods PUT DELETE;
                    create_full_put_path on;
                    dav_access user:rw group:rw all:rw;
                }
            }
        }

        """
    }

    /// A port nothing listens on now.
    static func freePort() throws -> UInt16 {
        guard let socket = LoopbackSocket() else {
            throw TestServerProblem("no free port: \(String(cString: strerror(errno)))")
        }
        return socket.port
    }

    /// True once nginx accepts connections; false if it exits first or takes 20 s.
    private func waitUntilListening() -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                lock.withLock { running = false }
                return false
            }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return true }
            usleep(20_000)
        }
        return false
    }

    /// Stops nginx (SIGTERM: the master ends its worker, then itself) and waits for it.
    func stop() {
        let pid = lock.withLock { () -> pid_t? in
            guard running else { return nil }
            running = false
            return self.pid
        }
        guard let pid, pid > 0 else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// The access log: one request a line, `METHOD URI STATUS BODY_BYTES_SENT REQUEST_LENGTH`.
    var requests: [(method: String, uri: String, status: Int, sent: Int, received: Int)] {
        let text = (try? String(contentsOfFile: dir + "/access.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 5, let status = Int(f[2]), let sent = Int(f[3]), let received = Int(f[4]) else {
                return nil
            }
            return (f[0], f[1], status, sent, received)
        }
    }

    /// Every file in the store (`ac/…`, `cas/…`) with its bytes.
    var files: [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: store) else { return out }
        while let name = walker.nextObject() as? String {
            let path = store + "/" + name
            if FileStat.of(path)?.isRegular == true { out[name] = FileManager.default.contents(atPath: path) }
        }
        return out
    }
}

struct TestServerProblem: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A TCP socket bound to a free port on 127.0.0.1 (closed when released).
final class LoopbackSocket {
    let fd: Int32
    let port: UInt16

    /// Binds a new socket; nil (errno set) when that fails.
    init?() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        self.fd = fd
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }
}
