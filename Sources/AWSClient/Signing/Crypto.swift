import CurlHTTP
import COpenSSL

/// SHA-256 and HMAC-SHA256 over OpenSSL's libcrypto, plus lowercase hex.
enum Crypto {
    static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = data.withUnsafeBytes { raw in copenssl_sha256(raw.baseAddress, raw.count, &out) }
        precondition(ok == 1, "OpenSSL SHA-256 failed")
        return out
    }

    static func sha1(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        let ok = data.withUnsafeBytes { raw in copenssl_sha1(raw.baseAddress, raw.count, &out) }
        precondition(ok == 1, "OpenSSL SHA-1 failed")
        return out
    }

    static func hmacSHA256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in copenssl_hmac_sha256(k.baseAddress, k.count, d.baseAddress, d.count, &out) }
        }
        precondition(ok == 1, "OpenSSL HMAC-SHA256 failed")
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
