import Commands
import Migration
import NIOCore
import RESP

/// A command on a session key, as the migration understands it: the commands a session handler
/// sends (phpredis: GET, SETEX, EXPIRE with lazy_write, DEL on destroy and regenerate_id, EXISTS
/// with strict mode; others: SET … EX, PSETEX, PEXPIRE, UNLINK, TTL, PTTL).
struct SessionCommand {
    enum Operation: Equatable {
        case get
        case exists
        case ttl(milliseconds: Bool)
        /// SET, SETEX, PSETEX: the value and its lifetime in seconds (nil: none given).
        case set(value: [UInt8], ttl: Int?)
        /// EXPIRE, PEXPIRE, in seconds (milliseconds rounded up).
        case expire(ttl: Int)
        /// DEL, UNLINK.
        case delete

        var kind: SessionOperation {
            switch self {
            case .get, .exists, .ttl: return .read
            case .set, .expire, .delete: return .write
            }
        }
    }

    var id: [UInt8]
    var key: [UInt8]
    var operation: Operation

    /// What the migration does with a command.
    enum Parse {
        /// Not a session command: the usual path.
        case other
        case session(SessionCommand)
        /// A session key in a form the migration cannot carry to a legacy store.
        case refused(String)
    }

    /// The commands the migration looks at, by table id: anything else costs one array load.
    enum Kind: UInt8 {
        case none = 0, get, exists, ttl, pttl, set, setex, psetex, expire, pexpire, del, unlink
        /// Another command that reads or changes a string key's value or lifetime: refused on a
        /// session key while sessions migrate (it would act on one store only: phpredis'
        /// `redis.session.early_refresh` reads with GETEX, which would find no session in `legacy`).
        case other
    }

    static let kinds: [Kind] = {
        let table = CommandTable.shared
        var kinds = [Kind](repeating: .none, count: table.all.count + 1)
        let names: [(String, Kind)] = [
            ("get", .get), ("exists", .exists), ("ttl", .ttl), ("pttl", .pttl), ("set", .set), ("setex", .setex),
            ("psetex", .psetex), ("expire", .expire), ("pexpire", .pexpire), ("del", .del), ("unlink", .unlink),
        ]
        for (name, kind) in names {
            if let spec = table.spec(named: name), spec.id < kinds.count { kinds[spec.id] = kind }
        }
        let others = [
            "getex", "getdel", "getset", "setnx", "expireat", "pexpireat", "persist", "expiretime", "pexpiretime",
            "append", "setrange", "getrange", "substr", "strlen", "lcs", "incr", "incrby", "decr", "decrby",
            "incrbyfloat", "mget", "mset", "msetnx", "rename", "renamenx", "copy", "move", "dump", "restore", "type",
            "object", "touch",
        ]
        for name in others {
            if let spec = table.spec(named: name), spec.id < kinds.count { kinds[spec.id] = .other }
        }
        return kinds
    }()

    static func parse(_ request: RESPRequest, spec: CommandSpec, patterns: [SessionKeyPattern]) -> Parse {
        guard spec.id < Self.kinds.count else { return .other }
        let kind = Self.kinds[spec.id]
        guard kind != .none, request.count >= 2 else { return .other }
        func sessionID(_ offset: Int, _ length: Int) -> ([UInt8], [UInt8])? {
            request.bytes.withUnsafeReadableBytes { all in
                let key = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                for pattern in patterns {
                    if let id = pattern.id(in: key) { return (Array(key[id]), Array(key)) }
                }
                return nil
            }
        }
        func isSession(_ offset: Int, _ length: Int) -> Bool {
            request.bytes.withUnsafeReadableBytes { all in
                let key = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                return patterns.contains { $0.id(in: key) != nil }
            }
        }
        if kind == .other {
            var session = false
            spec.forEachKeyRange(in: request) { _, offset, length in
                if !session && isSession(offset, length) { session = true }
            }
            return session ? .refused("\(spec.name.uppercased()) on a session key") : .other
        }
        // Multi-key DEL, UNLINK, EXISTS: only when no key is a session's.
        if request.count > 2 && (kind == .del || kind == .unlink || kind == .exists) {
            var session = false
            request.forEachArgument { index, offset, length in
                if index >= 1 && isSession(offset, length) { session = true }
                return !session
            }
            return session ? .refused("\(spec.name.uppercased()) of several keys that include a session key") : .other
        }
        guard let key = request.argumentRange(1), let (id, keyBytes) = sessionID(key.offset, key.length) else {
            return .other
        }
        func make(_ operation: Operation) -> Parse {
            .session(SessionCommand(id: id, key: keyBytes, operation: operation))
        }
        func bytes(_ index: Int) -> [UInt8] { request.argument(index).map { Array($0.readableBytesView) } ?? [] }
        switch kind {
        case .get where request.count == 2: return make(.get)
        case .exists: return make(.exists)
        case .ttl where request.count == 2: return make(.ttl(milliseconds: false))
        case .pttl where request.count == 2: return make(.ttl(milliseconds: true))
        case .del, .unlink: return make(.delete)
        case .setex, .psetex:
            guard request.count == 4, let amount = request.integer(2), amount > 0 else { return .other }
            return make(.set(value: bytes(3), ttl: kind == .psetex ? Self.seconds(milliseconds: amount) : amount))
        case .expire, .pexpire:
            guard let amount = request.integer(2) else { return .other }
            guard request.count == 3 else {
                return .refused("\(spec.name.uppercased()) with NX, XX, GT or LT on a session key")
            }
            // Zero or less deletes, as in Redis.
            if amount <= 0 { return make(.delete) }
            return make(.expire(ttl: kind == .pexpire ? Self.seconds(milliseconds: amount) : amount))
        case .set:
            guard request.count >= 3 else { return .other }
            var ttl: Int? = nil
            var index = 3
            while index < request.count {
                if index + 1 < request.count, let amount = request.integer(index + 1), amount > 0,
                    request.argument(index, equalsUppercase: "EX") || request.argument(index, equalsUppercase: "PX")
                {
                    let milliseconds = request.argument(index, equalsUppercase: "PX")
                    ttl = milliseconds ? Self.seconds(milliseconds: amount) : amount
                    index += 2
                } else {
                    return .refused("SET with options other than EX or PX on a session key")
                }
            }
            return make(.set(value: bytes(2), ttl: ttl))
        default:
            // Wrong arity for the command: Redis' own error comes back.
            return .other
        }
    }

    static func seconds(milliseconds: Int) -> Int { (milliseconds + 999) / 1000 }
}
