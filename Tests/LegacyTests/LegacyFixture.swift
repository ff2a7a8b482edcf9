import NIOCore
import NIOPosix
import PorterTestHarness

/// A real MariaDB (with the database `app` and Symfony's `app.sessions` table), a thread pool
/// for the blocking client, and one event loop; all stopped after `body`, whatever it did.
func withMariaDB(
    _ body: (_ socket: String, _ pool: NIOThreadPool, _ loop: EventLoop) async throws -> Void
) async throws {
    let db = try await Harness.startMariaDB()
    let socket = db.directory.appendingPathComponent("mariadb.sock").path
    let pool = NIOThreadPool(numberOfThreads: 2)
    pool.start()
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    try await finally {
        try Harness.mariadb(
            socket: socket,
            """
            CREATE DATABASE app;
            CREATE TABLE app.sessions (sess_id VARBINARY(128) PRIMARY KEY, sess_data BLOB NOT NULL,
              sess_lifetime INT NOT NULL, sess_time INT UNSIGNED NOT NULL);
            """)
        try await body(socket, pool, group.next())
    } stop: {
        db.stop()
        try? await group.shutdownGracefully()
        try? await pool.shutdownGracefully()
    }
}
