import Dispatch
import FigpipeBasics
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Watches files for changes and reports them, debounced: an editor's save
/// (write, rename, chmod) arrives as one call with every path it touched.
///
/// On Linux it asks inotify about the folders that hold the files (editors
/// often replace a file by renaming a new one over it, which a watch on the
/// file itself would miss) and reads the events on a Dispatch source. When
/// inotify is missing or its watch limit is reached, it polls the files'
/// size, mtime and inode instead, and says so once (`notice`).
public final class FileWatcher: Sendable {
    public enum Mode: String, Sendable {
        case inotify, polling
    }

    struct State {
        var files: Set<String> = []
        var ignored: [String] = []
        var pending: Set<String> = []
        var generation = 0
        var stats: [String: FileStat] = [:]
        var descriptor: Int32 = -1
        var folders: [Int32: String] = [:]
        var source: DispatchSourceRead?
        var poller: DispatchSourceTimer?
        var mode = Mode.inotify
    }

    private let state = Locked(State())
    private let queue = DispatchQueue(label: "figpipe.watch")
    private let debounce: DispatchTimeInterval
    private let pollInterval: DispatchTimeInterval
    private let onChange: @Sendable ([String]) -> Void
    private let notice: @Sendable (String) -> Void

    /// - Parameters:
    ///   - debounce: how long the files must stay quiet before `onChange` runs.
    ///   - forcePolling: poll even where inotify works (tests, network file systems).
    ///   - notice: told once when the watcher falls back to polling, and why.
    public init(
        debounce: DispatchTimeInterval = .milliseconds(50), pollInterval: DispatchTimeInterval = .milliseconds(200),
        forcePolling: Bool = false, notice: @escaping @Sendable (String) -> Void = { _ in },
        onChange: @escaping @Sendable ([String]) -> Void
    ) {
        self.debounce = debounce
        self.pollInterval = pollInterval
        self.onChange = onChange
        self.notice = notice
        if forcePolling { state.withLock { $0.mode = .polling } }
    }

    deinit { stop() }

    public var mode: Mode { state.withLock { $0.mode } }

    /// The hint for a full inotify table.
    public static let watchLimitHint =
        "the inotify watch limit is reached; polling instead (raise it with "
        + "`sudo sysctl fs.inotify.max_user_watches=524288`)"

    /// Watches exactly `files` (absolute paths) from now on; changes under
    /// any of `ignoring` (the output root, the cache) are never reported.
    public func watch(_ files: Set<String>, ignoring: [String]) {
        queue.sync {
            let folders = Set(files.map { Paths.directory(of: $0) })
            state.withLock {
                $0.files = files
                $0.ignored = ignoring.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
                $0.stats = Dictionary(
                    uniqueKeysWithValues: files.map { ($0, FileStat.of($0)) }.compactMap { p in p.1.map { (p.0, $0) } })
            }
            if state.withLock { $0.mode } == .inotify, !watchFolders(folders) { startPolling() }
            if state.withLock { $0.mode } == .polling { startPolling() }
        }
    }

    public func stop() {
        state.withLock {
            $0.source?.cancel()
            $0.source = nil
            $0.poller?.cancel()
            $0.poller = nil
        }
    }

    /// (Re)creates the inotify watches; false when polling must take over.
    private func watchFolders(_ folders: Set<String>) -> Bool {
        #if canImport(Glibc)
            var fd = state.withLock { $0.descriptor }
            if fd < 0 {
                fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
                guard fd >= 0 else {
                    notice("inotify is not available (\(String(cString: strerror(errno)))); polling instead")
                    return false
                }
                let queue = self.queue
                let handler: @Sendable () -> Void = { [weak self] in self?.readEvents() }
                let closer: @Sendable () -> Void = { [fd] in close(fd) }
                state.withLock { s in
                    let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
                    source.setEventHandler(handler: handler)
                    source.setCancelHandler(handler: closer)
                    source.resume()
                    s.descriptor = fd
                    s.source = source
                }
            }
            for (wd, _) in state.withLock { $0.folders } { inotify_rm_watch(fd, wd) }
            var watched: [Int32: String] = [:]
            let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MOVED_FROM)
            for folder in folders.sorted() {
                let wd = inotify_add_watch(fd, folder, mask)
                if wd < 0 {
                    if errno == ENOSPC {
                        notice(Self.watchLimitHint)
                        return false
                    }
                    continue  // a folder that does not exist (yet): its files are reported missing elsewhere
                }
                watched[wd] = folder
            }
            state.withLock { $0.folders = watched }
            return true
        #else
            notice("inotify is not available on this system; polling instead")
            return false
        #endif
    }

    private func readEvents() {
        #if canImport(Glibc)
            let fd = state.withLock { $0.descriptor }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            var touched: [String] = []
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                var offset = 0
                let folders = state.withLock { $0.folders }
                while offset + MemoryLayout<inotify_event>.size <= n {
                    let (wd, length) = buffer.withUnsafeBytes { raw -> (Int32, Int) in
                        let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                        return (event.wd, Int(event.len))
                    }
                    let nameStart = offset + MemoryLayout<inotify_event>.size
                    let nameBytes = buffer[nameStart..<min(nameStart + length, n)].prefix { $0 != 0 }
                    if let folder = folders[wd], !nameBytes.isEmpty {
                        touched.append(Paths.join(folder, String(decoding: nameBytes, as: UTF8.self)))
                    }
                    offset = nameStart + length
                }
            }
            note(touched)
        #endif
    }

    private func startPolling() {
        let (queue, interval) = (self.queue, pollInterval)
        let handler: @Sendable () -> Void = { [weak self] in self?.poll() }
        state.withLock { s in
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + interval, repeating: interval)
            timer.setEventHandler(handler: handler)
            timer.resume()
            s.mode = .polling
            s.poller?.cancel()
            s.poller = timer
        }
    }

    private func poll() {
        let (files, old) = state.withLock { ($0.files, $0.stats) }
        var changed: [String] = []
        var now: [String: FileStat] = [:]
        for file in files {
            let stat = FileStat.of(file)
            now[file] = stat
            if stat != old[file] { changed.append(file) }
        }
        state.withLock { $0.stats = now.compactMapValues { $0 } }
        note(changed)
    }

    /// Keeps the watched, not ignored paths and (re)starts the quiet period.
    private func note(_ paths: [String]) {
        let generation: Int? = state.withLock { s in
            let relevant = paths.filter { p in s.files.contains(p) && !s.ignored.contains { p.hasPrefix($0) } }
            guard !relevant.isEmpty else { return nil }
            s.pending.formUnion(relevant)
            s.generation += 1
            return s.generation
        }
        guard let generation else { return }
        queue.asyncAfter(deadline: .now() + debounce) { [weak self] in
            guard let self else { return }
            let paths: [String]? = self.state.withLock { s in
                guard s.generation == generation else { return nil }
                defer { s.pending = [] }
                return s.pending.sorted()
            }
            if let paths, !paths.isEmpty { self.onChange(paths) }
        }
    }
}
