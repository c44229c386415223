import CurlHTTP
import Foundation

/// Explains an upstream's `401`/`403` in words a customer can act on.
///
/// WordPress answers errors as `{"code": …, "message": …, "data": {"status": …}}`. The MotoPress
/// plugin says `mphb_rest_authentication_error` with "Consumer key is invalid." or "Consumer secret is
/// invalid." when credentials were read but are wrong, and `mphb_rest_cannot_view` ("Sorry, you cannot
/// list resources.") when it saw none, which is what a real WordPress does with Basic authentication
/// over plain `http://`: it ignores it.
struct AuthenticationFailure {
    let request: HTTPRequest
    let status: Int
    let body: [UInt8]

    /// The error's code and message, when the body is a WordPress-style error.
    var upstreamError: (code: String, message: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let code = object["code"] as? String
        else { return nil }
        return (code, (object["message"] as? String) ?? "")
    }

    var message: String {
        let target = "\(request.method) \(URLRedactor.redact(request.url))"
        let upstream = upstreamError
        let quoted = upstream.map { " (\($0.code): \($0.message))" } ?? ""
        let advice: String
        if let upstream, upstream.code.hasSuffix("authentication_error") {
            let text = upstream.message.lowercased()
            if text.contains("consumer key") {
                advice = "the upstream does not know this consumer key; check consumer_key"
            } else if text.contains("secret") || text.contains("signature") {
                advice = "the consumer secret is wrong for this consumer key; check consumer_secret"
            } else {
                advice = "the upstream rejected the credentials; check the tenant's credentials"
            }
        } else if request.basicAuth != nil, request.url.lowercased().hasPrefix("http://") {
            advice = "the site saw no credentials: WordPress ignores Basic authentication over plain http://, so use the site's https:// address in base_url"
        } else if status == 403 {
            advice = "the credentials are valid but not allowed to read this; give the key read access"
        } else {
            advice = "the upstream saw no usable credentials; check the tenant's credentials"
        }
        return "\(target) was refused with HTTP \(status)\(quoted): \(advice)"
    }
}
