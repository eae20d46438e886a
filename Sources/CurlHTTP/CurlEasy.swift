import CCurl

/// Owns one libcurl easy handle (freed in `deinit`); setters throw instead of trapping.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer

    init() throws {
        guard let handle = curl_easy_init() else {
            throw CurlError(function: "curl_easy_init", code: -1, message: "returned NULL (out of memory?)")
        }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    func reset() { curl_easy_reset(handle) }

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(ccurl_easy_setopt_long(handle, option, value), option)
    }

    func set(_ option: CURLoption, int64 value: Int64) throws {
        try check(ccurl_easy_setopt_int64(handle, option, value), option)
    }

    /// libcurl copies string options, so the Swift string only has to live for the call.
    func set(_ option: CURLoption, string value: String) throws {
        let code = value.withCString { ccurl_easy_setopt_ptr(handle, option, $0) }
        try check(code, option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeRawPointer?) throws {
        try check(ccurl_easy_setopt_ptr(handle, option, value), option)
    }

    func set(_ option: CURLoption, callback value: ccurl_data_callback) throws {
        try check(ccurl_easy_setopt_func(handle, option, value), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else { throw CurlError.easy("curl_easy_setopt(\(option.rawValue))", code) }
    }
}
