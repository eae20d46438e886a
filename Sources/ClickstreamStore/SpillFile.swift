#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An anonymous scratch file beside the database that holds a whole run's session groups until the run's end,
/// so memory does not grow with the window. It is unlinked as soon as it is created: a killed run leaves nothing
/// behind, and the space is freed when the descriptor closes. Written by appends, read back by `pread`.
final class SpillFile {
    private let fd: Int32
    let path: String
    private(set) var size: Int64 = 0

    init(beside databasePath: String) throws {
        var template = Array((databasePath + ".spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        path = String(cString: template)
        guard fd >= 0 else { throw StoreError.spill(path: path, message: String(cString: strerror(errno))) }
        unlink(path)
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends `bytes`; returns where they are.
    func append(_ bytes: [UInt8]) throws -> Range<Int64> {
        let start = size
        try bytes.withUnsafeBytes { b in
            var done = 0
            while done < b.count {
                let n = pwrite(fd, b.baseAddress! + done, b.count - done, off_t(start) + off_t(done))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw StoreError.spill(path: path, message: String(cString: strerror(errno))) }
                done += n
            }
        }
        size += Int64(bytes.count)
        return start..<size
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw StoreError.spill(path: path, message: String(cString: strerror(errno))) }
            return n
        }
    }
}
