import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `porter version`: the release, and which build of it this binary is.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print Porter's version and build (the binary's GNU build ID, the compiler, the build configuration).")

    /// The release; `make deb` names the package after it.
    static let number = "0.14.0"

    func run() {
        print("porter \(Self.number)")
        print("build \(Self.buildID() ?? "unknown") (\(Self.configurationName), Swift \(Self.compiler), \(Self.platform))")
    }

    static var configurationName: String {
        #if DEBUG
            "debug"
        #else
            "release"
        #endif
    }

    static var compiler: String {
        #if compiler(>=6.4)
            ">= 6.4"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #else
            "< 6.2"
        #endif
    }

    static var platform: String {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "linux-\(machine)"
    }

    /// The GNU build ID the linker put in this executable's PT_NOTE segment (what `file`,
    /// `readelf -n` and debuginfod show): it names this exact build. Read from /proc/self/exe.
    static func buildID() -> String? {
        guard let file = FileHandle(forReadingAtPath: "/proc/self/exe") else { return nil }
        defer { try? file.close() }
        func read(_ offset: UInt64, _ count: Int) -> [UInt8]? {
            guard (try? file.seek(toOffset: offset)) != nil, let data = try? file.read(upToCount: count),
                data.count == count
            else { return nil }
            return Array(data)
        }
        func integer(_ bytes: ArraySlice<UInt8>) -> UInt64 {
            bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }  // little-endian
        }
        // ELF64: the program header table's offset, entry size and count.
        guard let header = read(0, 64), header.starts(with: [0x7f, 0x45, 0x4c, 0x46]), header[4] == 2 else { return nil }
        let tableOffset = integer(header[32..<40])
        let entrySize = Int(integer(header[54..<56]))
        let entries = Int(integer(header[56..<58]))
        for index in 0..<entries {
            guard let entry = read(tableOffset + UInt64(index * entrySize), 56), integer(entry[0..<4]) == 4 /* PT_NOTE */,
                let notes = read(integer(entry[8..<16]), Int(integer(entry[32..<40])))
            else { continue }
            var at = 0
            while at + 12 <= notes.count {
                let nameSize = Int(integer(notes[at..<at + 4]))
                let descSize = Int(integer(notes[at + 4..<at + 8]))
                let type = integer(notes[at + 8..<at + 12])
                let desc = at + 12 + (nameSize + 3) & ~3
                guard desc + descSize <= notes.count else { break }
                if type == 3 /* NT_GNU_BUILD_ID */ && notes[at + 12..<at + 12 + nameSize].starts(with: Array("GNU".utf8)) {
                    return notes[desc..<desc + descSize].map { String(format: "%02x", $0) }.joined()
                }
                at = desc + (descSize + 3) & ~3
            }
        }
        return nil
    }
}
