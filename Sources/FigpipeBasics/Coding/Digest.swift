import Foundation
import Crypto

/// SHA-256 as lowercase hex, the name of every object in the cache.
public enum Digest {
    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        if let contiguous = bytes as? [UInt8] {
            return hex(SHA256.hash(data: contiguous))
        }
        return hex(SHA256.hash(data: Array(bytes)))
    }

    public static func sha256(_ buffer: UnsafeRawBufferPointer) -> String {
        hex(SHA256.hash(data: buffer))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let table = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(table[Int(byte >> 4)])
            out.append(table[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Hashes a regular file (`FileIO.openRegularFile`) by streaming it in
    /// 1 MiB chunks (constant memory).
    public static func sha256(fileAt path: String) throws -> String {
        let (fd, _) = try FileIO.openRegularFile(path)
        defer { close(fd) }
        var hasher = SHA256()
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hex(hasher.finalize())
    }

    public static func isValid(_ hash: String) -> Bool {
        hash.utf8.count == 64 && hash.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
