import CurlHTTP
import Foundation
import HTTPTypes
import Hummingbird

/// Credentials the `/private` route accepts.
let testCredentials = BasicAuth(user: "ck_tenant", password: "cs_very-secret-password")

/// The text `/gzip` sends gzip-encoded.
let gzipText = String(repeating: "tenantsync gzip body line\n", count: 200)

extension HTTPField.Name {
    static let xTest = Self("X-Test")!
    static let xCustom = Self("X-Custom")!
    static let xEchoMethod = Self("X-Echo-Method")!
    static let xEchoContentType = Self("X-Echo-Content-Type")!
    static let xEchoCustom = Self("X-Echo-Custom")!
    static let xEchoAcceptEncoding = Self("X-Echo-Accept-Encoding")!
    static let xEchoUserAgent = Self("X-Echo-User-Agent")!
}

/// The routes the client tests talk to.
func makeTestRouter() -> Router<BasicRequestContext> {
    let router = Router()
    router.get("/hello") { request, _ -> Response in
        var headers: HTTPFields = [.contentType: "text/plain"]
        headers.append(HTTPField(name: .xTest, value: "one"))
        headers.append(HTTPField(name: .xTest, value: "two"))
        headers[.xEchoUserAgent] = request.headers[.userAgent] ?? ""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "hello, world")))
    }
    let echo: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let headers: HTTPFields = [
            .xEchoMethod: request.method.rawValue,
            .xEchoContentType: request.headers[.contentType] ?? "",
            .xEchoCustom: request.headers[.xCustom] ?? "",
        ]
        return Response(status: .created, headers: headers, body: .init(byteBuffer: body))
    }
    router.post("/echo", use: echo)
    router.put("/echo", use: echo)
    router.get("/private") { request, _ -> Response in
        let expected = "Basic " + Data("\(testCredentials.user):\(testCredentials.password)".utf8).base64EncodedString()
        guard request.headers[.authorization] == expected else {
            return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"test\""])
        }
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "welcome")))
    }
    router.get("/gzip") { request, _ -> Response in
        let headers: HTTPFields = [
            .contentEncoding: "gzip",
            .contentType: "text/plain",
            .xEchoAcceptEncoding: request.headers[.acceptEncoding] ?? "",
        ]
        let body = ByteBuffer(bytes: Gzip.encode(Array(gzipText.utf8)))
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
    router.get("/stall") { _, _ -> String in
        // Outlives any client timeout in the tests; the server's cancellation at the end of a test ends it.
        try await Task.sleep(for: .seconds(30))
        return "too late"
    }
    router.get("/limited") { _, _ -> Response in
        Response(status: .tooManyRequests, headers: [.retryAfter: "7"])
    }
    router.get("/limited-until") { _, _ -> Response in
        let until = HTTPDate.format(unixSeconds: Int64(Date().timeIntervalSince1970) + 120)
        return Response(status: .tooManyRequests, headers: [.retryAfter: until])
    }
    router.get("/big/:count") { _, context -> Response in
        let count = try context.parameters.require("count", as: Int.self)
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "a"), count: count)))
    }
    router.get("/big-chunked/:count") { _, context -> Response in
        let count = try context.parameters.require("count", as: Int.self)
        return Response(
            status: .ok,
            body: ResponseBody { writer in
                for _ in 0..<10 {
                    try await writer.write(ByteBuffer(repeating: UInt8(ascii: "b"), count: count / 10))
                }
                try await writer.finish(nil)
            }
        )
    }
    router.get("/redirect") { _, _ -> Response in
        Response(status: .found, headers: [.location: "/hello"])
    }
    return router
}
