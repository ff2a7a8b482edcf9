/// One metric Porter exports: its name, kind, help text and label names. Every metric is
/// declared once, in `PorterMetric.all`; exporters and tests take names from here. Label
/// values come only from bounded sets: command names from the command table, node addresses
/// from the configuration and Sentinel, and the fixed values listed in each help text.
public struct MetricDefinition: Sendable, Hashable {
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    public let name: String
    public let kind: Kind
    public let help: String
    public let labels: [String]

    init(_ name: String, _ kind: Kind, _ help: String, labels: [String] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        self.labels = labels
    }
}

public enum PorterMetric {
    public static let clientConnections = MetricDefinition(
        "porter_client_connections", .gauge, "Client connections open now.")
    public static let clientConnectionsAccepted = MetricDefinition(
        "porter_client_connections_total", .counter, "Client connections accepted.")
    public static let clientConnectionsRejected = MetricDefinition(
        "porter_client_connections_rejected_total", .counter, "Client connections refused (limits.max_clients).")
    public static let clientConnectionsMoved = MetricDefinition(
        "porter_client_connections_moved_total", .counter,
        "Client connections moved in an upgrade (`porter run --takeover`), by direction: handed_off (to the new process), taken_over (from the old one).",
        labels: ["direction"])
    public static let commands = MetricDefinition(
        "porter_commands_total", .counter,
        "Commands by name (the command table's, or 'unknown') and result (ok, error).",
        labels: ["command", "result"])
    public static let commandDuration = MetricDefinition(
        "porter_command_duration_seconds", .histogram,
        "Time from reading a command to its reply being ready, by class (read, write, other).",
        labels: ["class"])
    public static let upstreamDuration = MetricDefinition(
        "porter_upstream_duration_seconds", .histogram, "Round trip of commands sent to a node.", labels: ["node"])
    public static let upstreamConnections = MetricDefinition(
        "porter_upstream_connections", .gauge,
        "Connections to a node by state (ready, connecting, backoff, idle).", labels: ["node", "state"])
    public static let upstreamInFlight = MetricDefinition(
        "porter_upstream_inflight", .gauge, "Commands sent to a node and not answered yet.", labels: ["node"])
    public static let upstreamCommands = MetricDefinition(
        "porter_upstream_commands_total", .counter, "Commands a node answered.", labels: ["node"])
    public static let nodeUp = MetricDefinition(
        "porter_node_up", .gauge, "1 when the node may get traffic, 0 when it is down or ejected.",
        labels: ["group", "node"])
    public static let nodeRole = MetricDefinition(
        "porter_node_role", .gauge, "1 for the role the node reported (primary, replica, sentinel, unknown).",
        labels: ["group", "node", "role"])
    public static let replicaLag = MetricDefinition(
        "porter_replica_lag_bytes", .gauge, "Bytes a replica is behind its primary (from ROLE).",
        labels: ["group", "node"])
    public static let ejections = MetricDefinition(
        "porter_node_ejections_total", .counter,
        "Times a node was taken out of service (failed checks, live-traffic errors, -READONLY).", labels: ["node"])
    public static let failovers = MetricDefinition(
        "porter_failovers_total", .counter, "New primaries followed (Sentinel, +switch-master).", labels: ["group"])
    public static let retries = MetricDefinition(
        "porter_retries_total", .counter, "Reads retried on another node, and writes sent again to a primary.")
    public static let heldWrites = MetricDefinition(
        "porter_held_writes_total", .counter, "Writes held while their group had no usable primary.")
    public static let unconfirmedWrites = MetricDefinition(
        "porter_unconfirmed_writes_total", .counter, "Durable writes that too few replicas confirmed in time.")
    public static let streamedRequests = MetricDefinition(
        "porter_streamed_requests_total", .counter,
        "Requests passed on to Redis as they arrived (a bulk argument of limits.stream_bulk_bytes or more).")
    public static let clientBytes = MetricDefinition(
        "porter_client_bytes_total", .counter, "Bytes read from (in) and written to (out) clients.",
        labels: ["direction"])
    public static let protocolErrors = MetricDefinition(
        "porter_protocol_errors_total", .counter, "Clients closed for sending bytes that are not RESP.")
    public static let upstreamErrors = MetricDefinition(
        "porter_upstream_errors_total", .counter, "Commands that failed because no node answered them.")
    public static let authFailures = MetricDefinition(
        "porter_auth_failures_total", .counter, "AUTH and HELLO attempts with a wrong password.")
    public static let requestLimitClosures = MetricDefinition(
        "porter_request_limit_closures_total", .counter,
        "Clients closed for a request that was not whole in time (timeout) or past the buffer budget (budget).",
        labels: ["reason"])
    public static let aclDenied = MetricDefinition(
        "porter_acl_denied_total", .counter,
        "Commands refused by a user's ACL rules (auth.users), by user and reason (command, key, channel).",
        labels: ["user", "reason"])
    public static let logLinesDropped = MetricDefinition(
        "porter_log_lines_dropped_total", .counter, "Log lines dropped because the log writer fell behind.")
    public static let configReloads = MetricDefinition(
        "porter_config_reloads_total", .counter, "Configuration reloads by result (applied, refused).",
        labels: ["result"])

