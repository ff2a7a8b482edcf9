import ArgumentParser
import Foundation
import PorterApp

@main
struct Porter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "porter",
        abstract: "A session-aware Redis sidecar: pooling, pipelining, a RESP proxy in front of Redis.",
        discussion: """
            Porter runs beside each web server and speaks the Redis protocol on its listen address \
            (127.0.0.1:6380 by default): point phpredis, redis-py or any Redis client at it. It pools and \
            pipelines connections to Redis, routes reads to healthy replicas, follows Sentinel failovers, \
            shards over twemproxy-compatible rings or a Redis Cluster, and moves sessions from a legacy \
            store (Memcached, MySQL/MariaDB, PHP session files) without logging anyone out.

            Files: /etc/porter/porter.yaml (the Debian package's configuration). \
            Signals to `porter run`: SIGHUP reloads the configuration, SIGTERM and SIGINT drain clients \
            and stop, SIGUSR2 starts the binary at the same path to take over without dropping a client.
            """,
        version: "\(Version.number)",
        subcommands: [
            Run.self, CheckConfig.self, Status.self, Migrate.self, Backfill.self, ImportTwemproxy.self, Version.self,
        ],
        defaultSubcommand: Run.self
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Porter with a configuration file.",
        discussion: """
            Logs go to stderr (or log.file). Under systemd (dist/porter.service, Type=notify) Porter \
            reports READY=1 once listening, RELOADING=1 around a reload, STOPPING=1 when it drains, and \
            WATCHDOG=1 when WatchdogSec is set. SIGHUP: reload the file (a file that does not validate \
            is refused and the running configuration stays). SIGTERM, SIGINT: stop accepting, answer \
            what is in flight (up to shutdown.drain_timeout), exit 0. SIGUSR2: start this binary's path \
            with --takeover. Exit status: 0 after a clean stop, 1 when Porter could not start or stopped \
            on an error, 2 when the configuration is invalid (the key and the problem are printed).
            """)

    @Option(name: .shortAndLong, help: "Path to porter.yaml.")
    var config: String = "porter.yaml"

    @Flag(
        help: """
            Take over from the Porter running with this configuration (its shutdown.takeover_socket): \
            its listening sockets and clients move to this process without a refused connection or a failed command, \
            and it exits. Without a running Porter, start as usual.
            """)
    var takeover = false

    func run() async throws {
        let configuration: PorterConfiguration
        do {
            configuration = try PorterConfiguration.load(
                path: self.config, environment: ProcessInfo.processInfo.environment)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write("porter: \(self.config): \(error)\n".data(using: .utf8)!)
            throw ExitCode(2)
        }
        // A log reader that went away (stderr piped to a dead process) must not kill the proxy.
        signal(SIGPIPE, SIG_IGN)
        let (logger, sink) = makeLogger(configuration.log)
        let application = try PorterApplication(
            configuration: configuration, logger: logger, configPath: self.config, logLinesDropped: { sink.dropped })
        do {
            // SIGUSR2 starts whatever binary is at this one's path now (a package upgrade
            // replaces the file), with this configuration.
            let executable =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            let config = URL(fileURLWithPath: self.config).standardizedFileURL.path
            try await application.run(
                takeover: self.takeover,
                upgrade: (executable.replacingOccurrences(of: " (deleted)", with: ""), ["run", "--config", config, "--takeover"]))
        } catch {
            logger.error("porter stopped", metadata: ["error": "\(error)"])
            sink.flushAndStop()
            throw ExitCode(1)
        }
        sink.flushAndStop()
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a configuration file and exit (0 when valid).",
        discussion: """
            Reads the file as `porter run` would, with ${VAR} references taken from the environment, \
            and checks every key without connecting to anything. Prints a summary and exits 0, or \
            prints the key and what is wrong with it and exits 2.
            """)

    @Argument(help: "Path to porter.yaml.")
    var path: String

    func run() throws {
        do {
            let configuration = try PorterConfiguration.load(
                path: self.path, environment: ProcessInfo.processInfo.environment)
            let listen = configuration.proxy.listen.map(\.description).joined(separator: ", ")
            let groups = configuration.proxy.groups.map { group in
                if let sentinel = group.sentinel {
                    return
                        "\(group.name) → sentinel master '\(sentinel.master)' via \(sentinel.nodes.count) sentinel(s)"
                }
                return "\(group.name) → \(group.primary)"
            }.joined(separator: ", ")
            if let cluster = configuration.proxy.cluster {
                let seeds = cluster.seeds.map(\.description).joined(separator: ", ")
                print("\(self.path): OK (listen \(listen); Redis Cluster from seeds \(seeds))")
            } else {
                print("\(self.path): OK (listen \(listen); groups \(groups))")
            }
        } catch let error as ConfigurationError {
            FileHandle.standardError.write("porter: \(self.path): \(error)\n".data(using: .utf8)!)
            throw ExitCode(2)
        }
    }
}

struct ImportTwemproxy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-twemproxy",
        abstract: "Print the porter.yaml equivalent to a nutcracker (twemproxy) pool: same key placement.")

    @Argument(help: "Path to nutcracker.yml.")
    var path: String

    @Option(help: "The pool to convert, when the file has several.")
    var pool: String?

    func run() throws {
        guard let yaml = try? String(contentsOfFile: self.path, encoding: .utf8) else {
            FileHandle.standardError.write("porter: cannot read \(self.path)\n".data(using: .utf8)!)
            throw ExitCode(2)
        }
        do {
            print(try TwemproxyImport.convert(yaml: yaml, pool: self.pool), terminator: "")
        } catch {
            FileHandle.standardError.write("porter: \(self.path): \(error)\n".data(using: .utf8)!)
            throw ExitCode(2)
        }
    }
}
