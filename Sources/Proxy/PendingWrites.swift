/// A client's writes awaiting their reply, in the order they were sent.
///
/// Replies come back in that order on a connection, so the write looked up is almost always the
/// first: a lookup is one compare, and a write is read and changed where it lies, never copied
/// (a dictionary hashed the sequence and copied the write, with its buffers' reference counts,
/// on every get and set). A write answered out of order leaves a gap that the head skips; the
/// entries are dropped together once the head reaches the end.
///
///   append(seq) ──▶ [head … tail]   (sequences rise, except a held write sent again)
///   reply(seq) ──▶ index(of:) ──▶ remove(at:) — at the head, or a gap behind it
struct PendingWrites<Write> {
    private struct Entry {
        var sequence: UInt32
        /// False once removed (a gap behind the head, or an entry before it).
        var live: Bool
        var write: Write
    }

    private var entries: [Entry] = []
    /// Entries before it are removed; `entries[head]` is live unless `head == entries.count`.
    private var head = 0

    var isEmpty: Bool { self.head == self.entries.count }

    /// The position of `sequence`'s write, if it is pending.
    @inline(__always)
    func index(of sequence: UInt32) -> Int? {
        var index = self.head
        while index < self.entries.count {
            if self.entries[index].sequence == sequence && self.entries[index].live { return index }
            index &+= 1
        }
        return nil
    }

    /// Adds a write that is not pending (a new one, or a held one sent again).
    mutating func append(_ sequence: UInt32, _ write: consuming Write) {
        if self.head > 32 && self.head * 2 > self.entries.count {
            self.entries.removeFirst(self.head)
            self.head = 0
        }
        self.entries.append(Entry(sequence: sequence, live: true, write: write))
    }

    /// The write at `index`, read or changed in place.
    @inline(__always)
    subscript(at index: Int) -> Write {
        _read { yield self.entries[index].write }
        _modify { yield &self.entries[index].write }
    }

    /// Removes the write at `index` (its buffers are released when the head passes the end).
    @inline(__always)
    mutating func remove(at index: Int) {
        self.entries[index].live = false
        guard index == self.head else { return }
        self.head &+= 1
        while self.head < self.entries.count && !self.entries[self.head].live { self.head &+= 1 }
        if self.head == self.entries.count {
            self.entries.removeAll(keepingCapacity: self.entries.count <= 64)
            self.head = 0
        }
    }

    /// The write of `sequence`, if pending (a copy: not for the hot path).
    subscript(sequence: UInt32) -> Write? {
        self.index(of: sequence).map { self[at: $0] }
    }

    /// Takes the write of `sequence` out, if pending (a copy: not for the hot path).
    mutating func removeValue(forKey sequence: UInt32) -> Write? {
        guard let index = self.index(of: sequence) else { return nil }
        let write = self[at: index]
        self.remove(at: index)
        return write
    }

    mutating func removeAll() {
        self.entries.removeAll()
        self.head = 0
    }
}
