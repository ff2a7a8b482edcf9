/// Redis' glob patterns (`KEYS`, ACL key and channel patterns): `*`, `?`, `[abc]`, `[^a-z]`, and
/// `\` to take the next character as it is. Works on bytes, allocates nothing, and backtracks only
/// to the last `*`, so a hostile key costs at most pattern × key steps.
public struct Glob: Sendable, Hashable {
    public let pattern: [UInt8]
    /// `*` alone: everything matches without a walk.
    public let matchesEverything: Bool

    public init(_ pattern: [UInt8]) {
        self.pattern = pattern
        self.matchesEverything = pattern == [UInt8(ascii: "*")]
    }

    public init(_ pattern: String) { self.init(Array(pattern.utf8)) }

    public func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        if self.matchesEverything { return true }
        let p = self.pattern
        var pi = 0
        var ti = 0
        var starP = -1
        var starT = 0
        while ti < text.count {
            if pi < p.count {
                switch p[pi] {
                case UInt8(ascii: "*"):
                    while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
                    if pi == p.count { return true }
                    starP = pi
                    starT = ti
                    continue
                case UInt8(ascii: "?"):
                    pi += 1
                    ti += 1
                    continue
                case UInt8(ascii: "["):
                    if let next = Self.matchClass(p, pi, text[ti]) {
                        pi = next
                        ti += 1
                        continue
                    }
                default:
                    var literal = p[pi]
                    var width = 1
                    if literal == UInt8(ascii: "\\") && pi + 1 < p.count {
                        literal = p[pi + 1]
                        width = 2
                    }
                    if literal == text[ti] {
                        pi += width
                        ti += 1
                        continue
                    }
                }
            }
            // A mismatch: let the last star take one more byte, or fail.
            guard starP >= 0 else { return false }
            starT += 1
            ti = starT
            pi = starP
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }

    public func matches(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { self.matches($0) } }

    /// `[…]` at `start` against `c`: the index after the class when it matches, else nil. An
    /// unterminated class runs to the end of the pattern, as in Redis.
    private static func matchClass(_ p: [UInt8], _ start: Int, _ c: UInt8) -> Int? {
        var i = start + 1
        let negate = i < p.count && p[i] == UInt8(ascii: "^")
        if negate { i += 1 }
        var matched = false
        while i < p.count && p[i] != UInt8(ascii: "]") {
            if p[i] == UInt8(ascii: "\\") && i + 1 < p.count {
                if p[i + 1] == c { matched = true }
                i += 2
            } else if i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
                let (low, high) = p[i] <= p[i + 2] ? (p[i], p[i + 2]) : (p[i + 2], p[i])
                if c >= low && c <= high { matched = true }
                i += 3
            } else {
                if p[i] == c { matched = true }
                i += 1
            }
        }
        if i < p.count { i += 1 }  // the closing bracket
        return matched != negate ? i : nil
    }
}