    // The session migration (only with `migration`).
    public static let migrationStage = MetricDefinition(
        "porter_migration_stage", .gauge,
        "1 for the stage of the shared dial this Porter follows (legacy, shadow, redis_first, redis_only).",
        labels: ["stage"])
    public static let migrationPercent = MetricDefinition(
        "porter_migration_percent", .gauge,
        "The share of sessions on the dial's stage (the others are on the one before).")
    public static let migrationDialReadable = MetricDefinition(
        "porter_migration_dial_readable", .gauge, "0 while the shared dial cannot be read (the last known one holds).")
    public static let migrationCommands = MetricDefinition(
        "porter_migration_session_commands_total", .counter,
        "Session commands by the stage their session was on (legacy, shadow: the legacy store answers; redis_first: Redis) and kind (read, write).",
        labels: ["stage", "kind"])
    public static let migrationAlsoWritten = MetricDefinition(
        "porter_migration_also_written_total", .counter,
        "Session writes made to the other store too (shadow: Redis; redis_first: legacy), by result (ok, error).",
        labels: ["result"])
    public static let migrationInvalidated = MetricDefinition(
        "porter_migration_redis_invalidated_total", .counter,
        "legacy stage: Redis copies deleted on a legacy write (none is ever staler than the legacy store).")
    public static let migrationShadowReads = MetricDefinition(
        "porter_migration_shadow_reads_total", .counter,
        "Shadow compares by result (match, mismatch, missing: not in Redis yet, raced: a write came between, error).",
        labels: ["result"])
    public static let migrationReadThroughs = MetricDefinition(
        "porter_migration_read_throughs_total", .counter,
        "redis_first misses read from the legacy store, by result (copied, miss: not there either).",
        labels: ["result"])
    public static let migrationLegacyErrors = MetricDefinition(
        "porter_migration_legacy_errors_total", .counter, "Legacy store operations that failed or timed out.")
    public static let migrationRefused = MetricDefinition(
        "porter_migration_refused_total", .counter,
        "Session commands refused while sessions migrate (inside MULTI; SET or EXPIRE options a legacy store cannot take)."
    )
    public static let migrationBackfilled = MetricDefinition(
        "porter_migration_backfilled_total", .counter, "Legacy sessions a backfill copied into Redis.")
    public static let migrationLegacyDuration = MetricDefinition(
        "porter_migration_legacy_duration_seconds", .histogram, "Round trip of legacy store operations.")

    /// Every metric, in the order /metrics lists them.
    public static let all: [MetricDefinition] = [
        clientConnections, clientConnectionsAccepted, clientConnectionsRejected, clientConnectionsMoved, commands, commandDuration,
        upstreamDuration, upstreamConnections, upstreamInFlight, upstreamCommands, nodeUp, nodeRole, replicaLag,
        ejections, failovers, retries, heldWrites, unconfirmedWrites, streamedRequests, clientBytes, protocolErrors, upstreamErrors,
        authFailures, aclDenied, requestLimitClosures, logLinesDropped, configReloads, migrationStage, migrationPercent, migrationDialReadable,
        migrationCommands, migrationAlsoWritten, migrationInvalidated, migrationShadowReads, migrationReadThroughs,
        migrationLegacyErrors, migrationRefused, migrationBackfilled, migrationLegacyDuration,
    ]
}

/// The class a command's latency is recorded under (`porter_command_duration_seconds{class}`).
public enum CommandClass: Int, Sendable, CaseIterable {
    case read, write, other

    public var label: String {
        switch self {
        case .read: return "read"
        case .write: return "write"
        case .other: return "other"
        }
    }
}
