import Foundation
import Glibc
import Logging
import NIOConcurrencyHelpers
import Proxy
import ServiceLifecycle
import UnixSignals

// Upgrades without dropping clients (`porter run --takeover`): the new process asks the running
// one (over `shutdown.takeover_socket`, `TakeoverSocket`) for its listening sockets, starts
// accepting on them, and says so; the running process stops accepting, passes each client's
// connection over once nothing of it is in progress, and exits. No connection is refused (both
// accept from the same sockets until the old one stops) and no command fails (a connection moves
// only between commands, and what its client sends meanwhile waits in the kernel).

extension PorterApplication {
    /// The successor's first half: the running process's listening sockets (none, when no
    /// Porter answers at the takeover socket: then this one starts as usual).
    func contactPredecessor() async throws -> (TakeoverSocket, [InheritedListener])? {
        guard let path = self.configuration.takeoverSocket else {
            throw TakeoverError("--takeover needs shutdown.takeover_socket (it is off)")
        }
        guard let peer = try TakeoverSocket.connect(path: path) else {
            self.logger.info("takeover: no Porter answers here; starting as usual", metadata: ["socket": "\(path)"])
            return nil
        }
        peer.setReceiveTimeout(seconds: 30)
        try peer.send(TakeoverMessage(takeover: 1))
        guard let (message, descriptors) = try await onThread({ try peer.receive() }) else {
            throw TakeoverError("takeover: the running Porter closed the connection")
        }
        guard let listeners = message.listeners, listeners.count == descriptors.count else {
            for descriptor in descriptors { close(descriptor) }
            throw TakeoverError("takeover: the running Porter refused: \(message.error ?? "no listening sockets")")
        }
        self.logger.info(
            "takeover: received the listening sockets",
            metadata: ["addresses": "\(listeners.map(\.address).joined(separator: ", "))"])
        let inherited = zip(listeners, descriptors).map {
            InheritedListener(address: $0.address, tls: $0.tls, descriptor: $1)
        }
        return (peer, inherited)
    }

