import Proxy
import Upstream

/// What a reload changes, in words for the operator, and what of it needs a restart.
enum ConfigurationDiff {
    static func compare(_ old: PorterConfiguration, _ new: PorterConfiguration) -> (
        changes: [String], restartRequired: [String]
    ) {
        var changes: [String] = []
        var restart: [String] = []
        let (o, n) = (old.proxy, new.proxy)
        if o.listen != n.listen { restart.append("listen") }
        if o.clientTLS?.listen != n.clientTLS?.listen { restart.append("tls.listen") }
        if old.threads != new.threads { restart.append("threads") }
        if old.admin != new.admin { restart.append("admin") }
        if "\(old.log)" != "\(new.log)" { restart.append("log") }
        if old.takeoverSocket != new.takeoverSocket { restart.append("shutdown.takeover_socket") }
        // The shared dial, not the file, turns a migration; what the file says of it needs a restart.
        if "\(String(describing: old.migration))" != "\(String(describing: new.migration))" {
            restart.append("migration")
        }

        for (index, group) in n.groups.enumerated() {
            guard index < o.groups.count else {
                restart.append("upstream.groups[\(index)]")
                continue
            }
            let before = o.groups[index]
            if group.sentinel != before.sentinel {
                restart.append("upstream.groups[\(index)].sentinel")
                continue
            }
            if group.sentinel != nil { continue }
            if group.primary != before.primary {
                changes.append("group '\(group.name)' primary: \(before.primary) → \(group.primary)")
            }
            let added = group.replicas.filter { !before.replicas.contains($0) }
            let removed = before.replicas.filter { !group.replicas.contains($0) }
            if !added.isEmpty || !removed.isEmpty {
                let words = added.map { "+\($0)" } + removed.map { "-\($0)" }
                changes.append("group '\(group.name)' replicas: \(words.joined(separator: " "))")
            }
        }
        if n.groups.count < o.groups.count { restart.append("upstream.groups") }

        func note(_ key: String, _ a: String, _ b: String, secret: Bool = false) {
            guard a != b else { return }
            changes.append(secret ? "\(key) changed" : "\(key): \(a) → \(b)")
        }
        let (ou, nu) = (o.upstream, n.upstream)
        note("upstream.pool.connections_per_node", "\(ou.connectionsPerNode)", "\(nu.connectionsPerNode)")
        note("upstream.pool.connect_timeout", "\(ou.connectTimeout)", "\(nu.connectTimeout)")
        note("upstream.pool.command_timeout", "\(ou.commandTimeout)", "\(nu.commandTimeout)")
        note(
            "upstream credentials", "\(ou.username ?? "")\u{1}\(ou.password ?? "")",
            "\(nu.username ?? "")\u{1}\(nu.password ?? "")", secret: true)
        note("upstream.health", "\(o.health)", "\(n.health)")
        note("upstream.read_from", o.readPolicy.rawValue, n.readPolicy.rawValue)
        note(
            "upstream.read_routes",
            "\(o.readRoutes.map { String(decoding: $0.prefix, as: UTF8.self) + "=" + $0.policy.rawValue })",
            "\(n.readRoutes.map { String(decoding: $0.prefix, as: UTF8.self) + "=" + $0.policy.rawValue })")
        note("upstream.retry_reads", "\(o.retryReads)", "\(n.retryReads)")
        note("upstream.database (new clients)", "\(o.defaultDatabase)", "\(n.defaultDatabase)")
        note("upstream.read_your_writes_window", "\(o.readYourWritesWindow)", "\(n.readYourWritesWindow)")
        note("upstream.write_wait", "\(o.writeWait)", "\(n.writeWait)")
        note("upstream.wait_replicas", "\(o.waitReplicas)", "\(n.waitReplicas)")
        note("upstream.wait_timeout", "\(o.waitTimeout)", "\(n.waitTimeout)")
        note("upstream.wait_prefixes", "\(o.waitPrefixes)", "\(n.waitPrefixes)")
        note(
            "limits", "\(o.limits) \(o.maxPipeline) \(o.maxClients) \(o.clientIdleTimeout)",
            "\(n.limits) \(n.maxPipeline) \(n.maxClients) \(n.clientIdleTimeout)")
        note("auth", o.access.fingerprint, n.access.fingerprint, secret: true)
        note("shutdown.drain_timeout", "\(o.drainTimeout)", "\(n.drainTimeout)")
        // Certificates are read again on every reload (their files may have been renewed in place).
        if let tls = n.clientTLS, !tls.listen.isEmpty {
            changes.append("tls: certificates read again for new client connections")
        }
        let tlsFiles = { (c: ProxyConfiguration) in
            ([c.upstream.tls] + c.upstream.tlsByNode.values.map { $0 }).map {
                "\($0?.caFile ?? "-") \($0?.serverName ?? "-") \($0?.certFile ?? "-") \($0?.minVersion == .tlsv13)"
            }.sorted().joined(separator: ",")
        }
        note("upstream tls", tlsFiles(o), tlsFiles(n))
        return (changes, restart)
    }
}
