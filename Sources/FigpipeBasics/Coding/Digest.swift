import CCrypto
import Foundation

/// SHA-256 as lowercase hex, the name of every object in the cache. Computed
/// by the system's OpenSSL libcrypto (EVP), as cairo and zstd come from the
/// system: no cryptography library is compiled with figpipe.
public enum Digest {
    public static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        if let contiguous = bytes as? [UInt8] {
            return contiguous.withUnsafeBytes { sha256($0) }
        }
        return Array(bytes).withUnsafeBytes { sha256($0) }
    }

    public static func sha256(_ buffer: UnsafeRawBufferPointer) -> String {
        let hasher = Hasher()
        hasher.update(buffer)
        return hasher.finalize()
    }

    /// An incremental SHA-256 (an EVP digest context).
    struct Hasher: ~Copyable {
        private let context: OpaquePointer?

        init() {
            context = EVP_MD_CTX_new()
            // Cannot fail for SHA-256 with the default provider; a failure
            // would show as a digest no object has.
            EVP_DigestInit_ex(context, EVP_sha256(), nil)
        }

        deinit { EVP_MD_CTX_free(context) }

        func update(_ buffer: UnsafeRawBufferPointer) {
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            EVP_DigestUpdate(context, base, buffer.count)
        }

        func finalize() -> String {
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            EVP_DigestFinal_ex(context, &digest, &length)
            return hex(digest.prefix(Int(length)))
        }
    }

    static func hex(_ digest: some Collection<UInt8>) -> String {
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
        let hasher = Hasher()
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
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hasher.finalize()
    }

    public static func isValid(_ hash: String) -> Bool {
        hash.utf8.count == 64 && hash.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
