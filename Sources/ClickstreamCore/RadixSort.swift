/// LSD radix sort of 64-bit keys, 8 bits a pass, skipping passes where every key has the same byte — the keys
/// the aggregator sorts (`rank << 32 | index`) vary in about five of their eight bytes.
public enum RadixSort {
    public static func sort(_ keys: inout [UInt64]) {
        let n = keys.count
        if n < 64 {
            keys.sort()
            return
        }
        var scratch = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 256)
        keys.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                var src = a, dst = b
                var inScratch = false
                for pass in 0..<8 {
                    let shift = UInt64(pass * 8)
                    for i in 0..<256 { counts[i] = 0 }
                    for k in src { counts[Int((k >> shift) & 0xFF)] += 1 }
                    if counts[Int((src[0] >> shift) & 0xFF)] == n { continue }
                    var sum = 0
                    for i in 0..<256 {
                        let c = counts[i]
                        counts[i] = sum
                        sum += c
                    }
                    for k in src {
                        let d = Int((k >> shift) & 0xFF)
                        dst[counts[d]] = k
                        counts[d] += 1
                    }
                    swap(&src, &dst)
                    inScratch.toggle()
                }
                if inScratch {
                    for i in 0..<n { a[i] = b[i] }
                }
            }
        }
    }
}
