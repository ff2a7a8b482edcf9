import NIOCore

/// The replies of one client's pipeline, handed out in the order its commands came, whatever
/// order they are answered in.
///
///   allocate() ──▶ seq n, n+1, n+2 …        (one slot each, in command order)
///   complete(seq, reply) ──▶ the head slot: written at once, then every filled slot after it
///                       └──▶ a later slot: kept until the ones before it are in
///
/// With one upstream connection per client replies already come in order, so the common case
/// stores nothing: `complete` of the head hands the reply straight back.
struct ReplySlots {
    struct Slot {
        var reply: ByteBuffer?
        /// For metrics: the command's table id and when it was read (uptime nanoseconds).
        var command: UInt16
        var readAt: UInt64
    }

    /// A ring: `ring[(start + i) & (ring.count - 1)]` is the slot of sequence `head + i`, for
    /// `i < used`. Empty until the first command (an idle client holds nothing), then a power of
    /// two that doubles when a pipeline outgrows it.
    private var ring: ContiguousArray<Slot> = []
    private var start = 0
    private var used = 0
    /// The oldest sequence without its reply written out.
    private(set) var head: UInt32 = 0
    /// The sequence the next command gets.
    private(set) var next: UInt32 = 0

    /// Commands whose replies are not written out yet.
    var inFlight: Int { Int(self.next &- self.head) }

    /// A slot for the next command.
    @inline(__always)
    mutating func allocate(command: UInt16, readAt: UInt64) -> UInt32 {
        if self.used == self.ring.count { self.grow() }
        let sequence = self.next
        self.next &+= 1
        self.ring[(self.start &+ self.used) & (self.ring.count &- 1)] = Slot(
            reply: nil, command: command, readAt: readAt)
        self.used &+= 1
        return sequence
    }

    private mutating func grow() {
        let count = Swift.max(2, self.ring.count * 2)
        var bigger = ContiguousArray<Slot>()
        bigger.reserveCapacity(count)
        for i in 0..<self.used { bigger.append(self.ring[(self.start + i) & (self.ring.count - 1)]) }
        bigger.append(contentsOf: repeatElement(Slot(reply: nil, command: 0, readAt: 0), count: count - self.used))
        self.ring = bigger
        self.start = 0
    }

    /// Takes the head slot out (its reply buffer released from the ring).
    @inline(__always)
    private mutating func removeHead() -> Slot {
        let slot = self.ring[self.start]
        self.ring[self.start].reply = nil
        self.start = (self.start &+ 1) & (self.ring.count &- 1)
        self.used &-= 1
        self.head &+= 1
        return slot
    }

    enum Completion {
        /// Not a sequence in flight (a late reply of a failed command): ignore it.
        case unknown
        /// Kept: replies before it are still awaited.
        case stored(Slot)
        /// The head: write it now, then whatever `nextReady()` gives.
        case head(Slot)
    }

    /// Takes the reply of `sequence`.
    @inline(__always)
    mutating func complete(_ sequence: UInt32, _ reply: ByteBuffer) -> Completion {
        let index = Int(sequence &- self.head)
        guard index >= 0 && index < self.used else { return .unknown }
        if index == 0 { return .head(self.removeHead()) }
        let position = (self.start &+ index) & (self.ring.count &- 1)
        self.ring[position].reply = reply
        return .stored(self.ring[position])
    }

    /// The next reply that can be written, in order, with its sequence.
    @inline(__always)
    mutating func nextReady() -> (sequence: UInt32, reply: ByteBuffer)? {
        guard self.used > 0, let ready = self.ring[self.start].reply else { return nil }
        let sequence = self.head
        _ = self.removeHead()
        return (sequence, ready)
    }
}
