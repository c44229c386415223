import Foundation
import SupervisorCore
import Testing

@Suite("Webhook signing: Standard Webhooks signatures")
struct WebhookSignatureTests {
    @Test("signatures match the Standard Webhooks reference example and reject tampering")
    func standardWebhooks() throws {
        let signer = try WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(signer.verify(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, header: "v1,bogus " + signature))
        #expect(!signer.verify(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_331, body: body, header: signature))
        #expect(!signer.verify(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, header: "v2," + signature.dropFirst(3)))
        #expect(throws: ConfigurationError.self) { try WebhookSigner(secret: "whsec_not base64!") }
        #expect(!"\(signer)".contains("MfKQ9r8"))
    }
}
