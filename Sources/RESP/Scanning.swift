// Primitives shared by both decoders. They work on raw pointers to the readable bytes: the hot
// path scans every byte of every request, and bounds-checked ByteBuffer reads per byte cost more
// than the rest of a small request's handling.

@usableFromInline let asciiCR: UInt8 = 13
@usableFromInline let asciiLF: UInt8 = 10

/// The result of parsing a `<type><integer>\r\n` header line.
@usableFromInline
enum HeaderLine {
    case incomplete
    /// `value` is the integer; `end` is the offset just past `\r\n`.
    case complete(value: Int, end: Int)
    case malformed
}

extension UnsafeRawBufferPointer {
    /// Finds `\r\n` starting at `from`, looking at no more than `limit` bytes. Returns the index of
    /// `\r`, nil if not found in what is there; `tooLong` if `limit` bytes were seen without one.
    @inlinable
    func findCRLF(from: Int, limit: Int) -> (index: Int?, tooLong: Bool) {
        let end = limit >= self.count &- from ? self.count : from &+ limit
        var i = from
        while i < end {
            if self[i] == asciiCR {
                return (i, false)
            }
            i &+= 1
        }
        return (nil, self.count - from >= limit)
    }

    /// Parses the integer of a header line whose type byte is at `at`. Header lines are short; a
    /// line longer than `maxLine` is malformed (guards against a peer streaming digits forever).
    @inlinable
    func parseHeaderInteger(at: Int, maxLine: Int = 32) -> HeaderLine {
        let (cr, tooLong) = self.findCRLF(from: at &+ 1, limit: maxLine)
        guard let cr else { return tooLong ? .malformed : .incomplete }
        guard cr &+ 1 < self.count else { return .incomplete }
        guard self[cr &+ 1] == asciiLF else { return .malformed }
        guard let value = self.parseInteger(from: at &+ 1, to: cr) else { return .malformed }
        return .complete(value: value, end: cr &+ 2)
    }

    /// Parses a decimal integer in `[from, to)`: an optional `-`, then 1 to 18 digits.
    @inlinable
    func parseInteger(from: Int, to: Int) -> Int? {
        var i = from
        var negative = false
        if i < to && self[i] == UInt8(ascii: "-") {
            negative = true
            i &+= 1
        }
        let digits = to &- i
        guard digits > 0 && digits <= 18 else { return nil }
        var value = 0
        while i < to {
            let d = self[i] &- 48
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int(d)
            i &+= 1
        }
        return negative ? -value : value
    }
}

@inlinable
func printableByte(_ byte: UInt8) -> String {
    if byte >= 32 && byte < 127 {
        return String(UnicodeScalar(byte))
    }
    return "\\x" + String(byte, radix: 16)
}

/// Compares a secret given by a client (a password, an admin token) with the expected one in time
/// that does not depend on where they differ: every byte of the longer one is looked at.
public func constantTimeEquals<Given: Collection>(_ given: Given, _ expected: [UInt8]) -> Bool
where Given.Element == UInt8 {
    var difference: UInt8 = given.count == expected.count ? 0 : 1
    var index = given.startIndex
    for i in 0..<Swift.max(given.count, expected.count) {
        var byte: UInt8 = 0
        if index != given.endIndex {
            byte = given[index]
            index = given.index(after: index)
        }
        difference |= byte ^ (i < expected.count ? expected[i] : 0)
    }
    return difference == 0
}
