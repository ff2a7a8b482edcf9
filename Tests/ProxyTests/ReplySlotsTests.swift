import NIOCore
import Testing

@testable import Proxy

@Suite("In-order reply slots")
struct ReplySlotsTests {
    func written(_ slots: inout ReplySlots, _ sequence: UInt32, _ text: String) -> [String] {
        let reply = ByteBuffer(string: text)
        switch slots.complete(sequence, reply) {
        case .unknown, .stored:
            return []
        case .head:
            var out = [text]
            while let (_, ready) = slots.nextReady() { out.append(String(buffer: ready)) }
            return out
        }
    }

    @Test func repliesAreWrittenInCommandOrder() {
        var slots = ReplySlots()
        let a = slots.allocate(command: 1, readAt: 10)
        let b = slots.allocate(command: 2, readAt: 20)
        let c = slots.allocate(command: 3, readAt: 30)
        #expect(slots.inFlight == 3)
        #expect(written(&slots, c, "c").isEmpty)
        #expect(written(&slots, b, "b").isEmpty)
        #expect(written(&slots, a, "a") == ["a", "b", "c"])
        #expect(slots.inFlight == 0)
    }

    @Test func inOrderRepliesAreNeverStored() {
        var slots = ReplySlots()
        for i in 0..<100 {
            let s = slots.allocate(command: 0, readAt: 0)
            guard case .head(let slot) = slots.complete(s, ByteBuffer(string: "\(i)")) else {
                Issue.record("reply \(i) was not the head")
                return
            }
            #expect(slot.reply == nil)
        }
    }

    @Test func unknownAndRepeatedSequencesAreIgnored() {
        var slots = ReplySlots()
        let a = slots.allocate(command: 0, readAt: 0)
        #expect(written(&slots, a &+ 5, "late").isEmpty)
        #expect(written(&slots, a, "a") == ["a"])
        if case .unknown = slots.complete(a, ByteBuffer(string: "again")) {
        } else {
            Issue.record("a second reply to the same command was taken")
        }
    }

    @Test func metricsOfTheSlotComeBack() {
        var slots = ReplySlots()
        let a = slots.allocate(command: 7, readAt: 1234)
        guard case .head(let slot) = slots.complete(a, ByteBuffer(string: "x")) else {
            Issue.record("not the head")
            return
        }
        #expect(slot.command == 7 && slot.readAt == 1234)
    }

    /// The ring grows and wraps while replies come in any order: every reply is written once,
    /// in command order, with its own command's metrics.
    @Test func repliesInAnyOrderAcrossGrowthAndWrapAround() {
        var slots = ReplySlots()
        var generator = SystemRandomNumberGenerator()
        var out: [String] = []
        var awaiting: [(UInt32, Int)] = []
        var issued = 0
        for round in 0..<200 {
            // Up to 40 in flight (the ring grows to 64), then drained in a random order.
            for _ in 0..<Int.random(in: 1...(round % 2 == 0 ? 40 : 3), using: &generator) {
                awaiting.append((slots.allocate(command: UInt16(issued % 100), readAt: UInt64(issued)), issued))
                issued += 1
            }
            awaiting.shuffle(using: &generator)
            while let (sequence, number) = awaiting.popLast() {
                switch slots.complete(sequence, ByteBuffer(string: "\(number)")) {
                case .unknown: Issue.record("sequence \(sequence) unknown")
                case .stored(let slot): #expect(Int(slot.readAt) == number)
                case .head(let slot):
                    #expect(Int(slot.readAt) == number && Int(slot.command) == number % 100)
                    out.append("\(number)")
                    while let (_, ready) = slots.nextReady() { out.append(String(buffer: ready)) }
                }
            }
            #expect(slots.inFlight == 0)
        }
        for (index, text) in out.enumerated() where text != "\(index)" {
            Issue.record("reply \(index) came as \(text)")
            break
        }
        #expect(out.count == issued)
    }
}
