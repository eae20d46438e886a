import CurlHTTP
import Foundation

extension AWSError {
    /// Code and message of an error response: JSON (`__type`, `message`/`Message`), XML (`<Code>`, `<Message>`)
    /// or the `x-amzn-errortype` header. Codes lose any `namespace#` prefix and `:suffix`.
    static func details(of response: HTTPResponse) -> (code: String?, message: String) {
        var code: String? = nil
        var message = ""
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            code = (object["__type"] as? String) ?? (object["code"] as? String) ?? (object["Code"] as? String)
            message = (object["message"] as? String) ?? (object["Message"] as? String) ?? ""
        } else if response.body.first == UInt8(ascii: "<") {
            let text = String(decoding: response.body, as: UTF8.self)
            code = xmlElement("Code", in: text)
            message = xmlElement("Message", in: text) ?? ""
        }
        if code == nil, let header = response.header("x-amzn-errortype") { code = header }
        if code == nil, response.status == 503, response.body.isEmpty { code = "SlowDown" }
        if var c = code {
            if let hash = c.lastIndex(of: "#") { c = String(c[c.index(after: hash)...]) }
            if let colon = c.firstIndex(of: ":") { c = String(c[..<colon]) }
            code = c
        }
        if code == nil && message.isEmpty && !response.body.isEmpty && response.body.count < 300 {
            message = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return (code, message)
    }

    private static func xmlElement(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else {
            return nil
        }
        return XMLEntities.decode(String(text[open.upperBound..<close.lowerBound]))
    }
}
