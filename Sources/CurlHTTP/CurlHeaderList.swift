import CCurl

/// Owns a `curl_slist` of request header lines (freed in `deinit`); must outlive the transfer that uses it.
final class CurlHeaderList {
    private(set) var list: UnsafeMutablePointer<curl_slist>? = nil

    init(_ lines: [String]) throws {
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                throw CurlError(function: "curl_slist_append", code: -1, message: "returned NULL (out of memory?)")
            }
            list = appended
        }
    }

    deinit { curl_slist_free_all(list) }
}
