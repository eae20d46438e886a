import CCurl

/// One in-flight request: its easy handle plus the buffers libcurl writes into. libcurl's callbacks get an
/// unretained pointer to this object; `HTTPClient` keeps it alive until the transfer leaves the multi handle.
final class HTTPTransfer {
    let easy: CurlEasy
    var tag = 0
    var url = ""
    var status = 0
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    var headerList: CurlHeaderList?
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(easy: CurlEasy) {
        self.easy = easy
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit { errorBuffer.deallocate() }

    /// Configures the (reset) easy handle for `request`.
    func prepare(_ request: HTTPRequest, tag: Int, configuration: HTTPClient.Configuration, share: CurlShare) throws {
        self.tag = tag
        url = request.url
        status = 0
        headers = [:]
        body = []
        errorBuffer[0] = 0
        easy.reset()
        let me = Unmanaged.passUnretained(self).toOpaque()
        try easy.set(CURLOPT_URL, string: request.url)
        try easy.set(CURLOPT_SHARE, pointer: share.handle)
        try easy.set(CURLOPT_NOSIGNAL, 1)
        try easy.set(CURLOPT_PROTOCOLS_STR, string: "http,https")
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
        try easy.set(CURLOPT_TIMEOUT_MS, Int(configuration.timeout * 1000))
        if configuration.lowSpeedTime > 0 {
            // libcurl counts in whole seconds; anything shorter still means "at least a second".
            try easy.set(CURLOPT_LOW_SPEED_TIME, max(1, Int(configuration.lowSpeedTime.rounded(.up))))
            try easy.set(CURLOPT_LOW_SPEED_LIMIT, max(1, configuration.lowSpeedLimit))
        } else {
            try easy.set(CURLOPT_LOW_SPEED_TIME, 0)
        }
        try easy.set(CURLOPT_SSL_VERIFYPEER, configuration.verifyTLS ? 1 : 0)
        try easy.set(CURLOPT_SSL_VERIFYHOST, configuration.verifyTLS ? 2 : 0)
        try easy.set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        // No CURLOPT_ACCEPT_ENCODING: bodies stay exactly as the server sent them.
        try easy.set(CURLOPT_WRITEFUNCTION, callback: httpTransferWrite)
        try easy.set(CURLOPT_WRITEDATA, pointer: me)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: httpTransferHeader)
        try easy.set(CURLOPT_HEADERDATA, pointer: me)

        let method = request.method.uppercased()
        switch method {
        case "GET" where request.body.isEmpty:
            try easy.set(CURLOPT_HTTPGET, 1)
        case "HEAD":
            try easy.set(CURLOPT_NOBODY, 1)
        case "DELETE" where request.body.isEmpty:
            try easy.set(CURLOPT_CUSTOMREQUEST, string: method)
        default:
            try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, int64: Int64(request.body.count))
            // COPYPOSTFIELDS copies the bytes (POSTFIELDSIZE_LARGE, set first, gives the length); an empty body still
            // needs a valid pointer, hence the empty C string.
            if request.body.isEmpty {
                try easy.set(CURLOPT_COPYPOSTFIELDS, string: "")
            } else {
                try request.body.withUnsafeBytes { raw in try easy.set(CURLOPT_COPYPOSTFIELDS, pointer: raw.baseAddress) }
            }
            if method != "POST" { try easy.set(CURLOPT_CUSTOMREQUEST, string: method) }
        }

        var lines: [String] = []
        var hasContentType = false
        for h in request.headers {
            if h.name.lowercased() == "content-type" { hasContentType = true }
            lines.append(h.value.isEmpty ? "\(h.name);" : "\(h.name): \(h.value)")
        }
        // Remove what libcurl would add on its own: 100-continue waits and the form content type.
        lines.append("Expect:")
        if !hasContentType { lines.append("Content-Type:") }
        let list = try CurlHeaderList(lines)
        headerList = list
        try easy.set(CURLOPT_HTTPHEADER, pointer: list.list)
    }

    func receiveHeader(_ line: UnsafeBufferPointer<UInt8>) {
        var end = line.count
        while end > 0 && (line[end - 1] == 0x0A || line[end - 1] == 0x0D) { end -= 1 }
        if end == 0 { return }
        let text = String(decoding: UnsafeBufferPointer(rebasing: line[0..<end]), as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            // A new status line (after 100 Continue or a redirect) starts a new header block.
            headers = [:]
            let parts = text.split(separator: " ", maxSplits: 2)
            if parts.count >= 2, let code = Int(parts[1]) { status = code }
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].lowercased()
        let value = Self.trimmingSpaces(text[text.index(after: colon)...])
        if let existing = headers[name] {
            headers[name] = existing + ", " + value
        } else {
            headers[name] = value
        }
        if name == "content-length", let length = Int(value), length > 0, length < 1 << 31 {
            body.reserveCapacity(length)
        }
    }

    var errorMessage: String {
        String(cString: errorBuffer)
    }

    /// A header value without the optional whitespace around it (RFC 9110 OWS: spaces and tabs).
    private static func trimmingSpaces(_ text: Substring) -> String {
        var s = text
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

private func httpTransferWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let user, let data, length > 0 else { return length }
    let transfer = Unmanaged<HTTPTransfer>.fromOpaque(user).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}

private func httpTransferHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let user, let data, length > 0 else { return length }
    let transfer = Unmanaged<HTTPTransfer>.fromOpaque(user).takeUnretainedValue()
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        transfer.receiveHeader(UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}