    /// The successor's second half, once it can serve: accepts when the running process has
    /// stopped, and takes every client it passes over, until it has exited.
    func takeOver(from peer: TakeoverSocket) async throws {
        try peer.send(TakeoverMessage(ready: true))
        await self.proxy.readFromPrimariesAfterTakeover()
        let drainTimeout = Int(self.configuration.proxy.drainTimeout.nanoseconds / 1_000_000_000)
        peer.setReceiveTimeout(seconds: drainTimeout + 30)
        let (messages, continuation) = AsyncThrowingStream.makeStream(of: (TakeoverMessage, [CInt]).self)
        Thread {
            do {
                while let message = try peer.receive() { continuation.yield(message) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }.start()
        var adopted = 0
        var failed = 0
        do {
            for try await (message, descriptors) in messages {
                if message.stopped == true { await self.proxy.acceptOnInherited() }
                guard let client = message.client, descriptors.count == 1 else {
                    for descriptor in descriptors { close(descriptor) }
                    continue
                }
                do {
                    try await self.proxy.adopt(descriptor: descriptors[0], client: client)
                    adopted += 1
                } catch {
                    close(descriptors[0])
                    failed += 1
                }
            }
        } catch {
            self.logger.warning("takeover: the previous process stopped answering", metadata: ["error": "\(error)"])
        }
        self.logger.info("takeover complete", metadata: ["clients": "\(adopted)", "failed": "\(failed)"])
    }
}

/// The running side: waits at `shutdown.takeover_socket` for a successor, and hands everything
/// over to the first one that asks; then the process shuts down (nothing left to drain).
struct TakeoverService: Service {
    let application: PorterApplication
    let path: String
    /// The successor's connection, open until this process exits: the successor waits for
    /// that before it binds the admin server's address.
    static let successor = NIOLockedValueBox<TakeoverSocket?>(nil)

    func run() async throws {
        let logger = self.application.logger
        let listening: CInt
        do {
            listening = try TakeoverSocket.listen(path: self.path)
        } catch {
            logger.warning("takeover socket unavailable: upgrades will refuse", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        // A stop, or the group cancelled (another service failed), wakes the waiting accept.
        let handedOver = await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                while let peer = try? await onThread({ TakeoverSocket.accept(listening) }) {
                    if await self.serve(peer) { return true }
                }
                return false
            } onGracefulShutdown: {
                shutdown(listening, Int32(SHUT_RDWR))
            }
        } onCancel: {
            shutdown(listening, Int32(SHUT_RDWR))
        }
        close(listening)
        // The successor binds the path anew once this process has gone; a stop removes it.
        if !handedOver { unlink(self.path) }
    }

    private func serve(_ peer: TakeoverSocket) async -> Bool {
        let logger = self.application.logger
        let proxy = self.application.proxy
        guard peer.peerIsTrusted else {
            logger.warning("takeover: refused a process of another user")
            try? peer.send(TakeoverMessage(error: "not the user Porter runs as"))
            return false
        }
        peer.setReceiveTimeout(seconds: 10)
        do {
            guard let (hello, stray) = try await onThread({ try peer.receive() }), hello.takeover == 1 else {
                return false
            }
            for descriptor in stray { close(descriptor) }
            let listeners = proxy.listenersForSuccessor()
            defer { for listener in listeners { close(listener.descriptor) } }
            try peer.send(
                TakeoverMessage(listeners: listeners.map { .init(address: $0.address, tls: $0.tls) }),
                descriptors: listeners.map(\.descriptor))
            // The successor discovers sentinels and connects to every node before it says ready.
            peer.setReceiveTimeout(seconds: 120)
            guard let (ready, _) = try await onThread({ try peer.receive() }), ready.ready == true else {
                logger.warning("takeover: the new process did not start; this one carries on")
                return false
            }
        } catch {
            logger.warning("takeover: abandoned; this process carries on", metadata: ["error": "\(error)"])
            return false
        }
        logger.info("takeover: the new process is ready; handing clients over")
        // Under systemd the new process is the service's main process from now on (only the
        // main process may say so without NotifyAccess=all).
        if let pid = peer.peer?.pid { SystemdNotify.send("MAINPID=\(pid)") }
        let queue = DispatchQueue(label: "porter.takeover")
        let lost = NIOLockedValueBox(0)
        await proxy.handOver {
            try? peer.send(TakeoverMessage(stopped: true))
        } send: { descriptor, client in
            queue.async {
                do {
                    try peer.send(TakeoverMessage(client: client), descriptors: [descriptor])
                } catch {
                    lost.withLockedValue { $0 += 1 }
                }
                close(descriptor)
            }
        }
        _ = try? await onThread { queue.sync {} }
        try? peer.send(TakeoverMessage(done: true))
        Self.successor.withLockedValue { $0 = peer }
        let stats = await proxy.stats()
        logger.info(
            "takeover: handed over; stopping",
            metadata: ["clients": "\(stats.clientsHandedOff)", "lost": "\(lost.withLockedValue { $0 })"])
        return true
    }
}

/// SIGUSR2 starts the binary at this process's path (a package upgrade has replaced it) with
/// `run --takeover` and the same configuration: the upgrade happens inside the service, so
/// under systemd the new process is in the unit and becomes its main process.
struct UpgradeOnSignal: Service {
    let application: PorterApplication
    /// The executable and the arguments of the successor.
    let command: (executable: String, arguments: [String])
    let signals: UnixSignalsSequence

    func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in self.signals.cancelOnGracefulShutdown() {
                let logger = self.application.logger
                logger.info("SIGUSR2: starting a new process to take over", metadata: ["executable": "\(self.command.executable)"])
                let process = Process()
                process.executableURL = URL(fileURLWithPath: self.command.executable)
                process.arguments = self.command.arguments
                // systemd's WATCHDOG_PID names this process; the successor, which becomes the
                // main process, must ping for itself (without the variable it does).
                var environment = ProcessInfo.processInfo.environment
                environment["WATCHDOG_PID"] = nil
                process.environment = environment
                process.terminationHandler = { process in
                    // A successor that took over exits later with its own service; one that
                    // exits while this process still runs failed to start.
                    if process.terminationStatus != 0 {
                        logger.error("the new process exited", metadata: ["status": "\(process.terminationStatus)"])
                    }
                }
                do {
                    try process.run()
                } catch {
                    logger.error("SIGUSR2: cannot start the new process", metadata: ["error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
        }
    }
}
