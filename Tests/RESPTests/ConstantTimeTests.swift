import RESP
import Testing

@Suite struct ConstantTimeTests {
    @Test func comparesWholeSecrets() {
        let secret = Array("s3cret-token".utf8)
        #expect(constantTimeEquals(Array("s3cret-token".utf8), secret))
        #expect(!constantTimeEquals(Array("s3cret-tokeN".utf8), secret))
        #expect(!constantTimeEquals(Array("s3cret".utf8), secret))
        #expect(!constantTimeEquals(Array("s3cret-token!".utf8), secret))
        #expect(!constantTimeEquals([UInt8](), secret))
        #expect(constantTimeEquals([UInt8](), []))
        // A secret followed by 256 zero bytes is not the secret (lengths are compared whole).
        #expect(!constantTimeEquals(secret + [UInt8](repeating: 0, count: 256), secret))
        // Any collection of bytes, e.g. a slice of a header.
        #expect(constantTimeEquals(Array("Bearer s3cret-token".utf8).dropFirst(7), secret))
    }
}
