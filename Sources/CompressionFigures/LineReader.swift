#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CZstd
import FigpipeBasics
import Foundation

/// A `.zst` file that cannot be decoded completely.
public enum ZstdDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not start with a zstd frame (or is empty).
    case notZstd(file: String, firstBytes: [UInt8])
    /// The file ends inside a frame.
    case truncated(file: String, frameStart: Int, fileSize: Int)
    /// libzstd rejected the data; `offset` is how far the input had been
    /// consumed (the problem is at or just before it).
    case corrupt(file: String, offset: Int, frameStart: Int, reason: String)

    public var description: String {
        switch self {
        case .notZstd(let file, let first):
            if first.isEmpty { return "\(file): not zstd data: the file is empty" }
            let hex = first.map { b in (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: " ")
            return "\(file): not zstd data: the file starts with bytes \(hex), not the zstd magic number 28 b5 2f fd"
        case .truncated(let file, let frameStart, let fileSize):
            return "\(file): truncated: the zstd frame starting at byte offset \(frameStart) is incomplete; "
                + "the file ends at byte \(fileSize)"
        case .corrupt(let file, let offset, let frameStart, let reason):
            return "\(file): corrupt zstd data near byte offset \(offset) (frame starting at byte \(frameStart)): "
                + reason
        }
    }
}

/// Reads a file as lines, incrementally: decoded zstd when the path ends in
/// `.zst` (as the notebook's `load_jsonl` decides), else the plain bytes.
///
/// Memory stays at a few MiB whatever the file size: input is read in 1 MiB
/// chunks and the partial last line of each chunk is carried over to the
/// next. A `.zst` file is decoded on a second thread, one to three chunks
/// ahead of the caller's parsing.
///
/// Lines are split on `"\n"` only; the body receives each line without its
/// `"\n"` (a trailing `"\r"` stays, as JSON white space). Lines that are empty
/// or white space only (Python's `line.strip()` is empty, for ASCII white
/// space) are skipped. Line numbers are 1-based: one plus the number of
/// `"\n"` before the line.
enum LineReader {
    static let chunkSize = 1 << 20

    /// - Parameters:
    ///   - body: called with a buffer, the byte range of one line in it, and
    ///     its line number. The buffer is only valid during the call.
    ///   - progress: called now and then with a short note on long decodes.
    static func forEachLine(
        path: String, displayName: String, progress: ((String) -> Void)? = nil,
        _ body: (UnsafeBufferPointer<UInt8>, Range<Int>, Int) throws -> Void
    ) throws {
        let (fd, size) = try FileIO.openRegularFile(path, display: displayName)
        defer { close(fd) }
        let file = InputFile(fd: fd, displayName: displayName, size: size)
        if path.hasSuffix(".zst") {
            try decodeZstd(file, progress: progress, body)
        } else {
            var lines = LineBuffer(capacity: chunkSize)
            defer { lines.deallocate() }
            while true {
                lines.reserveFree(chunkSize / 2)
                let n = try file.read(into: lines.free)
                if n == 0 { break }
                lines.filled += n
                try lines.drain(final: false, body)
            }
            try lines.drain(final: true, body)
        }
    }

