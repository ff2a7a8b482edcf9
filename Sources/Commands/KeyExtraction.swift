import RESP

extension CommandSpec {
    /// Calls `body` with the argument index of each key of `request`, in order, following Redis'
    /// key specs (begin search by index or keyword; find keys by range or by a key count).
    /// Returns false when the arguments do not hold the keys the spec promises (e.g. a key count
    /// larger than the arguments): Redis would reject such a command.
    @discardableResult
    public func forEachKeyIndex(in request: RESPRequest, _ body: (Int) -> Void) -> Bool {
        self.forEachKeyIndex(in: request) { index, _ in body(index) }
    }

    /// As `forEachKeyIndex(in:_:)`, with the key spec each key was found by (its ACL flags).
    @discardableResult
    public func forEachKeyIndex(in request: RESPRequest, _ body: (Int, KeySpec) -> Void) -> Bool {
        let argc = request.count
        for spec in self.keySpecs where spec.isKey {
            var first: Int
            switch spec.begin {
            case .index(let index):
                first = index
            case .keyword(let keyword, let startFrom):
                guard let found = Self.findKeyword(keyword, in: request, startFrom: startFrom) else { continue }
                first = found + 1
            case .unknown:
                continue
            }
            guard first < argc else { continue }
            var last: Int
            var step: Int
            switch spec.find {
            case .range(let lastKey, let keyStep, let limit):
                step = keyStep
                last = Self.lastKey(first: first, lastKey: lastKey, limit: limit, argumentCount: argc)
            case .keynum(let keyNumIndex, let firstKey, let keyStep):
                guard let count = request.integer(first + keyNumIndex), count >= 0 else { return false }
                step = keyStep
                first += firstKey
                if count == 0 { continue }
                last = first + (count - 1) * step
            case .unknown:
                continue
            }
            guard last < argc else { return false }
            if step < 1 { step = 1 }
            var i = first
            while i <= last {
                body(i, spec)
                i += step
            }
        }
        return true
    }

    /// Calls `body` with the argument index and the reader-relative byte range of each key of
    /// `request`, in order. Keys that are one arithmetic run of arguments (GET, MGET, MSET, DEL,
    /// …) are found in a single walk over the bytes: a key's range taken one by one from the start
    /// made MSET's cost grow with the square of its keys.
    public func forEachKeyRange(in request: RESPRequest, _ body: (_ index: Int, _ offset: Int, _ length: Int) -> Void) {
        if let (first, last, step) = self.keyRun(argumentCount: request.count) {
            request.forEachArgument { index, offset, length in
                if index > last { return false }
                if index >= first && (index - first) % step == 0 { body(index, offset, length) }
                return true
            }
            return
        }
        self.forEachKeyIndex(in: request) { index in
            if let (offset, length) = request.argumentRange(index) { body(index, offset, length) }
        }
    }

    /// The keys' positions when they are one run of arguments from a fixed index, with a step
    /// (the only key spec is begin-by-index, find-by-range); nil for the rest.
    func keyRun(argumentCount argc: Int) -> (first: Int, last: Int, step: Int)? {
        guard self.keySpecs.count == 1, let spec = self.keySpecs.first, spec.isKey,
            case .index(let first) = spec.begin, case .range(let lastKey, let keyStep, let limit) = spec.find,
            first < argc
        else { return nil }
        let last = Self.lastKey(first: first, lastKey: lastKey, limit: limit, argumentCount: argc)
        guard last < argc else { return nil }
        return (first, last, Swift.max(1, keyStep))
    }

    /// A range key spec's last key index (Redis' `lastkey`: from the first key when it is not
    /// negative, else from the end, or a `limit`-th of what follows the first).
    static func lastKey(first: Int, lastKey: Int, limit: Int, argumentCount argc: Int) -> Int {
        if lastKey >= 0 { return first + lastKey }
        if limit == 0 { return argc + lastKey }
        return first + ((argc - first) / limit + lastKey)
    }

    /// The argument indexes of `request`'s keys.
    public func keyIndexes(in request: RESPRequest) -> [Int]? {
        var result: [Int] = []
        let ok = self.forEachKeyIndex(in: request) { result.append($0) }
        return ok ? result : nil
    }

    public static func findKeyword(_ keyword: String, in request: RESPRequest, startFrom: Int) -> Int? {
        let upper = Array(keyword.uppercased().utf8)
        let argc = request.count
        var ranges: [(Int, Int)] = []
        request.forEachArgument { _, offset, length in
            ranges.append((offset, length))
            return true
        }
        return request.bytes.withUnsafeReadableBytes { bytes -> Int? in
            if startFrom >= 0 {
                var i = startFrom
                while i < argc {
                    if CommandTable.equalsIgnoringCase(bytes, ranges[i].0, ranges[i].1, upper) { return i }
                    i += 1
                }
            } else {
                var i = argc + startFrom
                while i > 0 {
                    if CommandTable.equalsIgnoringCase(bytes, ranges[i].0, ranges[i].1, upper) { return i }
                    i -= 1
                }
            }
            return nil
        }
    }
}
