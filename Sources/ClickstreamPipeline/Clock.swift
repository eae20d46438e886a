import Foundation

/// The wall clock in epoch milliseconds: what `now` means for TIME expressions, `runs` rows and checkpoints.
public enum Clock {
    public static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