    /// Decodes every frame of the file (the notebook's
    /// `ZstdDecompressor().decompress()` decodes only the first frame and
    /// silently ignores the rest; we decode all of them, deliberately, as
    /// `zstd -d` does). Skippable frames are skipped.
    ///
    /// A producer thread decodes into chunks of whole lines; this thread
    /// splits them and calls `body`.
    private static func decodeZstd(
        _ file: InputFile, progress: ((String) -> Void)?,
        _ body: (UnsafeBufferPointer<UInt8>, Range<Int>, Int) throws -> Void
    ) throws {
        // Checked here, so that a file that is not zstd at all fails before
        // a thread starts.
        var head = [UInt8](repeating: 0, count: 4)
        let headCount = head.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress, 4, 0) }
        guard headCount >= 0 else { throw FileError(path: file.displayName, operation: "read", errno: errno) }
        try checkMagic(Array(head[0..<headCount]), file: file)

        let channel = ChunkChannel()
        let done = DispatchSemaphore(value: 0)
        let producer = Thread {
            ZstdProducer(file: file, channel: channel).run()
            done.signal()
        }
        producer.name = "figpipe zstd decoder"
        producer.start()
        defer {
            channel.cancel()
            done.wait()
        }

        var newlines = 0
        var decoded = 0
        var nextProgress = 64 << 20
        while let chunk = try channel.next() {
            defer { channel.recycle(chunk.buffer) }
            guard let base = chunk.buffer.baseAddress else { continue }
            let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: chunk.count)
            var lineStart = 0
            while lineStart < chunk.count {
                let nl: Int
                if let hit = memchr(base + lineStart, 0x0A, chunk.count - lineStart) {
                    nl = base.distance(to: UnsafeMutableRawPointer(hit))
                } else {
                    nl = chunk.count  // the file's last line, without "\n"
                }
                newlines += 1
                if !isBlank(bytes, lineStart..<nl) { try body(bytes, lineStart..<nl, newlines) }
                lineStart = nl + 1
            }
            decoded += chunk.count
            if let progress, decoded >= nextProgress {
                nextProgress += 64 << 20
                let done = file.size > 0 ? chunk.compressedOffset * 100 / file.size : 100
                progress("\(file.displayName): decoded \(decoded >> 20) MiB (\(done)% of the compressed file)")
            }
        }
    }

    /// Decodes the frame starting at `frameStart` again, feeding libzstd a
    /// few bytes at a time, and returns the input offset at which it fails
    /// (accurate to `step` bytes, plus the block being assembled), or nil.
    static func locateError(_ file: InputFile, frameStart: Int) -> Int? {
        guard let stream = ZSTD_createDStream() else { return nil }
        defer { ZSTD_freeDStream(stream) }
        _ = ZSTD_initDStream(stream)
        let step = 256
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 17, alignment: 16)
        defer { output.deallocate() }
        var chunk = [UInt8](repeating: 0, count: step)
        var offset = frameStart
        while offset < file.size {
            let n = chunk.withUnsafeMutableBytes { buf in pread(file.fd, buf.baseAddress, step, off_t(offset)) }
            if n <= 0 { return nil }
            let failed: Bool = chunk.withUnsafeBytes { buf in
                var input = ZSTD_inBuffer(src: buf.baseAddress, size: n, pos: 0)
                while true {
                    var out = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
                    let ret = ZSTD_decompressStream(stream, &out, &input)
                    if ZSTD_isError(ret) != 0 { return true }
                    if ret == 0 && input.pos == input.size { return false }
                    if input.pos == input.size && out.pos < out.size { return false }
                }
            }
            offset += n
            if failed { return offset }
        }
        return nil
    }

    private static func checkMagic(_ head: [UInt8], file: InputFile) throws {
        if head.count == 4 {
            let magic = UInt32(head[0]) | UInt32(head[1]) << 8 | UInt32(head[2]) << 16 | UInt32(head[3]) << 24
            if magic == ZSTD_MAGICNUMBER || magic & ZSTD_MAGIC_SKIPPABLE_MASK == ZSTD_MAGIC_SKIPPABLE_START {
                return
            }
        } else if !head.isEmpty && head[...] == ([0x28, 0xB5, 0x2F, 0xFD] as [UInt8]).prefix(head.count) {
            throw ZstdDecodingError.truncated(file: file.displayName, frameStart: 0, fileSize: file.size)
        }
        throw ZstdDecodingError.notZstd(file: file.displayName, firstBytes: head)
    }

    /// Python's `str.strip()` removes these (ASCII white space).
    @inline(__always)
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for i in range {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F: continue
            default: return false
            }
        }
        return true
    }
}

// MARK: - The decoding thread

/// Decoded text handed from the producer to the consumer: whole lines, each
/// ending in "\n", except that the file's last chunk may end with a line
/// without one.
private struct TextChunk: @unchecked Sendable {
    /// Owned by whoever holds the chunk; given back with `recycle`.
    var buffer: UnsafeMutableRawBufferPointer
    var count: Int
    /// How far the compressed input had been read (for progress notes).
    var compressedOffset: Int
}

