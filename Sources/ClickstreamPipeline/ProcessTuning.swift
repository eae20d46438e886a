#if canImport(Glibc)
import Glibc

/// glibc's `mallopt` (malloc.h is not in the Glibc module).
@_silgen_name("mallopt") private func mallopt(_ param: Int32, _ value: Int32) -> Int32
#endif

/// Process-wide settings for long batch runs.
public enum ProcessTuning {
    /// A closed pipe (an alert command that ignores its stdin, a peer gone) must be an error on that write,
    /// not a signal that ends the process.
    public static func ignoreSIGPIPE() {
        #if canImport(Glibc)
        signal(SIGPIPE, SIG_IGN)
        #endif
    }

    /// Keeps large buffers (per-chunk records, hash tables) in the heap between chunks instead of returning them
    /// to the kernel and faulting in fresh zeroed pages for the next chunk. No effect outside glibc.
    public static func configureAllocator() {
        #if canImport(Glibc)
        _ = mallopt(-3 /* M_MMAP_THRESHOLD */, 256 << 20)
        _ = mallopt(-1 /* M_TRIM_THRESHOLD */, 512 << 20)
        #endif
    }
}
