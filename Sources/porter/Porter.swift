import ArgumentParser
import Foundation
import PorterApp

@main
struct Porter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "porter",
        abstract: "A session-aware Redis sidecar: pooling, pipelining, a RESP proxy in front of Redis.",
        subcommands: [Run.self, CheckConfig.self, Status.self, Migrate.self, Backfill.self, ImportTwemproxy.self],
        defaultSubcommand: Run.self
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Porter with a configuration file.")

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
        commandName: "check-config", abstract: "Validate a configuration file and exit (0 when valid).")

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