/// A bounded queue of decoded chunks, plus a pool of empty buffers going
/// back. All state is guarded by `condition`.
///
/// One of the two exemptions from `Locked` (with `TextChunk`, the raw
/// buffers it carries): a producer/consumer queue needs a condition to wait
/// on, which `Locked` (the standard library's `Mutex`) does not have.
private final class ChunkChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var full: [TextChunk] = []
    private var empty: [UnsafeMutableRawBufferPointer] = []
    private var outcome: (any Error)?
    private var finished = false
    private var cancelled = false
    /// Decoded chunks allowed to wait for the consumer.
    private let depth = 3

    deinit {
        for c in full { c.buffer.deallocate() }
        for b in empty { b.deallocate() }
    }

    // Producer side.

    /// Queues a chunk; false (the chunk taken back) when the consumer has
    /// gone away.
    func put(_ chunk: TextChunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while full.count >= depth && !cancelled { condition.wait() }
        if cancelled { return false }
        full.append(chunk)
        condition.broadcast()
        return true
    }

    /// A recycled buffer of at least `minimum` bytes, or a new one.
    func emptyBuffer(minimum: Int) -> UnsafeMutableRawBufferPointer {
        condition.lock()
        let reused = empty.popLast()
        condition.unlock()
        if let reused {
            if reused.count >= minimum { return reused }
            reused.deallocate()
        }
        return UnsafeMutableRawBufferPointer.allocate(byteCount: minimum, alignment: 16)
    }

    var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// The producer is done: `error` nil at the end of the data.
    func finish(_ error: (any Error)?) {
        condition.lock()
        outcome = error
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    // Consumer side.

    /// The next chunk; nil at the end; throws the producer's error once the
    /// chunks before it are consumed.
    func next() throws -> TextChunk? {
        condition.lock()
        defer { condition.unlock() }
        while full.isEmpty && !finished { condition.wait() }
        if !full.isEmpty {
            let c = full.removeFirst()
            condition.broadcast()
            return c
        }
        if let outcome { throw outcome }
        return nil
    }

    func recycle(_ buffer: UnsafeMutableRawBufferPointer) {
        condition.lock()
        if empty.count < depth + 2 { empty.append(buffer) } else { buffer.deallocate() }
        condition.unlock()
    }

    /// The consumer stops (normally or not): the producer's next `put` fails.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Decodes the file into chunks of whole lines for a `ChunkChannel`.
private struct ZstdProducer: Sendable {
    let file: InputFile
    let channel: ChunkChannel

    func run() {
        do {
            try decode()
            channel.finish(nil)
        } catch {
            channel.finish(error)
        }
    }

    private func decode() throws {
        let chunkSize = LineReader.chunkSize
        guard let stream = ZSTD_createDStream() else {
            throw ZstdDecodingError.corrupt(
                file: file.displayName, offset: 0, frameStart: 0, reason: "cannot allocate a zstd decoder")
        }
        defer { ZSTD_freeDStream(stream) }
        _ = ZSTD_initDStream(stream)

        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { input.deallocate() }
        var inBuffer = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress), size: 0, pos: 0)
        var inputBase = 0  // file offset of input[0]
        var atEOF = false
        var inFrame = false
        var frameStart = 0
        var outputWasFull = false

        var out = channel.emptyBuffer(minimum: chunkSize)
        var filled = 0
        defer { out.deallocate() }

        while true {
            if inBuffer.pos == inBuffer.size && !atEOF {
                inputBase += inBuffer.size
                inBuffer.size = try file.read(into: input)
                inBuffer.pos = 0
                if inBuffer.size == 0 { atEOF = true }
            }
            let inputLeft = inBuffer.pos < inBuffer.size
            if !inputLeft && !outputWasFull { break }
            if !inFrame && !inputLeft { break }
            if !inFrame { frameStart = inputBase + inBuffer.pos }

            // Hand over the whole lines when the buffer is nearly full.
            if out.count - filled < chunkSize / 4 {
                guard let base = out.baseAddress else { break }
                var lastNL = filled - 1
                while lastNL >= 0 && base.load(fromByteOffset: lastNL, as: UInt8.self) != 0x0A { lastNL -= 1 }
                if lastNL < 0 {
                    // One line fills the buffer: grow it.
                    let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: out.count * 2, alignment: 16)
                    if let dst = bigger.baseAddress { memcpy(dst, base, filled) }
                    out.deallocate()
                    out = bigger
                } else {
                    let next = channel.emptyBuffer(minimum: chunkSize)
                    let tail = filled - (lastNL + 1)
                    if tail > 0, let dst = next.baseAddress { memcpy(dst, base + lastNL + 1, tail) }
                    let chunk = TextChunk(buffer: out, count: lastNL + 1, compressedOffset: inputBase + inBuffer.pos)
                    out = next
                    filled = tail
                    if !channel.put(chunk) {
                        chunk.buffer.deallocate()
                        return
                    }
                }
            }

            var outBuffer = ZSTD_outBuffer(
                dst: out.baseAddress.map { $0 + filled }, size: out.count - filled, pos: 0)
            let ret = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
            if ZSTD_isError(ret) != 0 {
                // libzstd does not say how far into the input it got; find out.
                let offset = LineReader.locateError(file, frameStart: frameStart) ?? (inputBase + inBuffer.pos)
                throw ZstdDecodingError.corrupt(
                    file: file.displayName, offset: offset, frameStart: frameStart,
                    reason: String(cString: ZSTD_getErrorName(ret)))
            }
            // 0: a frame is completely decoded and flushed; the input position
            // is then exactly the end of that frame.
            inFrame = ret != 0
            outputWasFull = outBuffer.pos == outBuffer.size
            filled += outBuffer.pos
        }
        if inFrame {
            throw ZstdDecodingError.truncated(file: file.displayName, frameStart: frameStart, fileSize: file.size)
        }
        if filled > 0 {
            let chunk = TextChunk(buffer: out, count: filled, compressedOffset: file.size)
            out = channel.emptyBuffer(minimum: 1)
            if !channel.put(chunk) { chunk.buffer.deallocate() }
        }
    }
}

