#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only mapping of a whole file, unmapped in `deinit`.
final class FileMapping {
    let base: UnsafeMutableRawPointer
    let count: Int
    init(base: UnsafeMutableRawPointer, count: Int) {
        self.base = base
        self.count = count
    }
    var view: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    deinit { munmap(base, count) }
}
