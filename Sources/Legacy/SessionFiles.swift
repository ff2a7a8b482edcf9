import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// PHP's `files` session handler's store (the Silph Road's): one file per session,
/// `<dir>/<prefix><id>`, its bytes the session as PHP encoded it. PHP never checks a file's age
/// when it reads one (its garbage collector deletes old files now and then), so this store
/// decides: a file whose mtime is older than `gcMaxLifetime` is expired. Blocking file calls run
/// on a thread pool, never on an event loop.
public struct SessionFilesConfiguration: Sendable {
    public var directory: String
    /// `session.save_path`'s files are named `sess_<id>` by PHP.
    public var prefix: String = "sess_"
    /// `session.gc_maxlifetime`, seconds (PHP's default: 1440).
    public var gcMaxLifetime: Int = 1440

    public init(directory: String) {
        self.directory = directory
    }
}

public struct SessionFilesError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { self.message }
}

public final class SessionFiles: LegacySessionStore, Sendable {
    public let configuration: SessionFilesConfiguration
    private let pool: NIOThreadPool

    public init(configuration: SessionFilesConfiguration, pool: NIOThreadPool) {
        self.configuration = configuration
        self.pool = pool
    }

    /// PHP's own rule for session ids (`ps_files_valid_key`): letters, digits, `,` and `-`, so a
    /// path can never leave the directory. An id from a cookie that breaks it is refused.
    public static func isValid(_ id: [UInt8]) -> Bool {
        !id.isEmpty && id.count <= 256
            && id.allSatisfy { b in
                (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2c
                    || b == 0x2d
            }
    }

    func path(_ id: [UInt8]) -> String {
        self.configuration.directory + "/" + self.configuration.prefix + String(decoding: id, as: UTF8.self)
    }

    /// A session's bytes and its remaining lifetime in seconds; nil when there is none, or it
    /// expired.
    /// An id PHP would refuse has no session (it names no file: nothing outside `dir` is read).
    public func read(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<LegacySession?> {
        guard Self.isValid(id) else { return eventLoop.makeSucceededFuture(nil) }
        let path = self.path(id)
        let lifetime = self.configuration.gcMaxLifetime
        return self.pool.runIfActive(eventLoop: eventLoop) {
            try Self.read(path, lifetime: lifetime).map { LegacySession(data: $0.data, ttl: $0.ttl) }
        }
    }

    /// Writes a session whole (to a temporary file renamed over the old one, so a reader never
    /// sees half of it); its mtime, and so its lifetime, starts now (`ttl` is not stored: a
    /// file lives `gc_maxlifetime` from its mtime).
    public func write(_ id: [UInt8], _ data: [UInt8], ttl: Int = 0, on eventLoop: EventLoop) -> EventLoopFuture<Void> {
        guard Self.isValid(id) else { return eventLoop.makeFailedFuture(Self.invalidID) }
        let path = self.path(id)
        return self.pool.runIfActive(eventLoop: eventLoop) { try Self.write(path, data) }
    }

    /// Deletes a session; true when it was there.
    public func delete(_ id: [UInt8], on eventLoop: EventLoop) -> EventLoopFuture<Bool> {
        guard Self.isValid(id) else { return eventLoop.makeFailedFuture(Self.invalidID) }
        let path = self.path(id)
        return self.pool.runIfActive(eventLoop: eventLoop) {
            if unlink(path) == 0 { return true }
            if errno == ENOENT { return false }
            throw SessionFilesError(message: "cannot delete a session file: \(String(cString: strerror(errno)))")
        }
    }

    /// Starts a session's lifetime again (phpredis' lazy_write refresh is an EXPIRE); true when
    /// it was there.
    public func touch(_ id: [UInt8], ttl: Int = 0, on eventLoop: EventLoop) -> EventLoopFuture<Bool> {
        guard Self.isValid(id) else { return eventLoop.makeFailedFuture(Self.invalidID) }
        let path = self.path(id)
        return self.pool.runIfActive(eventLoop: eventLoop) {
            if utimes(path, nil) == 0 { return true }
            if errno == ENOENT { return false }
            throw SessionFilesError(message: "cannot touch a session file: \(String(cString: strerror(errno)))")
        }
    }

    /// The session ids in the directory, sorted (the files `<prefix><id>` whose id PHP accepts).
    func ids() throws -> [[UInt8]] {
        guard let directory = opendir(self.configuration.directory) else {
            throw SessionFilesError(message: "cannot list the session directory: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        let prefix = Array(self.configuration.prefix.utf8)
        var ids: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            guard name.count > prefix.count, name.starts(with: prefix) else { continue }
            let id = Array(name[prefix.count...])
            if Self.isValid(id) { ids.append(id) }
        }
        return ids.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Live sessions after `cursor`, in id order: a backfill walks the directory. (Each call
    /// lists it: fine for the directories PHP's files handler serves, up to some 100,000 files.)
    public func scan(after cursor: [UInt8]?, limit: Int, on eventLoop: EventLoop) -> EventLoopFuture<LegacyPage> {
        let lifetime = self.configuration.gcMaxLifetime
        return self.pool.runIfActive(eventLoop: eventLoop) {
            var records: [LegacyRecord] = []
            for id in try self.ids() where cursor.map({ $0.lexicographicallyPrecedes(id) }) ?? true {
                if records.count >= limit { return LegacyPage(records: records, next: records.last?.id) }
                guard let (data, ttl) = try Self.read(self.path(id), lifetime: lifetime) else { continue }
                records.append(LegacyRecord(id: id, session: LegacySession(data: data, ttl: ttl)))
            }
            return LegacyPage(records: records, next: nil)
        }
    }

    public func countLive(on eventLoop: EventLoop) -> EventLoopFuture<Int?> {
        self.pool.runIfActive(eventLoop: eventLoop) { try self.ids().count }
    }

    // The id is never in an error: it is a session's secret.
    static let invalidID = SessionFilesError(message: "a session id must be letters, digits, ',' and '-' (as PHP's)")

    static func read(_ path: String, lifetime: Int) throws -> (data: [UInt8], ttl: Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw SessionFilesError(message: "cannot open a session file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw SessionFilesError(message: "a session path is not a regular file")
        }
        let age = time(nil) - info.st_mtim.tv_sec
        let ttl = lifetime - Int(age)
        guard ttl > 0 else { return nil }
        var data = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < data.count {
            let n = data.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return (Array(data[..<done]), ttl)
    }

    static func write(_ path: String, _ data: [UInt8]) throws {
        let temporary = path + ".porter-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SessionFilesError(message: "cannot write a session file: \(String(cString: strerror(errno)))")
        }
        var done = 0
        while done < data.count {
            let n = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                close(fd)
                unlink(temporary)
                throw SessionFilesError(message: "cannot write a session file: \(String(cString: strerror(errno)))")
            }
            done += n
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw SessionFilesError(message: "cannot write a session file: \(String(cString: strerror(errno)))")
        }
    }
}
