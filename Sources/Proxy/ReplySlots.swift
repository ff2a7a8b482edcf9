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

    /// `slots[i]` is the reply of sequence `head + i`, nil while it is awaited.
    private var slots = CircularBuffer<Slot>(initialCapacity: 16)
    /// The oldest sequence without its reply written out.
    private(set) var head: UInt32 = 0
    /// The sequence the next command gets.
    private(set) var next: UInt32 = 0

    /// Commands whose replies are not written out yet.
    var inFlight: Int { Int(self.next &- self.head) }

    /// A slot for the next command.
    @inline(__always)
    mutating func allocate(command: UInt16, readAt: UInt64) -> UInt32 {
        let sequence = self.next
        self.next &+= 1
        self.slots.append(Slot(reply: nil, command: command, readAt: readAt))
        return sequence
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
        guard index >= 0 && index < self.slots.count else { return .unknown }
        if index == 0 {
            let slot = self.slots.removeFirst()
            self.head &+= 1
            return .head(slot)
        }
        let slotIndex = self.slots.index(self.slots.startIndex, offsetBy: index)
        self.slots[slotIndex].reply = reply
        return .stored(self.slots[slotIndex])
    }

    /// The next reply that can be written, in order, with its sequence.
    @inline(__always)
    mutating func nextReady() -> (sequence: UInt32, reply: ByteBuffer)? {
        guard let first = self.slots.first, let ready = first.reply else { return nil }
        let sequence = self.head
        self.slots.removeFirst()
        self.head &+= 1
        return (sequence, ready)
    }
}
