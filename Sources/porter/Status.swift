import AdminAPI
import ArgumentParser
import Foundation
import NIOCore

/// `porter status`: the topology and key rates from the admin API, for a terminal.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print groups, nodes and traffic from a running Porter's admin API.",
        discussion: """
            Exits 0 when Porter is ready, 4 when it answers but is not ready, 1 when it cannot be reached. \
            With admin.protect_reads, give the token with --token or $PORTER_ADMIN_TOKEN.
            """)

    @OptionGroup var options: AdminOptions

    @Option(name: .long, help: "The admin token, when admin.protect_reads is on (default: $PORTER_ADMIN_TOKEN).")
    var token: String?

    @Flag(name: .long, help: "Print the admin API's JSON as it came.")
    var json = false

    @Flag(name: .long, help: "Redraw every second until interrupted (Ctrl-C): a live view for a terminal without a browser.")
    var watch = false

    func run() async throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["PORTER_ADMIN_TOKEN"]
        guard self.watch else {
            let body = try await self.options.send(method: .GET, path: "/v1/topology", token: token)
            if self.json {
                print(String(buffer: body))
                return
            }
            let status = try AdminJSON.decode(PorterStatus.self, from: Data(body.readableBytesView))
            print(StatusText.render(status))
            if !status.ready { throw ExitCode(4) }
            return
        }
        // The live view: the screen is cleared and redrawn each second; an unreachable Porter
        // is shown as such and tried again.
        while true {
            var screen = "\u{1B}[H\u{1B}[2J"
            do {
                let response = try await self.options.request(method: .GET, path: "/v1/topology", token: token)
                if response.status == 200 {
                    let status = try AdminJSON.decode(PorterStatus.self, from: Data(response.body.readableBytesView))
                    screen += self.json ? String(buffer: response.body) : StatusText.render(status)
                } else {
                    screen += "the admin API at \(self.options.admin) answered \(response.status)"
                }
            } catch let error as ValidationError {
                throw error
            } catch {
                screen += "cannot reach the admin API at \(self.options.admin): \(error)"
            }
            let time = Date().formatted(date: .omitted, time: .standard)
            FileHandle.standardOutput.write((screen + "\n\n\(time) · every 1 s · Ctrl-C to stop\n").data(using: .utf8)!)
            try await Task.sleep(for: .seconds(1))
        }
    }
}

enum StatusText {
    static func number(_ value: Double?, digits: Int = 0) -> String {
        guard let value else { return "-" }
        return String(format: "%.\(digits)f", value)
    }

    static func render(_ s: PorterStatus) -> String {
        var out: [String] = []
        out.append(
            "Porter \(s.ready ? "ready" : "NOT READY: \(s.readyReason ?? "")") · up \(number(s.uptimeSeconds)) s · topology v\(s.version)"
        )
        let t = s.traffic
        out.append(
            "clients \(s.clients.connected) (accepted \(s.clients.accepted), rejected \(s.clients.rejected)) · \(number(t.opsPerSecond)) ops/s · \(number(t.errorsPerSecond, digits: 1)) errors/s"
        )
        out.append(
            "p99 read \(number(t.p99Milliseconds["read"], digits: 2)) ms · write \(number(t.p99Milliseconds["write"], digits: 2)) ms · retries \(t.retries) · held writes \(t.heldWrites) · unconfirmed \(t.unconfirmedWrites) · upstream errors \(t.upstreamErrors)"
        )
        for group in s.groups {
            out.append("")
            let slots = group.slots.map { ", slots \($0)" } ?? ""
            out.append("group \(group.name) (failovers followed: \(group.failovers)\(slots))")
            let header = [
                "NODE", "CONFIGURED", "REPORTS", "HEALTH", "READS", "OPS/S", "P99 MS", "IN FLIGHT", "LAG", "EJECTED",
                "LAST ERROR",
            ]
            var rows = [header]
            for n in group.nodes {
                rows.append([
                    n.address + (n.resolvedTo.map { " (\($0))" } ?? ""), n.configuredRole, n.role, n.health,
                    n.readable ? "yes" : "no", number(n.opsPerSecond),
                    number(n.p99Milliseconds, digits: 2), "\(n.inFlight)", n.lagBytes.map { "\($0)" } ?? "-",
                    "\(n.ejections)", n.lastError ?? "",
                ])
            }
            let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                out.append(
                    row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                        .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }
        out.append("")
        out.append(
            "config \(s.config.path ?? "-") · reloads \(s.config.reloads) · refused \(s.config.reloadsRefused)\(s.config.lastReloadError.map { " (last: \($0))" } ?? "") · log lines dropped \(s.logLinesDropped)"
        )
        return out.joined(separator: "\n")
    }
}
