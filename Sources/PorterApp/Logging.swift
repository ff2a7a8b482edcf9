import Foundation
import Logging
import NIOConcurrencyHelpers

/// A log handler that never blocks the caller on I/O: lines go into a bounded queue that one
/// writer thread drains. When the queue is full a line is dropped and counted, so a slow disk
/// slows nobody's request (the seeds' twemproxy timeouts came from log I/O).
public final class LogSink: Sendable {
    private struct State {
        var lines: [String] = []
        var dropped = 0
        var stopped = false
    }

    private let state = NIOLockedValueBox(State())
    private let condition = ConditionLock(value: 0)
    private let capacity: Int
    private let fd: Int32

    public init(configuration: LogConfiguration) {
        self.capacity = configuration.bufferLines
        if let file = configuration.file {
            let fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            if fd < 0 {
                // The configuration checked the directory; it may have gone since. Say so once.
                let reason = String(cString: strerror(errno))
                FileHandle.standardError.write(
                    Data("porter: cannot open log.file \(file) (\(reason)); logging to stderr\n".utf8))
            }
            self.fd = fd >= 0 ? fd : 2
        } else {
            self.fd = 2
        }
        let thread = Thread { [self] in self.writerLoop() }
        thread.name = "porter-log"
        thread.start()
    }

    /// Lines dropped because the queue was full.
    public var dropped: Int { self.state.withLockedValue { $0.dropped } }

    func enqueue(_ line: String) {
        let accepted = self.state.withLockedValue { state -> Bool in
            if state.lines.count >= self.capacity {
                state.dropped += 1
                return false
            }
            state.lines.append(line)
            return true
        }
        if accepted {
            self.condition.lock()
            self.condition.unlock(withValue: 1)
        }
    }

    private func writerLoop() {
        while true {
            self.condition.lock(whenValue: 1)
            self.condition.unlock(withValue: 0)
            let (lines, stopped) = self.state.withLockedValue { state -> ([String], Bool) in
                defer { state.lines.removeAll(keepingCapacity: true) }
                return (state.lines, state.stopped)
            }
            if !lines.isEmpty {
                var text = lines.joined()
                text.withUTF8 { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        let n = write(self.fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if n <= 0 { break }
                        offset += n
                    }
                }
            }
            if stopped { return }
        }
    }

    /// Writes what is queued and stops the writer.
    public func flushAndStop() {
        self.state.withLockedValue { $0.stopped = true }
        self.condition.lock()
        self.condition.unlock(withValue: 1)
        // Give the writer a moment to drain; it is a daemon-like thread.
        for _ in 0..<50 {
            if self.state.withLockedValue({ $0.lines.isEmpty }) { break }
            usleep(2000)
        }
    }
}

/// swift-log handler that formats a line (logfmt or JSON) and hands it to a `LogSink`.
public struct PorterLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let sink: LogSink
    let format: LogConfiguration.Format

    public init(label: String, sink: LogSink, format: LogConfiguration.Format, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.format = format
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("ts", Self.timestamp()), ("level", event.level.rawValue), ("msg", event.message.description),
        ]
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            fields.append((key, "\(value)"))
        }
        let line: String
        switch self.format {
        case .logfmt:
            line = fields.map { "\($0.0)=\(Self.logfmtValue($0.1))" }.joined(separator: " ") + "\n"
        case .json:
            line = "{" + fields.map { "\"\($0.0)\":\(Self.jsonString($0.1))" }.joined(separator: ",") + "}\n"
        }
        self.sink.enqueue(line)
    }

    static func logfmtValue(_ value: String) -> String {
        if !value.isEmpty && !value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\n" }) {
            return value
        }
        return jsonString(value)
    }

    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func timestamp() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var seconds = tv.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, Int(tv.tv_usec / 1000))
    }
}