/// An open file descriptor with its display name.
struct InputFile: Sendable {
    let fd: Int32
    let displayName: String
    let size: Int

    /// Fills as much of `buffer` as the file allows; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            guard let base = buffer.baseAddress else { return 0 }
            #if canImport(Glibc)
                let n = Glibc.read(fd, base + filled, buffer.count - filled)
            #else
                let n = Darwin.read(fd, base + filled, buffer.count - filled)
            #endif
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: displayName, operation: "read", errno: errno)
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}

/// A growable byte buffer holding decoded text not yet split into lines.
/// `bytes[0 ..< filled]` is pending; everything before `scanned` has been
/// searched for "\n" already (it holds none).
private struct LineBuffer {
    private(set) var storage: UnsafeMutableRawBufferPointer
    var filled = 0
    private var scanned = 0
    /// Number of "\n" seen so far.
    private var newlines = 0

    init(capacity: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    func deallocate() { storage.deallocate() }

    /// The unfilled tail of the buffer.
    var free: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: storage[filled...])
    }

    /// Grows the buffer (a line longer than it) until `n` bytes are free.
    mutating func reserveFree(_ n: Int) {
        guard storage.count - filled < n else { return }
        var newCount = storage.count
        while newCount - filled < n { newCount *= 2 }
        let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: newCount, alignment: 16)
        if filled > 0, let dst = bigger.baseAddress, let src = storage.baseAddress {
            memcpy(dst, src, filled)
        }
        storage.deallocate()
        storage = bigger
    }

    /// Hands every complete line to `body`, then moves the partial last line
    /// to the front. `final`: the input has ended; the rest is the last line.
    mutating func drain(final: Bool, _ body: (UnsafeBufferPointer<UInt8>, Range<Int>, Int) throws -> Void) throws {
        guard let base = storage.baseAddress else { return }
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: filled)
        var lineStart = 0
        var p = scanned
        while p < filled {
            guard let hit = memchr(base + p, 0x0A, filled - p) else { break }
            let nl = base.distance(to: UnsafeMutableRawPointer(hit))
            newlines += 1
            if !LineReader.isBlank(bytes, lineStart..<nl) {
                try body(bytes, lineStart..<nl, newlines)
            }
            lineStart = nl + 1
            p = nl + 1
        }
        if final {
            if lineStart < filled && !LineReader.isBlank(bytes, lineStart..<filled) {
                try body(bytes, lineStart..<filled, newlines + 1)
            }
            filled = 0
            scanned = 0
            return
        }
        let rest = filled - lineStart
        if rest > 0 && lineStart > 0 { memmove(base, base + lineStart, rest) }
        filled = rest
        scanned = rest
    }
}
