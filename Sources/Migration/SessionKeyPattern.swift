/// `migration.session_key`: which keys are sessions, and where the id is in them
/// (`PHPREDIS_SESSION:{id}`, `sess:{id}:data`). phpredis' lock keys (`<session key>_LOCK`) are
/// never sessions: they always live in Redis. Matching works on the key's bytes and allocates
/// nothing, so keys that are not sessions cost a prefix compare.
public struct SessionKeyPattern: Sendable, Hashable, CustomStringConvertible {
    public let prefix: [UInt8]
    public let suffix: [UInt8]

    public static let lockSuffix = Array("_LOCK".utf8)

    /// nil unless `pattern` holds `{id}` exactly once.
    public init?(_ pattern: String) {
        let bytes = Array(pattern.utf8)
        let marker = Array("{id}".utf8)
        var found: [Int] = []
        var i = 0
        while i + marker.count <= bytes.count {
            if Array(bytes[i..<(i + marker.count)]) == marker {
                found.append(i)
                i += marker.count
            } else {
                i += 1
            }
        }
        guard found.count == 1, let at = found.first else { return nil }
        self.prefix = Array(bytes[..<at])
        self.suffix = Array(bytes[(at + marker.count)...])
    }

    public var description: String {
        String(decoding: self.prefix, as: UTF8.self) + "{id}" + String(decoding: self.suffix, as: UTF8.self)
    }

    /// The id's range in `key`, when `key` is a session key of this pattern (a non-empty id,
    /// and not a lock key).
    @inline(__always)
    public func id(in key: UnsafeRawBufferPointer) -> Range<Int>? {
        let fixed = self.prefix.count + self.suffix.count
        guard key.count > fixed else { return nil }
        for i in self.prefix.indices where key[i] != self.prefix[i] { return nil }
        let suffixStart = key.count - self.suffix.count
        for i in self.suffix.indices where key[suffixStart + i] != self.suffix[i] { return nil }
        let id = self.prefix.count..<suffixStart
        if Self.endsWithLock(key, before: suffixStart) && self.suffix.isEmpty { return nil }
        return id
    }

    public func id(in key: [UInt8]) -> [UInt8]? {
        key.withUnsafeBytes { bytes in self.id(in: bytes).map { Array(key[$0]) } }
    }

    /// The key a session id is stored under.
    public func key(for id: [UInt8]) -> [UInt8] { self.prefix + id + self.suffix }

    static func endsWithLock(_ key: UnsafeRawBufferPointer, before end: Int) -> Bool {
        let lock = Self.lockSuffix
        guard end >= lock.count else { return false }
        for i in lock.indices where key[end - lock.count + i] != lock[i] { return false }
        return true
    }
}
