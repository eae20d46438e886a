import CCurl

/// Owns one libcurl multi handle (freed in `deinit`). Its connection cache is shared by every transfer added to it.
final class CurlMulti {
    let handle: UnsafeMutableRawPointer

    init() throws {
        guard let handle = curl_multi_init() else {
            throw CurlError(function: "curl_multi_init", code: -1, message: "returned NULL (out of memory?)")
        }
        self.handle = handle
    }

    deinit { curl_multi_cleanup(handle) }

    func set(_ option: CURLMoption, _ value: Int) throws {
        try check("curl_multi_setopt(\(option.rawValue))", ccurl_multi_setopt_long(handle, option, value))
    }

    func add(_ easy: CurlEasy) throws {
        try check("curl_multi_add_handle", curl_multi_add_handle(handle, easy.handle))
    }

    func remove(_ easy: CurlEasy) {
        _ = curl_multi_remove_handle(handle, easy.handle)
    }

    /// Drives transfers; returns how many are still running.
    func perform() throws -> Int {
        var running: Int32 = 0
        try check("curl_multi_perform", curl_multi_perform(handle, &running))
        return Int(running)
    }

    /// Waits for activity on any transfer's socket, at most `milliseconds`.
    func poll(milliseconds: Int) throws {
        var fds: Int32 = 0
        try check("curl_multi_poll", curl_multi_poll(handle, nil, 0, Int32(milliseconds), &fds))
    }

    /// The next finished transfer: its easy handle and result.
    func nextDone() -> (UnsafeMutableRawPointer, CURLcode)? {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(handle, &queued) {
            var easy: UnsafeMutableRawPointer? = nil
            var result = CURLE_OK
            if ccurl_msg_done(message, &easy, &result) == 1, let easy { return (easy, result) }
        }
        return nil
    }

    private func check(_ function: String, _ code: CURLMcode) throws {
        guard code == CURLM_OK else { throw CurlError.multi(function, code) }
    }
}
