import AsyncHTTPClient
import ArgumentParser
import Foundation
import NIOCore
import NIOHTTP1

/// `--admin`: where the admin API of a running Porter is, and requests to it (AsyncHTTPClient).
struct AdminOptions: ParsableArguments {
    @Option(
        name: .long,
        help: """
            The admin server: host:port, http(s)://host:port, or unix:/path/to/admin.sock.
            """)
    var admin: String = "127.0.0.1:9180"

    func validate() throws { _ = try self.url("/") }

    /// The URL of `path` on the admin server.
    func url(_ path: String) throws -> String {
        if self.admin.hasPrefix("unix:") {
            let socket = String(self.admin.dropFirst(5))
            guard socket.hasPrefix("/"),
                let encoded = socket.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~")))
            else { throw ValidationError("--admin unix: needs an absolute path, got '\(self.admin)'") }
            return "http+unix://\(encoded)\(path)"
        }
        if self.admin.hasPrefix("http://") || self.admin.hasPrefix("https://") {
            return self.admin.trimmingCharacters(in: CharacterSet(charactersIn: "/")) + path
        }
        let parts = self.admin.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, let port = Int(parts.last!), (1...65535).contains(port), !parts[0].isEmpty else {
            throw ValidationError("--admin must be host:port, http(s)://host:port or unix:/path, got '\(self.admin)'")
        }
        return "http://\(self.admin)\(path)"
    }

    /// One request; the status and the body (at most 16 MiB). Throws when the server cannot be reached.
    func request(method: HTTPMethod, path: String, token: String? = nil, body: String? = nil) async throws -> (
        status: Int, body: ByteBuffer
    ) {
        var request = HTTPClientRequest(url: try self.url(path))
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), try await response.body.collect(upTo: 16 << 20))
    }

    /// A request that must answer 200: its body. Otherwise the error goes to stderr and the
    /// command exits 1 (3 for a 409, a refused migration turn).
    func send(method: HTTPMethod, path: String, token: String? = nil, body: String? = nil) async throws -> ByteBuffer {
        let response: (status: Int, body: ByteBuffer)
        do {
            response = try await self.request(method: method, path: path, token: token, body: body)
        } catch let error as ValidationError {
            throw error
        } catch {
            Self.fail("cannot reach the admin API at \(self.admin): \(error)")
            throw ExitCode(1)
        }
        guard response.status == 200 else {
            let problem = try? JSONDecoder().decode([String: String].self, from: Data(response.body.readableBytesView))
            Self.fail(problem?["error"] ?? "the admin API answered \(response.status)")
            throw ExitCode(response.status == 409 ? 3 : 1)
        }
        return response.body
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write("porter: \(message)\n".data(using: .utf8)!)
    }
}
