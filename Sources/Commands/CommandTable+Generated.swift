// GENERATED FILE — do not edit.
// Made by `swift run porter-gen-commands` (or `make commands`) from
// metadata/redis-7.0-command-info.json and metadata/redis-7.0-command-docs.json, which are
// `redis-cli --json COMMAND INFO` and `COMMAND DOCS` of redis-server 7.0.15.
// 240 commands. Flags seen: admin, allow_busy, asking, blocking, denyoom, fast, loading, movablekeys, no_async_loading, no_auth, no_mandatory_keys, no_multi, noscript, pubsub, readonly, skip_monitor, skip_slowlog, stale, write.

extension CommandTable {
    static let generatedSpecs: [CommandSpec] = [
        CommandSpec(
            name: "acl", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "server", since: "6.0.0",
            summary: "A container for Access List Control commands ", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "acl|setuser", arity: -3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "Modify or create the rules for a specific ACL user", complexity: "O(N). Where N is the number of rules provided.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|cat", arity: -2, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "List the ACL categories or the commands inside a category", complexity: "O(1) since the categories and commands are a fixed set.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|load", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "Reload the ACLs from the configured ACL file", complexity: "O(N). Where N is the number of configured users.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|dryrun", arity: -4, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "7.0.0",
                    summary: "Returns whether the user can execute the given command without executing the command.", complexity: "O(1).",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|users", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "List the username of all the configured ACL rules", complexity: "O(N). Where N is the number of configured users.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|getuser", arity: 3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "Get the rules for a specific ACL user", complexity: "O(N). Where N is the number of password, command and pattern rules that the user has.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|deluser", arity: -3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "Remove the specified ACL users and the associated rules", complexity: "O(1) amortized time considering the typical user.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|list", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "List the current ACL rules in ACL config file format", complexity: "O(N). Where N is the number of configured users.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|log", arity: -2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "List latest events denied because of ACLs in place", complexity: "O(N) with N being the number of entries shown.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|save", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "Save the current ACL rules in the configured ACL file", complexity: "O(N). Where N is the number of configured users.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|genpass", arity: -2, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "Generate a pseudorandom secure password to use for ACL users", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "acl|whoami", arity: 2, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.0.0",
                    summary: "Return the name of the user associated to the current connection", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "append", arity: 3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "2.0.0",
            summary: "Append a value to a key", complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
            subcommands: []
        ),
        CommandSpec(
            name: "asking", arity: 1, flags: [.fast],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "cluster", since: "3.0.0",
            summary: "Sent by cluster clients after an -ASK redirect", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "auth", arity: -2, flags: [.noscript, .loading, .stale, .fast, .noAuth, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "connection", since: "1.0.0",
            summary: "Authenticate to the server", complexity: "O(N) where N is the number of passwords defined for the user",
            subcommands: []
        ),
        CommandSpec(
            name: "bgrewriteaof", arity: 1, flags: [.admin, .noscript, .noAsyncLoading],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Asynchronously rewrite the append-only file", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "bgsave", arity: -1, flags: [.admin, .noscript, .noAsyncLoading],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Asynchronously save the dataset to disk", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "bitcount", arity: -2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "bitmap", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "bitmap", since: "2.6.0",
            summary: "Count set bits in a string", complexity: "O(N)",
            subcommands: []
        ),
        CommandSpec(
            name: "bitfield", arity: -2, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "bitmap", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update", "variable_flags"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "bitmap", since: "3.2.0",
            summary: "Perform arbitrary bitfield integer operations on strings", complexity: "O(1) for each subcommand specified",
            subcommands: []
        ),
        CommandSpec(
            name: "bitfield_ro", arity: -2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "bitmap", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "bitmap", since: "6.0.0",
            summary: "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD", complexity: "O(1) for each subcommand specified",
            subcommands: []
        ),
        CommandSpec(
            name: "bitop", arity: -4, flags: [.write, .denyoom],
            legacyKeys: (2, -1, 1), aclCategories: ["write", "bitmap", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(3), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "bitmap", since: "2.6.0",
            summary: "Perform bitwise operations between strings", complexity: "O(N)",
            subcommands: []
        ),
        CommandSpec(
            name: "bitpos", arity: -3, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "bitmap", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "bitmap", since: "2.8.7",
            summary: "Find first bit set or clear in a string", complexity: "O(N)",
            subcommands: []
        ),
        CommandSpec(
            name: "blmove", arity: 6, flags: [.write, .denyoom, .noscript, .blocking],
            legacyKeys: (1, 2, 1), aclCategories: ["write", "list", "slow", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RW", "insert"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "6.2.0",
            summary: "Pop an element from a list, push it to another list and return it; or block until one is available", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "blmpop", arity: -5, flags: [.write, .blocking, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["write", "list", "slow", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "list", since: "7.0.0",
            summary: "Pop elements from a list, or block until one is available", complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
            subcommands: []
        ),
        CommandSpec(
            name: "blpop", arity: -3, flags: [.write, .noscript, .blocking],
            legacyKeys: (1, -2, 1), aclCategories: ["write", "list", "slow", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: -2, step: 1, limit: 0))],
            group: "list", since: "2.0.0",
            summary: "Remove and get the first element in a list, or block until one is available", complexity: "O(N) where N is the number of provided keys.",
            subcommands: []
        ),
        CommandSpec(
            name: "brpop", arity: -3, flags: [.write, .noscript, .blocking],
            legacyKeys: (1, -2, 1), aclCategories: ["write", "list", "slow", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: -2, step: 1, limit: 0))],
            group: "list", since: "2.0.0",
            summary: "Remove and get the last element in a list, or block until one is available", complexity: "O(N) where N is the number of provided keys.",
            subcommands: []
        ),
        CommandSpec(
            name: "brpoplpush", arity: 4, flags: [.write, .denyoom, .noscript, .blocking],
            legacyKeys: (1, 2, 1), aclCategories: ["write", "list", "slow", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RW", "insert"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "2.2.0",
            summary: "Pop an element from a list, push it to another list and return it; or block until one is available", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "bzmpop", arity: -5, flags: [.write, .blocking, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["write", "sortedset", "slow", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "7.0.0",
            summary: "Remove and return members with scores in a sorted set or block until one is available", complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
            subcommands: []
        ),
        CommandSpec(
            name: "bzpopmax", arity: -3, flags: [.write, .noscript, .blocking, .fast],
            legacyKeys: (1, -2, 1), aclCategories: ["write", "sortedset", "fast", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: -2, step: 1, limit: 0))],
            group: "sorted-set", since: "5.0.0",
            summary: "Remove and return the member with the highest score from one or more sorted sets, or block until one is available", complexity: "O(log(N)) with N being the number of elements in the sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "bzpopmin", arity: -3, flags: [.write, .noscript, .blocking, .fast],
            legacyKeys: (1, -2, 1), aclCategories: ["write", "sortedset", "fast", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: -2, step: 1, limit: 0))],
            group: "sorted-set", since: "5.0.0",
            summary: "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available", complexity: "O(log(N)) with N being the number of elements in the sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "client", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "connection", since: "2.4.0",
            summary: "A container for client connection commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "client|id", arity: 2, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "5.0.0",
                    summary: "Returns the client ID for the current connection", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|unblock", arity: -3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "5.0.0",
                    summary: "Unblock a client blocked in a blocking command from a different connection", complexity: "O(log N) where N is the number of client connections",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|kill", arity: -3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "2.4.0",
                    summary: "Kill the connection of a client", complexity: "O(N) where N is the number of client connections",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|tracking", arity: -3, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "6.0.0",
                    summary: "Enable or disable server assisted client side caching support", complexity: "O(1). Some options may introduce additional complexity.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|setname", arity: 3, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "2.6.9",
                    summary: "Set the current connection name", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|list", arity: -2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous", "connection"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "connection", since: "2.4.0",
                    summary: "Get the list of client connections", complexity: "O(N) where N is the number of client connections",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|unpause", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "6.2.0",
                    summary: "Resume processing of clients that were paused", complexity: "O(N) Where N is the number of paused clients",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|trackinginfo", arity: 2, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "6.2.0",
                    summary: "Return information about server assisted client side caching for the current connection", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|getname", arity: 2, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "2.6.9",
                    summary: "Get the current connection name", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|getredir", arity: 2, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "6.0.0",
                    summary: "Get tracking notifications redirection client ID if any", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|pause", arity: -3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "2.9.50",
                    summary: "Stop processing commands from clients for some time", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|caching", arity: 3, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "6.0.0",
                    summary: "Instruct the server about tracking or not keys in the next request", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|info", arity: 2, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "connection", since: "6.2.0",
                    summary: "Returns information about the current client connection.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|no-evict", arity: 3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "7.0.0",
                    summary: "Set client eviction mode for the current connection", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "client|reply", arity: 3, flags: [.noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "connection", since: "3.2.0",
                    summary: "Instruct the server whether to reply to commands", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "cluster", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "cluster", since: "3.0.0",
            summary: "A container for cluster commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "cluster|count-failure-reports", arity: 3, flags: [.admin, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Return the number of failure reports active for a given node", complexity: "O(N) where N is the number of failure reports",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|getkeysinslot", arity: 4, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Return local key names in the specified hash slot", complexity: "O(log(N)) where N is the number of requested keys",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|flushslots", arity: 2, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Delete a node's own slots information", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|countkeysinslot", arity: 3, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Return the number of local keys in the specified hash slot", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|slaves", arity: 3, flags: [.admin, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "List replica nodes of the specified master node", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|set-config-epoch", arity: 3, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Set the configuration epoch in a new node", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|nodes", arity: 2, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Get Cluster config for the node", complexity: "O(N) where N is the total number of Cluster nodes",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|shards", arity: 2, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "7.0.0",
                    summary: "Get array of cluster slots to node mappings", complexity: "O(N) where N is the total number of cluster nodes",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|slots", arity: 2, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Get array of Cluster slot to node mappings", complexity: "O(N) where N is the total number of Cluster nodes",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|setslot", arity: -4, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Bind a hash slot to a specific node", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|reset", arity: -2, flags: [.admin, .noscript, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Reset a Redis Cluster node", complexity: "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|replicate", arity: 3, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Reconfigure a node as a replica of the specified master node", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|addslots", arity: -3, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Assign new hash slots to receiving node", complexity: "O(N) where N is the total number of hash slot arguments",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|failover", arity: -2, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Forces a replica to perform a manual failover of its master.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|bumpepoch", arity: 2, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Advance the cluster config epoch", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|myid", arity: 2, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Return the node id", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|replicas", arity: 3, flags: [.admin, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "5.0.0",
                    summary: "List replica nodes of the specified master node", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|forget", arity: 3, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Remove a node from the nodes table", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|addslotsrange", arity: -4, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "7.0.0",
                    summary: "Assign new hash slots to receiving node", complexity: "O(N) where N is the total number of the slots between the start slot and end slot arguments.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|saveconfig", arity: 2, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Forces the node to save cluster state on disk", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|links", arity: 2, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "7.0.0",
                    summary: "Returns a list of all TCP links to and from peer nodes in cluster", complexity: "O(N) where N is the total number of Cluster nodes",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|meet", arity: -4, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Force a node cluster to handshake with another node", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|info", arity: 2, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output"],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Provides info about Redis Cluster node state", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|keyslot", arity: 3, flags: [.stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Returns the hash slot of the specified key", complexity: "O(N) where N is the number of bytes in the key",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|delslots", arity: -3, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "3.0.0",
                    summary: "Set hash slots as unbound in receiving node", complexity: "O(N) where N is the total number of hash slot arguments",
                    subcommands: []
                ),
                CommandSpec(
                    name: "cluster|delslotsrange", arity: -4, flags: [.admin, .stale, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "cluster", since: "7.0.0",
                    summary: "Set hash slots as unbound in receiving node", complexity: "O(N) where N is the total number of the slots between the start slot and end slot arguments.",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "command", arity: -1, flags: [.loading, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: ["nondeterministic_output_order"],
            keySpecs: [],
            group: "server", since: "2.8.13",
            summary: "Get array of Redis command details", complexity: "O(N) where N is the total number of Redis commands",
            subcommands: [
                CommandSpec(
                    name: "command|info", arity: -2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: ["nondeterministic_output_order"],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Get array of specific Redis command details, or all when no argument is given.", complexity: "O(N) where N is the number of commands to look up",
                    subcommands: []
                ),
                CommandSpec(
                    name: "command|getkeys", arity: -4, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Extract keys given a full Redis command", complexity: "O(N) where N is the number of arguments to the command",
                    subcommands: []
                ),
                CommandSpec(
                    name: "command|count", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Get total number of Redis commands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "command|list", arity: -2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: ["nondeterministic_output_order"],
                    keySpecs: [],
                    group: "server", since: "7.0.0",
                    summary: "Get an array of Redis command names", complexity: "O(N) where N is the total number of Redis commands",
                    subcommands: []
                ),
                CommandSpec(
                    name: "command|docs", arity: -2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: ["nondeterministic_output_order"],
                    keySpecs: [],
                    group: "server", since: "7.0.0",
                    summary: "Get array of specific Redis command documentation", complexity: "O(N) where N is the number of commands to look up",
                    subcommands: []
                ),
                CommandSpec(
                    name: "command|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "server", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "command|getkeysandflags", arity: -4, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: [],
                    keySpecs: [],
                    group: "server", since: "7.0.0",
                    summary: "Extract keys and access flags given a full Redis command", complexity: "O(N) where N is the number of arguments to the command",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "config", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "server", since: "2.0.0",
            summary: "A container for server configuration commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "config|rewrite", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "2.8.0",
                    summary: "Rewrite the configuration file with the in memory configuration", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "config|resetstat", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "2.0.0",
                    summary: "Reset the stats returned by INFO", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "config|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "config|get", arity: -3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "2.0.0",
                    summary: "Get the values of configuration parameters", complexity: "O(N) when N is the number of configuration parameters provided",
                    subcommands: []
                ),
                CommandSpec(
                    name: "config|set", arity: -4, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "server", since: "2.0.0",
                    summary: "Set configuration parameters to the given values", complexity: "O(N) when N is the number of configuration parameters provided",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "copy", arity: -3, flags: [.write, .denyoom],
            legacyKeys: (1, 2, 1), aclCategories: ["keyspace", "write", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["OW", "update"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "6.2.0",
            summary: "Copy a key", complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
            subcommands: []
        ),
        CommandSpec(
            name: "dbsize", arity: 1, flags: [.readonly, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["keyspace", "read", "fast"], tips: ["request_policy:all_shards", "response_policy:agg_sum"],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Return the number of keys in the selected database", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "debug", arity: -2, flags: [.admin, .noscript, .loading, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "A container for debugging commands", complexity: "Depends on subcommand.",
            subcommands: []
        ),
        CommandSpec(
            name: "decr", arity: 2, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Decrement the integer value of a key by one", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "decrby", arity: 3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Decrement the integer value of a key by the given number", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "del", arity: -2, flags: [.write],
            legacyKeys: (1, -1, 1), aclCategories: ["keyspace", "write", "slow"], tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
            keySpecs: [KeySpec(flags: ["RM", "delete"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "generic", since: "1.0.0",
            summary: "Delete a key", complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
            subcommands: []
        ),
        CommandSpec(
            name: "discard", arity: 1, flags: [.noscript, .loading, .stale, .fast, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "transaction"], tips: [],
            keySpecs: [],
            group: "transactions", since: "2.0.0",
            summary: "Discard all commands issued after MULTI", complexity: "O(N), when N is the number of queued commands",
            subcommands: []
        ),
        CommandSpec(
            name: "dump", arity: 2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "read", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "2.6.0",
            summary: "Return a serialized version of the value stored at the specified key.", complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
            subcommands: []
        ),
        CommandSpec(
            name: "echo", arity: 2, flags: [.loading, .stale, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "connection", since: "1.0.0",
            summary: "Echo the given string", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "eval", arity: -3, flags: [.noscript, .stale, .skipMonitor, .noMandatoryKeys, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "scripting", since: "2.6.0",
            summary: "Execute a Lua script server side", complexity: "Depends on the script that is executed.",
            subcommands: []
        ),
        CommandSpec(
            name: "eval_ro", arity: -3, flags: [.readonly, .noscript, .stale, .skipMonitor, .noMandatoryKeys, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "scripting", since: "7.0.0",
            summary: "Execute a read-only Lua script server side", complexity: "Depends on the script that is executed.",
            subcommands: []
        ),
        CommandSpec(
            name: "evalsha", arity: -3, flags: [.noscript, .stale, .skipMonitor, .noMandatoryKeys, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "scripting", since: "2.6.0",
            summary: "Execute a Lua script server side", complexity: "Depends on the script that is executed.",
            subcommands: []
        ),
        CommandSpec(
            name: "evalsha_ro", arity: -3, flags: [.readonly, .noscript, .stale, .skipMonitor, .noMandatoryKeys, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "scripting", since: "7.0.0",
            summary: "Execute a read-only Lua script server side", complexity: "Depends on the script that is executed.",
            subcommands: []
        ),
        CommandSpec(
            name: "exec", arity: 1, flags: [.noscript, .loading, .stale, .skipSlowlog],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "transaction"], tips: [],
            keySpecs: [],
            group: "transactions", since: "1.2.0",
            summary: "Execute all commands issued after MULTI", complexity: "Depends on commands in the transaction",
            subcommands: []
        ),
        CommandSpec(
            name: "exists", arity: -2, flags: [.readonly, .fast],
            legacyKeys: (1, -1, 1), aclCategories: ["keyspace", "read", "fast"], tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "generic", since: "1.0.0",
            summary: "Determine if a key exists", complexity: "O(N) where N is the number of keys to check.",
            subcommands: []
        ),
        CommandSpec(
            name: "expire", arity: -3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "write", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "1.0.0",
            summary: "Set a key's time to live in seconds", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "expireat", arity: -3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "write", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "1.2.0",
            summary: "Set the expiration for a key as a UNIX timestamp", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "expiretime", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "read", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "7.0.0",
            summary: "Get the expiration Unix timestamp for a key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "failover", arity: -1, flags: [.admin, .noscript, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "6.2.0",
            summary: "Start a coordinated failover between this server and one of its replicas.", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "fcall", arity: -3, flags: [.noscript, .stale, .skipMonitor, .noMandatoryKeys, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "scripting", since: "7.0.0",
            summary: "Invoke a function", complexity: "Depends on the function that is executed.",
            subcommands: []
        ),
        CommandSpec(
            name: "fcall_ro", arity: -3, flags: [.readonly, .noscript, .stale, .skipMonitor, .noMandatoryKeys, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "scripting", since: "7.0.0",
            summary: "Invoke a read-only function", complexity: "Depends on the function that is executed.",
            subcommands: []
        ),
        CommandSpec(
            name: "flushall", arity: -1, flags: [.write],
            legacyKeys: (0, 0, 0), aclCategories: ["keyspace", "write", "slow", "dangerous"], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Remove all keys from all databases", complexity: "O(N) where N is the total number of keys in all databases",
            subcommands: []
        ),
        CommandSpec(
            name: "flushdb", arity: -1, flags: [.write],
            legacyKeys: (0, 0, 0), aclCategories: ["keyspace", "write", "slow", "dangerous"], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Remove all keys from the current database", complexity: "O(N) where N is the number of keys in the selected database",
            subcommands: []
        ),
        CommandSpec(
            name: "function", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "scripting", since: "7.0.0",
            summary: "A container for function commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "function|delete", arity: 3, flags: [.write, .noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["write", "slow", "scripting"], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "Delete a function by name", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "function|restore", arity: -3, flags: [.write, .denyoom, .noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["write", "slow", "scripting"], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "Restore all the functions on the given payload", complexity: "O(N) where N is the number of functions on the payload",
                    subcommands: []
                ),
                CommandSpec(
                    name: "function|load", arity: -3, flags: [.write, .denyoom, .noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["write", "slow", "scripting"], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "Create a function with the given arguments (name, code, description)", complexity: "O(1) (considering compilation time is redundant)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "function|kill", arity: 2, flags: [.noscript, .allowBusy],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: ["request_policy:all_shards", "response_policy:one_succeeded"],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "Kill the function currently in execution.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "function|dump", arity: 2, flags: [.noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "Dump all functions into a serialized binary payload", complexity: "O(N) where N is the number of functions",
                    subcommands: []
                ),
                CommandSpec(
                    name: "function|list", arity: -2, flags: [.noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: ["nondeterministic_output_order"],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "List information about all the functions", complexity: "O(N) where N is the number of functions",
                    subcommands: []
                ),
                CommandSpec(
                    name: "function|flush", arity: -2, flags: [.write, .noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["write", "slow", "scripting"], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "Deleting all functions", complexity: "O(N) where N is the number of functions deleted",
                    subcommands: []
                ),
                CommandSpec(
                    name: "function|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "function|stats", arity: 2, flags: [.noscript, .allowBusy],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
                    keySpecs: [],
                    group: "scripting", since: "7.0.0",
                    summary: "Return information about the function currently running (name, description, duration)", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "geoadd", arity: -5, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "3.2.0",
            summary: "Add one or more geospatial items in the geospatial index represented using a sorted set", complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "geodist", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "3.2.0",
            summary: "Returns the distance between two members of a geospatial index", complexity: "O(log(N))",
            subcommands: []
        ),
        CommandSpec(
            name: "geohash", arity: -2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "3.2.0",
            summary: "Returns members of a geospatial index as standard geohash strings", complexity: "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "geopos", arity: -2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "3.2.0",
            summary: "Returns longitude and latitude of members of a geospatial index", complexity: "O(N) where N is the number of members requested.",
            subcommands: []
        ),
        CommandSpec(
            name: "georadius", arity: -6, flags: [.write, .denyoom, .movablekeys],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["OW", "update"], begin: .keyword("STORE", startFrom: 6), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["OW", "update"], begin: .keyword("STOREDIST", startFrom: 6), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "3.2.0",
            summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point", complexity: "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
            subcommands: []
        ),
        CommandSpec(
            name: "georadius_ro", arity: -6, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "3.2.10",
            summary: "A read-only variant for GEORADIUS", complexity: "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
            subcommands: []
        ),
        CommandSpec(
            name: "georadiusbymember", arity: -5, flags: [.write, .denyoom, .movablekeys],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["OW", "update"], begin: .keyword("STORE", startFrom: 5), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["OW", "update"], begin: .keyword("STOREDIST", startFrom: 5), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "3.2.0",
            summary: "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member", complexity: "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
            subcommands: []
        ),
        CommandSpec(
            name: "georadiusbymember_ro", arity: -5, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "3.2.10",
            summary: "A read-only variant for GEORADIUSBYMEMBER", complexity: "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.",
            subcommands: []
        ),
        CommandSpec(
            name: "geosearch", arity: -7, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "6.2.0",
            summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.", complexity: "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
            subcommands: []
        ),
        CommandSpec(
            name: "geosearchstore", arity: -8, flags: [.write, .denyoom],
            legacyKeys: (1, 2, 1), aclCategories: ["write", "geo", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "geo", since: "6.2.0",
            summary: "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.", complexity: "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape",
            subcommands: []
        ),
        CommandSpec(
            name: "get", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Get the value of a key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "getbit", arity: 3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "bitmap", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "bitmap", since: "2.2.0",
            summary: "Returns the bit value at offset in the string value stored at key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "getdel", arity: 2, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "6.2.0",
            summary: "Get the value of a key and delete the key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "getex", arity: -2, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "6.2.0",
            summary: "Get the value of a key and optionally set its expiration", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "getrange", arity: 4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "string", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "2.4.0",
            summary: "Get a substring of the string stored at a key", complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
            subcommands: []
        ),
        CommandSpec(
            name: "getset", arity: 3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Set the string value of a key and return its old value", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hdel", arity: -3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Delete one or more hash fields", complexity: "O(N) where N is the number of fields to be removed.",
            subcommands: []
        ),
        CommandSpec(
            name: "hello", arity: -1, flags: [.noscript, .loading, .stale, .fast, .noAuth, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "connection", since: "6.0.0",
            summary: "Handshake with Redis", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hexists", arity: 3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Determine if a hash field exists", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hget", arity: 3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Get the value of a hash field", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hgetall", arity: 2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "slow"], tips: ["nondeterministic_output_order"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Get all the fields and values in a hash", complexity: "O(N) where N is the size of the hash.",
            subcommands: []
        ),
        CommandSpec(
            name: "hincrby", arity: 4, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Increment the integer value of a hash field by the given number", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hincrbyfloat", arity: 4, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.6.0",
            summary: "Increment the float value of a hash field by the given amount", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hkeys", arity: 2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "slow"], tips: ["nondeterministic_output_order"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Get all the fields in a hash", complexity: "O(N) where N is the size of the hash.",
            subcommands: []
        ),
        CommandSpec(
            name: "hlen", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Get the number of fields in a hash", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hmget", arity: -3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Get the values of all the given hash fields", complexity: "O(N) where N is the number of fields being requested.",
            subcommands: []
        ),
        CommandSpec(
            name: "hmset", arity: -4, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Set multiple hash fields to multiple values", complexity: "O(N) where N is the number of fields being set.",
            subcommands: []
        ),
        CommandSpec(
            name: "hrandfield", arity: -2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "6.2.0",
            summary: "Get one or multiple random fields from a hash", complexity: "O(N) where N is the number of fields returned",
            subcommands: []
        ),
        CommandSpec(
            name: "hscan", arity: -3, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.8.0",
            summary: "Incrementally iterate hash fields and associated values", complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
            subcommands: []
        ),
        CommandSpec(
            name: "hset", arity: -4, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Set the string value of a hash field", complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
            subcommands: []
        ),
        CommandSpec(
            name: "hsetnx", arity: 4, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Set the value of a hash field, only if the field does not exist", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hstrlen", arity: 3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "3.2.0",
            summary: "Get the length of the value of a hash field", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "hvals", arity: 2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "hash", "slow"], tips: ["nondeterministic_output_order"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hash", since: "2.0.0",
            summary: "Get all the values in a hash", complexity: "O(N) where N is the size of the hash.",
            subcommands: []
        ),
        CommandSpec(
            name: "incr", arity: 2, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Increment the integer value of a key by one", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "incrby", arity: 3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Increment the integer value of a key by the given amount", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "incrbyfloat", arity: 3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "2.6.0",
            summary: "Increment the float value of a key by the given amount", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "info", arity: -1, flags: [.loading, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "dangerous"], tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Get information and statistics about the server", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "keys", arity: 2, flags: [.readonly],
            legacyKeys: (0, 0, 0), aclCategories: ["keyspace", "read", "slow", "dangerous"], tips: ["request_policy:all_shards", "nondeterministic_output_order"],
            keySpecs: [],
            group: "generic", since: "1.0.0",
            summary: "Find all keys matching the given pattern", complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
            subcommands: []
        ),
        CommandSpec(
            name: "lastsave", arity: 1, flags: [.loading, .stale, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "fast", "dangerous"], tips: ["nondeterministic_output"],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Get the UNIX time stamp of the last successful save to disk", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "latency", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "server", since: "2.8.13",
            summary: "A container for latency diagnostics commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "latency|doctor", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Return a human readable latency analysis report.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "latency|graph", arity: 3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Return a latency graph for the event.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "latency|reset", arity: -2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Reset latency data for one or more events.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "latency|latest", arity: 2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Return the latest latency samples for all events.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "latency|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Show helpful text about the different subcommands.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "latency|histogram", arity: -2, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
                    keySpecs: [],
                    group: "server", since: "7.0.0",
                    summary: "Return the cumulative distribution of latencies of a subset of commands or all.", complexity: "O(N) where N is the number of commands with latency information being retrieved.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "latency|history", arity: 3, flags: [.admin, .noscript, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"],
                    keySpecs: [],
                    group: "server", since: "2.8.13",
                    summary: "Return timestamp-latency samples for the event.", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "lcs", arity: -3, flags: [.readonly],
            legacyKeys: (1, 2, 1), aclCategories: ["read", "string", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 1, step: 1, limit: 0))],
            group: "string", since: "7.0.0",
            summary: "Find longest common substring", complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
            subcommands: []
        ),
        CommandSpec(
            name: "lindex", arity: 3, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Get an element from a list by its index", complexity: "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
            subcommands: []
        ),
        CommandSpec(
            name: "linsert", arity: 5, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "2.2.0",
            summary: "Insert an element before or after another element in a list", complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
            subcommands: []
        ),
        CommandSpec(
            name: "llen", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "list", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Get the length of a list", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "lmove", arity: 5, flags: [.write, .denyoom],
            legacyKeys: (1, 2, 1), aclCategories: ["write", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RW", "insert"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "6.2.0",
            summary: "Pop an element from a list, push it to another list and return it", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "lmpop", arity: -4, flags: [.write, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["write", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "list", since: "7.0.0",
            summary: "Pop elements from a list", complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
            subcommands: []
        ),
        CommandSpec(
            name: "lolwut", arity: -1, flags: [.readonly, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["read", "fast"], tips: [],
            keySpecs: [],
            group: "server", since: "5.0.0",
            summary: "Display some computer art and the Redis version", complexity: "",
            subcommands: []
        ),
        CommandSpec(
            name: "lpop", arity: -2, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Remove and get the first elements in a list", complexity: "O(N) where N is the number of elements returned",
            subcommands: []
        ),
        CommandSpec(
            name: "lpos", arity: -3, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "6.0.6",
            summary: "Return the index of matching elements on a list", complexity: "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
            subcommands: []
        ),
        CommandSpec(
            name: "lpush", arity: -3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Prepend one or multiple elements to a list", complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            subcommands: []
        ),
        CommandSpec(
            name: "lpushx", arity: -3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "2.2.0",
            summary: "Prepend an element to a list, only if the list exists", complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            subcommands: []
        ),
        CommandSpec(
            name: "lrange", arity: 4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Get a range of elements from a list", complexity: "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
            subcommands: []
        ),
        CommandSpec(
            name: "lrem", arity: 4, flags: [.write],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Remove elements from a list", complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
            subcommands: []
        ),
        CommandSpec(
            name: "lset", arity: 4, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Set the value of an element in a list by its index", complexity: "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
            subcommands: []
        ),
        CommandSpec(
            name: "ltrim", arity: 4, flags: [.write],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Trim a list to the specified range", complexity: "O(N) where N is the number of elements to be removed by the operation.",
            subcommands: []
        ),
        CommandSpec(
            name: "memory", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "server", since: "4.0.0",
            summary: "A container for memory diagnostics commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "memory|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "4.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "memory|purge", arity: 2, flags: [],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "server", since: "4.0.0",
                    summary: "Ask the allocator to release memory", complexity: "Depends on how much memory is allocated, could be slow",
                    subcommands: []
                ),
                CommandSpec(
                    name: "memory|malloc-stats", arity: 2, flags: [],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
                    keySpecs: [],
                    group: "server", since: "4.0.0",
                    summary: "Show allocator internal stats", complexity: "Depends on how much memory is allocated, could be slow",
                    subcommands: []
                ),
                CommandSpec(
                    name: "memory|doctor", arity: 2, flags: [],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
                    keySpecs: [],
                    group: "server", since: "4.0.0",
                    summary: "Outputs memory problems report", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "memory|stats", arity: 2, flags: [],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: ["nondeterministic_output", "request_policy:all_shards", "response_policy:special"],
                    keySpecs: [],
                    group: "server", since: "4.0.0",
                    summary: "Show memory usage details", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "memory|usage", arity: -3, flags: [.readonly],
                    legacyKeys: (2, 2, 1), aclCategories: ["read", "slow"], tips: [],
                    keySpecs: [KeySpec(flags: ["RO"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "server", since: "4.0.0",
                    summary: "Estimate the memory usage of a key", complexity: "O(N) where N is the number of samples.",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "mget", arity: -2, flags: [.readonly, .fast],
            legacyKeys: (1, -1, 1), aclCategories: ["read", "string", "fast"], tips: ["request_policy:multi_shard"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Get the values of all the given keys", complexity: "O(N) where N is the number of keys to retrieve.",
            subcommands: []
        ),
        CommandSpec(
            name: "migrate", arity: -6, flags: [.write, .movablekeys],
            legacyKeys: (3, 3, 1), aclCategories: ["keyspace", "write", "slow", "dangerous"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(3), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RW", "access", "delete", "incomplete"], begin: .keyword("KEYS", startFrom: -2), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "generic", since: "2.6.0",
            summary: "Atomically transfer a key from a Redis instance to another one.", complexity: "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.",
            subcommands: []
        ),
        CommandSpec(
            name: "module", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "server", since: "4.0.0",
            summary: "A container for module commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "module|loadex", arity: -3, flags: [.admin, .noscript, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "7.0.0",
                    summary: "Load a module with extended parameters", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "module|list", arity: 2, flags: [.admin, .noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["nondeterministic_output_order"],
                    keySpecs: [],
                    group: "server", since: "4.0.0",
                    summary: "List all modules loaded by the server", complexity: "O(N) where N is the number of loaded modules.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "module|load", arity: -3, flags: [.admin, .noscript, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "4.0.0",
                    summary: "Load a module", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "module|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "module|unload", arity: 3, flags: [.admin, .noscript, .noAsyncLoading],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
                    keySpecs: [],
                    group: "server", since: "4.0.0",
                    summary: "Unload a module", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "monitor", arity: 1, flags: [.admin, .noscript, .loading, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Listen for all requests received by the server in real time", complexity: "",
            subcommands: []
        ),
        CommandSpec(
            name: "move", arity: 3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "write", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "1.0.0",
            summary: "Move a key to another database", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "mset", arity: -3, flags: [.write, .denyoom],
            legacyKeys: (1, -1, 2), aclCategories: ["write", "string", "slow"], tips: ["request_policy:multi_shard", "response_policy:all_succeeded"],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: -1, step: 2, limit: 0))],
            group: "string", since: "1.0.1",
            summary: "Set multiple keys to multiple values", complexity: "O(N) where N is the number of keys to set.",
            subcommands: []
        ),
        CommandSpec(
            name: "msetnx", arity: -3, flags: [.write, .denyoom],
            legacyKeys: (1, -1, 2), aclCategories: ["write", "string", "slow"], tips: ["request_policy:multi_shard", "response_policy:agg_min"],
            keySpecs: [KeySpec(flags: ["OW", "insert"], begin: .index(1), find: .range(lastKey: -1, step: 2, limit: 0))],
            group: "string", since: "1.0.1",
            summary: "Set multiple keys to multiple values, only if none of the keys exist", complexity: "O(N) where N is the number of keys to set.",
            subcommands: []
        ),
        CommandSpec(
            name: "multi", arity: 1, flags: [.noscript, .loading, .stale, .fast, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "transaction"], tips: [],
            keySpecs: [],
            group: "transactions", since: "1.2.0",
            summary: "Mark the start of a transaction block", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "object", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "generic", since: "2.2.3",
            summary: "A container for object introspection commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "object|encoding", arity: 3, flags: [.readonly],
                    legacyKeys: (2, 2, 1), aclCategories: ["keyspace", "read", "slow"], tips: ["nondeterministic_output"],
                    keySpecs: [KeySpec(flags: ["RO"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "generic", since: "2.2.3",
                    summary: "Inspect the internal encoding of a Redis object", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "object|idletime", arity: 3, flags: [.readonly],
                    legacyKeys: (2, 2, 1), aclCategories: ["keyspace", "read", "slow"], tips: ["nondeterministic_output"],
                    keySpecs: [KeySpec(flags: ["RO"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "generic", since: "2.2.3",
                    summary: "Get the time since a Redis object was last accessed", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "object|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["keyspace", "slow"], tips: [],
                    keySpecs: [],
                    group: "generic", since: "6.2.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "object|freq", arity: 3, flags: [.readonly],
                    legacyKeys: (2, 2, 1), aclCategories: ["keyspace", "read", "slow"], tips: ["nondeterministic_output"],
                    keySpecs: [KeySpec(flags: ["RO"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "generic", since: "4.0.0",
                    summary: "Get the logarithmic access frequency counter of a Redis object", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "object|refcount", arity: 3, flags: [.readonly],
                    legacyKeys: (2, 2, 1), aclCategories: ["keyspace", "read", "slow"], tips: ["nondeterministic_output"],
                    keySpecs: [KeySpec(flags: ["RO"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "generic", since: "2.2.3",
                    summary: "Get the number of references to the value of the key", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "persist", arity: 2, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "write", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "2.2.0",
            summary: "Remove the expiration from a key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "pexpire", arity: -3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "write", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "2.6.0",
            summary: "Set a key's time to live in milliseconds", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "pexpireat", arity: -3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "write", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "2.6.0",
            summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "pexpiretime", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "read", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "7.0.0",
            summary: "Get the expiration Unix timestamp for a key in milliseconds", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "pfadd", arity: -2, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "hyperloglog", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hyperloglog", since: "2.8.9",
            summary: "Adds the specified elements to the specified HyperLogLog.", complexity: "O(1) to add every element.",
            subcommands: []
        ),
        CommandSpec(
            name: "pfcount", arity: -2, flags: [.readonly],
            legacyKeys: (1, -1, 1), aclCategories: ["read", "hyperloglog", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "hyperloglog", since: "2.8.9",
            summary: "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).", complexity: "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
            subcommands: []
        ),
        CommandSpec(
            name: "pfdebug", arity: 3, flags: [.write, .denyoom, .admin],
            legacyKeys: (2, 2, 1), aclCategories: ["write", "hyperloglog", "admin", "slow", "dangerous"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "hyperloglog", since: "2.8.9",
            summary: "Internal commands for debugging HyperLogLog values", complexity: "N/A",
            subcommands: []
        ),
        CommandSpec(
            name: "pfmerge", arity: -2, flags: [.write, .denyoom],
            legacyKeys: (1, -1, 1), aclCategories: ["write", "hyperloglog", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "hyperloglog", since: "2.8.9",
            summary: "Merge N different HyperLogLogs into a single one.", complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
            subcommands: []
        ),
        CommandSpec(
            name: "pfselftest", arity: 1, flags: [.admin],
            legacyKeys: (0, 0, 0), aclCategories: ["hyperloglog", "admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "hyperloglog", since: "2.8.9",
            summary: "An internal command for testing HyperLogLog values", complexity: "N/A",
            subcommands: []
        ),
        CommandSpec(
            name: "ping", arity: -1, flags: [.fast],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: ["request_policy:all_shards", "response_policy:all_succeeded"],
            keySpecs: [],
            group: "connection", since: "1.0.0",
            summary: "Ping the server", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "psetex", arity: 4, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "2.6.0",
            summary: "Set the value and expiration in milliseconds of a key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "psubscribe", arity: -2, flags: [.pubsub, .noscript, .loading, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
            keySpecs: [],
            group: "pubsub", since: "2.0.0",
            summary: "Listen for messages published to channels matching the given patterns", complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
            subcommands: []
        ),
        CommandSpec(
            name: "psync", arity: -3, flags: [.admin, .noscript, .noAsyncLoading, .noMulti],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "2.8.0",
            summary: "Internal command used for replication", complexity: "",
            subcommands: []
        ),
        CommandSpec(
            name: "pttl", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "read", "fast"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "2.6.0",
            summary: "Get the time to live for a key in milliseconds", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "publish", arity: 3, flags: [.pubsub, .loading, .stale, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "fast"], tips: [],
            keySpecs: [],
            group: "pubsub", since: "2.0.0",
            summary: "Post a message to a channel", complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
            subcommands: []
        ),
        CommandSpec(
            name: "pubsub", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "pubsub", since: "2.8.0",
            summary: "A container for Pub/Sub commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "pubsub|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "pubsub", since: "6.2.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "pubsub|numsub", arity: -2, flags: [.pubsub, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
                    keySpecs: [],
                    group: "pubsub", since: "2.8.0",
                    summary: "Get the count of subscribers for channels", complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                    subcommands: []
                ),
                CommandSpec(
                    name: "pubsub|shardchannels", arity: -2, flags: [.pubsub, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
                    keySpecs: [],
                    group: "pubsub", since: "7.0.0",
                    summary: "List active shard channels", complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
                    subcommands: []
                ),
                CommandSpec(
                    name: "pubsub|shardnumsub", arity: -2, flags: [.pubsub, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
                    keySpecs: [],
                    group: "pubsub", since: "7.0.0",
                    summary: "Get the count of subscribers for shard channels", complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
                    subcommands: []
                ),
                CommandSpec(
                    name: "pubsub|channels", arity: -2, flags: [.pubsub, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
                    keySpecs: [],
                    group: "pubsub", since: "2.8.0",
                    summary: "List active channels", complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "pubsub|numpat", arity: 2, flags: [.pubsub, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
                    keySpecs: [],
                    group: "pubsub", since: "2.8.0",
                    summary: "Get the count of unique patterns pattern subscriptions", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "punsubscribe", arity: -1, flags: [.pubsub, .noscript, .loading, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
            keySpecs: [],
            group: "pubsub", since: "2.0.0",
            summary: "Stop listening for messages posted to channels matching the given patterns", complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
            subcommands: []
        ),
        CommandSpec(
            name: "quit", arity: -1, flags: [.noscript, .loading, .stale, .fast, .noAuth, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "connection", since: "1.0.0",
            summary: "Close the connection", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "randomkey", arity: 1, flags: [.readonly],
            legacyKeys: (0, 0, 0), aclCategories: ["keyspace", "read", "slow"], tips: ["request_policy:all_shards", "nondeterministic_output"],
            keySpecs: [],
            group: "generic", since: "1.0.0",
            summary: "Return a random key from the keyspace", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "readonly", arity: 1, flags: [.loading, .stale, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "cluster", since: "3.0.0",
            summary: "Enables read queries for a connection to a cluster replica node", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "readwrite", arity: 1, flags: [.loading, .stale, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "cluster", since: "3.0.0",
            summary: "Disables read queries for a connection to a cluster replica node", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "rename", arity: 3, flags: [.write],
            legacyKeys: (1, 2, 1), aclCategories: ["keyspace", "write", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["OW", "update"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "1.0.0",
            summary: "Rename a key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "renamenx", arity: 3, flags: [.write, .fast],
            legacyKeys: (1, 2, 1), aclCategories: ["keyspace", "write", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["OW", "insert"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "1.0.0",
            summary: "Rename a key, only if the new key does not exist", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "replconf", arity: -1, flags: [.admin, .noscript, .loading, .stale, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "3.0.0",
            summary: "An internal command for configuring the replication stream", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "replicaof", arity: 3, flags: [.admin, .noscript, .stale, .noAsyncLoading],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "5.0.0",
            summary: "Make the server a replica of another instance, or promote it as master.", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "reset", arity: 1, flags: [.noscript, .loading, .stale, .fast, .noAuth, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "connection", since: "6.2.0",
            summary: "Reset the connection", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "restore", arity: -4, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "write", "slow", "dangerous"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "2.6.0",
            summary: "Create a key using the provided serialized value, previously obtained using DUMP.", complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
            subcommands: []
        ),
        CommandSpec(
            name: "restore-asking", arity: -4, flags: [.write, .denyoom, .asking],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "write", "slow", "dangerous"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "server", since: "3.0.0",
            summary: "An internal command for migrating keys in a cluster", complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
            subcommands: []
        ),
        CommandSpec(
            name: "role", arity: 1, flags: [.noscript, .loading, .stale, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "fast", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "2.8.12",
            summary: "Return the role of the instance in the context of replication", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "rpop", arity: -2, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Remove and get the last elements in a list", complexity: "O(N) where N is the number of elements returned",
            subcommands: []
        ),
        CommandSpec(
            name: "rpoplpush", arity: 3, flags: [.write, .denyoom],
            legacyKeys: (1, 2, 1), aclCategories: ["write", "list", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RW", "insert"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.2.0",
            summary: "Remove the last element in a list, prepend it to another list and return it", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "rpush", arity: -3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "1.0.0",
            summary: "Append one or multiple elements to a list", complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            subcommands: []
        ),
        CommandSpec(
            name: "rpushx", arity: -3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "list", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "list", since: "2.2.0",
            summary: "Append an element to a list, only if the list exists", complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            subcommands: []
        ),
        CommandSpec(
            name: "sadd", arity: -3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "set", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Add one or more members to a set", complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
            subcommands: []
        ),
        CommandSpec(
            name: "save", arity: 1, flags: [.admin, .noscript, .noAsyncLoading, .noMulti],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Synchronously save the dataset to disk", complexity: "O(N) where N is the total number of keys in all databases",
            subcommands: []
        ),
        CommandSpec(
            name: "scan", arity: -2, flags: [.readonly],
            legacyKeys: (0, 0, 0), aclCategories: ["keyspace", "read", "slow"], tips: ["nondeterministic_output", "request_policy:special"],
            keySpecs: [],
            group: "generic", since: "2.8.0",
            summary: "Incrementally iterate the keys space", complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
            subcommands: []
        ),
        CommandSpec(
            name: "scard", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "set", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Get the number of members in a set", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "script", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "scripting", since: "2.6.0",
            summary: "A container for Lua scripts management commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "script|flush", arity: -2, flags: [.noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "scripting", since: "2.6.0",
                    summary: "Remove all the scripts from the script cache.", complexity: "O(N) with N being the number of scripts in cache",
                    subcommands: []
                ),
                CommandSpec(
                    name: "script|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
                    keySpecs: [],
                    group: "scripting", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "script|debug", arity: 3, flags: [.noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: [],
                    keySpecs: [],
                    group: "scripting", since: "3.2.0",
                    summary: "Set the debug mode for executed scripts.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "script|load", arity: 3, flags: [.noscript, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "scripting", since: "2.6.0",
                    summary: "Load the specified Lua script into the script cache.", complexity: "O(N) with N being the length in bytes of the script body.",
                    subcommands: []
                ),
                CommandSpec(
                    name: "script|kill", arity: 2, flags: [.noscript, .allowBusy],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: ["request_policy:all_shards", "response_policy:one_succeeded"],
                    keySpecs: [],
                    group: "scripting", since: "2.6.0",
                    summary: "Kill the script currently in execution.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "script|exists", arity: -3, flags: [.noscript],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow", "scripting"], tips: ["request_policy:all_shards", "response_policy:agg_logical_and"],
                    keySpecs: [],
                    group: "scripting", since: "2.6.0",
                    summary: "Check existence of scripts in the script cache.", complexity: "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "sdiff", arity: -2, flags: [.readonly],
            legacyKeys: (1, -1, 1), aclCategories: ["read", "set", "slow"], tips: ["nondeterministic_output_order"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Subtract multiple sets", complexity: "O(N) where N is the total number of elements in all given sets.",
            subcommands: []
        ),
        CommandSpec(
            name: "sdiffstore", arity: -3, flags: [.write, .denyoom],
            legacyKeys: (1, -1, 1), aclCategories: ["write", "set", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Subtract multiple sets and store the resulting set in a key", complexity: "O(N) where N is the total number of elements in all given sets.",
            subcommands: []
        ),
        CommandSpec(
            name: "select", arity: 2, flags: [.loading, .stale, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "connection"], tips: [],
            keySpecs: [],
            group: "connection", since: "1.0.0",
            summary: "Change the selected database for the current connection", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "set", arity: -3, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update", "variable_flags"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Set the string value of a key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "setbit", arity: 4, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "bitmap", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "bitmap", since: "2.2.0",
            summary: "Sets or clears the bit at offset in the string value stored at key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "setex", arity: 4, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "2.0.0",
            summary: "Set the value and expiration of a key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "setnx", arity: 3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "insert"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Set the value of a key, only if the key does not exist", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "setrange", arity: 4, flags: [.write, .denyoom],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "string", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "2.2.0",
            summary: "Overwrite part of a string at key starting at the specified offset", complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
            subcommands: []
        ),
        CommandSpec(
            name: "shutdown", arity: -1, flags: [.admin, .noscript, .loading, .stale, .noMulti, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Synchronously save the dataset to disk and then shut down the server", complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "sinter", arity: -2, flags: [.readonly],
            legacyKeys: (1, -1, 1), aclCategories: ["read", "set", "slow"], tips: ["nondeterministic_output_order"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Intersect multiple sets", complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
            subcommands: []
        ),
        CommandSpec(
            name: "sintercard", arity: -3, flags: [.readonly, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["read", "set", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "set", since: "7.0.0",
            summary: "Intersect multiple sets and return the cardinality of the result", complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
            subcommands: []
        ),
        CommandSpec(
            name: "sinterstore", arity: -3, flags: [.write, .denyoom],
            legacyKeys: (1, -1, 1), aclCategories: ["write", "set", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Intersect multiple sets and store the resulting set in a key", complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
            subcommands: []
        ),
        CommandSpec(
            name: "sismember", arity: 3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "set", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Determine if a given value is a member of a set", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "slaveof", arity: 3, flags: [.admin, .noscript, .stale, .noAsyncLoading],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Make the server a replica of another instance, or promote it as master.", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "slowlog", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "server", since: "2.2.12",
            summary: "A container for slow log commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "slowlog|len", arity: 2, flags: [.admin, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"],
                    keySpecs: [],
                    group: "server", since: "2.2.12",
                    summary: "Get the slow log's length", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "slowlog|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
                    keySpecs: [],
                    group: "server", since: "6.2.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "slowlog|reset", arity: 2, flags: [.admin, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["request_policy:all_nodes", "response_policy:all_succeeded"],
                    keySpecs: [],
                    group: "server", since: "2.2.12",
                    summary: "Clear all entries from the slow log", complexity: "O(N) where N is the number of entries in the slowlog",
                    subcommands: []
                ),
                CommandSpec(
                    name: "slowlog|get", arity: -2, flags: [.admin, .loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: ["request_policy:all_nodes", "nondeterministic_output"],
                    keySpecs: [],
                    group: "server", since: "2.2.12",
                    summary: "Get the slow log's entries", complexity: "O(N) where N is the number of entries returned",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "smembers", arity: 2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "set", "slow"], tips: ["nondeterministic_output_order"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Get all the members in a set", complexity: "O(N) where N is the set cardinality.",
            subcommands: []
        ),
        CommandSpec(
            name: "smismember", arity: -3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "set", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "6.2.0",
            summary: "Returns the membership associated with the given elements for a set", complexity: "O(N) where N is the number of elements being checked for membership",
            subcommands: []
        ),
        CommandSpec(
            name: "smove", arity: 4, flags: [.write, .fast],
            legacyKeys: (1, 2, 1), aclCategories: ["write", "set", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RW", "insert"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Move a member from one set to another", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "sort", arity: -2, flags: [.write, .denyoom, .movablekeys],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "set", "sortedset", "list", "slow", "dangerous"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .unknown, find: .unknown), KeySpec(flags: ["OW", "update"], begin: .unknown, find: .unknown)],
            group: "generic", since: "1.0.0",
            summary: "Sort the elements in a list, set or sorted set", complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
            subcommands: []
        ),
        CommandSpec(
            name: "sort_ro", arity: -2, flags: [.readonly, .movablekeys],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "set", "sortedset", "list", "slow", "dangerous"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .unknown, find: .unknown)],
            group: "generic", since: "7.0.0",
            summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
            subcommands: []
        ),
        CommandSpec(
            name: "spop", arity: -2, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "set", "fast"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Remove and return one or multiple random members from a set", complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
            subcommands: []
        ),
        CommandSpec(
            name: "spublish", arity: 3, flags: [.pubsub, .loading, .stale, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["pubsub", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["not_key"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "pubsub", since: "7.0.0",
            summary: "Post a message to a shard channel", complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
            subcommands: []
        ),
        CommandSpec(
            name: "srandmember", arity: -2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "set", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Get one or multiple random members from a set", complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
            subcommands: []
        ),
        CommandSpec(
            name: "srem", arity: -3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "set", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Remove one or more members from a set", complexity: "O(N) where N is the number of members to be removed.",
            subcommands: []
        ),
        CommandSpec(
            name: "sscan", arity: -3, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "set", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "set", since: "2.8.0",
            summary: "Incrementally iterate Set elements", complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
            subcommands: []
        ),
        CommandSpec(
            name: "ssubscribe", arity: -2, flags: [.pubsub, .noscript, .loading, .stale],
            legacyKeys: (1, -1, 1), aclCategories: ["pubsub", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["not_key"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "pubsub", since: "7.0.0",
            summary: "Listen for messages published to the given shard channels", complexity: "O(N) where N is the number of shard channels to subscribe to.",
            subcommands: []
        ),
        CommandSpec(
            name: "strlen", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "string", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "2.2.0",
            summary: "Get the length of the value stored in a key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "subscribe", arity: -2, flags: [.pubsub, .noscript, .loading, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
            keySpecs: [],
            group: "pubsub", since: "2.0.0",
            summary: "Listen for messages published to the given channels", complexity: "O(N) where N is the number of channels to subscribe to.",
            subcommands: []
        ),
        CommandSpec(
            name: "substr", arity: 4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "string", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "string", since: "1.0.0",
            summary: "Get a substring of the string stored at a key", complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
            subcommands: []
        ),
        CommandSpec(
            name: "sunion", arity: -2, flags: [.readonly],
            legacyKeys: (1, -1, 1), aclCategories: ["read", "set", "slow"], tips: ["nondeterministic_output_order"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Add multiple sets", complexity: "O(N) where N is the total number of elements in all given sets.",
            subcommands: []
        ),
        CommandSpec(
            name: "sunionstore", arity: -3, flags: [.write, .denyoom],
            legacyKeys: (1, -1, 1), aclCategories: ["write", "set", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "set", since: "1.0.0",
            summary: "Add multiple sets and store the resulting set in a key", complexity: "O(N) where N is the total number of elements in all given sets.",
            subcommands: []
        ),
        CommandSpec(
            name: "sunsubscribe", arity: -1, flags: [.pubsub, .noscript, .loading, .stale],
            legacyKeys: (1, -1, 1), aclCategories: ["pubsub", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["not_key"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "pubsub", since: "7.0.0",
            summary: "Stop listening for messages posted to the given shard channels", complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
            subcommands: []
        ),
        CommandSpec(
            name: "swapdb", arity: 3, flags: [.write, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["keyspace", "write", "fast", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "4.0.0",
            summary: "Swaps two Redis databases", complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
            subcommands: []
        ),
        CommandSpec(
            name: "sync", arity: 1, flags: [.admin, .noscript, .noAsyncLoading, .noMulti],
            legacyKeys: (0, 0, 0), aclCategories: ["admin", "slow", "dangerous"], tips: [],
            keySpecs: [],
            group: "server", since: "1.0.0",
            summary: "Internal command used for replication", complexity: "",
            subcommands: []
        ),
        CommandSpec(
            name: "time", arity: 1, flags: [.loading, .stale, .fast],
            legacyKeys: (0, 0, 0), aclCategories: ["fast"], tips: ["nondeterministic_output"],
            keySpecs: [],
            group: "server", since: "2.6.0",
            summary: "Return the current server time", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "touch", arity: -2, flags: [.readonly, .fast],
            legacyKeys: (1, -1, 1), aclCategories: ["keyspace", "read", "fast"], tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "generic", since: "3.2.1",
            summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.", complexity: "O(N) where N is the number of keys that will be touched.",
            subcommands: []
        ),
        CommandSpec(
            name: "ttl", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "read", "fast"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "1.0.0",
            summary: "Get the time to live for a key in seconds", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "type", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["keyspace", "read", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "generic", since: "1.0.0",
            summary: "Determine the type stored at key", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "unlink", arity: -2, flags: [.write, .fast],
            legacyKeys: (1, -1, 1), aclCategories: ["keyspace", "write", "fast"], tips: ["request_policy:multi_shard", "response_policy:agg_sum"],
            keySpecs: [KeySpec(flags: ["RM", "delete"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "generic", since: "4.0.0",
            summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
            subcommands: []
        ),
        CommandSpec(
            name: "unsubscribe", arity: -1, flags: [.pubsub, .noscript, .loading, .stale],
            legacyKeys: (0, 0, 0), aclCategories: ["pubsub", "slow"], tips: [],
            keySpecs: [],
            group: "pubsub", since: "2.0.0",
            summary: "Stop listening for messages posted to the given channels", complexity: "O(N) where N is the number of clients already subscribed to a channel.",
            subcommands: []
        ),
        CommandSpec(
            name: "unwatch", arity: 1, flags: [.noscript, .loading, .stale, .fast, .allowBusy],
            legacyKeys: (0, 0, 0), aclCategories: ["fast", "transaction"], tips: [],
            keySpecs: [],
            group: "transactions", since: "2.2.0",
            summary: "Forget about all watched keys", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "wait", arity: 3, flags: [.noscript],
            legacyKeys: (0, 0, 0), aclCategories: ["slow", "connection"], tips: ["request_policy:all_shards", "response_policy:agg_min"],
            keySpecs: [],
            group: "generic", since: "3.0.0",
            summary: "Wait for the synchronous replication of all the write commands sent in the context of the current connection", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "watch", arity: -2, flags: [.noscript, .loading, .stale, .fast, .allowBusy],
            legacyKeys: (1, -1, 1), aclCategories: ["fast", "transaction"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: -1, step: 1, limit: 0))],
            group: "transactions", since: "2.2.0",
            summary: "Watch the given keys to determine execution of the MULTI/EXEC block", complexity: "O(1) for every key.",
            subcommands: []
        ),
        CommandSpec(
            name: "xack", arity: -4, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "stream", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.", complexity: "O(1) for each message ID processed.",
            subcommands: []
        ),
        CommandSpec(
            name: "xadd", arity: -5, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "stream", "fast"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Appends a new entry to a stream", complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
            subcommands: []
        ),
        CommandSpec(
            name: "xautoclaim", arity: -6, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "stream", "fast"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "6.2.0",
            summary: "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.", complexity: "O(1) if COUNT is small.",
            subcommands: []
        ),
        CommandSpec(
            name: "xclaim", arity: -6, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "stream", "fast"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.", complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
            subcommands: []
        ),
        CommandSpec(
            name: "xdel", arity: -3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "stream", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.", complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
            subcommands: []
        ),
        CommandSpec(
            name: "xgroup", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "stream", since: "5.0.0",
            summary: "A container for consumer groups commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "xgroup|createconsumer", arity: 5, flags: [.write, .denyoom],
                    legacyKeys: (2, 2, 1), aclCategories: ["write", "stream", "slow"], tips: [],
                    keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "stream", since: "6.2.0",
                    summary: "Create a consumer in a consumer group.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "xgroup|delconsumer", arity: 5, flags: [.write],
                    legacyKeys: (2, 2, 1), aclCategories: ["write", "stream", "slow"], tips: [],
                    keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "stream", since: "5.0.0",
                    summary: "Delete a consumer from a consumer group.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "xgroup|create", arity: -5, flags: [.write, .denyoom],
                    legacyKeys: (2, 2, 1), aclCategories: ["write", "stream", "slow"], tips: [],
                    keySpecs: [KeySpec(flags: ["RW", "insert"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "stream", since: "5.0.0",
                    summary: "Create a consumer group.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "xgroup|destroy", arity: 4, flags: [.write],
                    legacyKeys: (2, 2, 1), aclCategories: ["write", "stream", "slow"], tips: [],
                    keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "stream", since: "5.0.0",
                    summary: "Destroy a consumer group.", complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
                    subcommands: []
                ),
                CommandSpec(
                    name: "xgroup|setid", arity: -5, flags: [.write],
                    legacyKeys: (2, 2, 1), aclCategories: ["write", "stream", "slow"], tips: [],
                    keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "stream", since: "5.0.0",
                    summary: "Set a consumer group to an arbitrary last delivered ID value.", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "xgroup|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["stream", "slow"], tips: [],
                    keySpecs: [],
                    group: "stream", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "xinfo", arity: -2, flags: [],
            legacyKeys: (0, 0, 0), aclCategories: ["slow"], tips: [],
            keySpecs: [],
            group: "stream", since: "5.0.0",
            summary: "A container for stream introspection commands", complexity: "Depends on subcommand.",
            subcommands: [
                CommandSpec(
                    name: "xinfo|stream", arity: -3, flags: [.readonly],
                    legacyKeys: (2, 2, 1), aclCategories: ["read", "stream", "slow"], tips: [],
                    keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "stream", since: "5.0.0",
                    summary: "Get information about a stream", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "xinfo|groups", arity: 3, flags: [.readonly],
                    legacyKeys: (2, 2, 1), aclCategories: ["read", "stream", "slow"], tips: [],
                    keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "stream", since: "5.0.0",
                    summary: "List the consumer groups of a stream", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "xinfo|help", arity: 2, flags: [.loading, .stale],
                    legacyKeys: (0, 0, 0), aclCategories: ["stream", "slow"], tips: [],
                    keySpecs: [],
                    group: "stream", since: "5.0.0",
                    summary: "Show helpful text about the different subcommands", complexity: "O(1)",
                    subcommands: []
                ),
                CommandSpec(
                    name: "xinfo|consumers", arity: 4, flags: [.readonly],
                    legacyKeys: (2, 2, 1), aclCategories: ["read", "stream", "slow"], tips: ["nondeterministic_output"],
                    keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
                    group: "stream", since: "5.0.0",
                    summary: "List the consumers in a consumer group", complexity: "O(1)",
                    subcommands: []
                )
            ]
        ),
        CommandSpec(
            name: "xlen", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "stream", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Return the number of entries in a stream", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "xpending", arity: -3, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "stream", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.", complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
            subcommands: []
        ),
        CommandSpec(
            name: "xrange", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "stream", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval", complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
            subcommands: []
        ),
        CommandSpec(
            name: "xread", arity: -4, flags: [.readonly, .blocking, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["read", "stream", "slow", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .keyword("STREAMS", startFrom: 1), find: .range(lastKey: -1, step: 1, limit: 2))],
            group: "stream", since: "5.0.0",
            summary: "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.", complexity: "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
            subcommands: []
        ),
        CommandSpec(
            name: "xreadgroup", arity: -7, flags: [.write, .blocking, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["write", "stream", "slow", "blocking"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .keyword("STREAMS", startFrom: 4), find: .range(lastKey: -1, step: 1, limit: 2))],
            group: "stream", since: "5.0.0",
            summary: "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.", complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
            subcommands: []
        ),
        CommandSpec(
            name: "xrevrange", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "stream", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE", complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
            subcommands: []
        ),
        CommandSpec(
            name: "xsetid", arity: -3, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "stream", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "An internal command for replicating stream values", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "xtrim", arity: -4, flags: [.write],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "stream", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "stream", since: "5.0.0",
            summary: "Trims the stream to (approximately if '~' is passed) a certain size", complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
            subcommands: []
        ),
        CommandSpec(
            name: "zadd", arity: -4, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.2.0",
            summary: "Add one or more members to a sorted set, or update its score if it already exists", complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zcard", arity: 2, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.2.0",
            summary: "Get the number of members in a sorted set", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "zcount", arity: 4, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.0.0",
            summary: "Count the members in a sorted set with scores within the given values", complexity: "O(log(N)) with N being the number of elements in the sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zdiff", arity: -3, flags: [.readonly, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "6.2.0",
            summary: "Subtract multiple sorted sets", complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zdiffstore", arity: -4, flags: [.write, .denyoom, .movablekeys],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "6.2.0",
            summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key", complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zincrby", arity: 4, flags: [.write, .denyoom, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.2.0",
            summary: "Increment the score of a member in a sorted set", complexity: "O(log(N)) where N is the number of elements in the sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zinter", arity: -3, flags: [.readonly, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "6.2.0",
            summary: "Intersect multiple sorted sets", complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zintercard", arity: -3, flags: [.readonly, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "7.0.0",
            summary: "Intersect multiple sorted sets and return the cardinality of the result", complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
            subcommands: []
        ),
        CommandSpec(
            name: "zinterstore", arity: -4, flags: [.write, .denyoom, .movablekeys],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "2.0.0",
            summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key", complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zlexcount", arity: 4, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.8.9",
            summary: "Count the number of members in a sorted set between a given lexicographical range", complexity: "O(log(N)) with N being the number of elements in the sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zmpop", arity: -4, flags: [.write, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["write", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "7.0.0",
            summary: "Remove and return members with scores in a sorted set", complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
            subcommands: []
        ),
        CommandSpec(
            name: "zmscore", arity: -3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "6.2.0",
            summary: "Get the score associated with the given members in a sorted set", complexity: "O(N) where N is the number of members being requested.",
            subcommands: []
        ),
        CommandSpec(
            name: "zpopmax", arity: -2, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "5.0.0",
            summary: "Remove and return members with the highest scores in a sorted set", complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
            subcommands: []
        ),
        CommandSpec(
            name: "zpopmin", arity: -2, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "access", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "5.0.0",
            summary: "Remove and return members with the lowest scores in a sorted set", complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
            subcommands: []
        ),
        CommandSpec(
            name: "zrandmember", arity: -2, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "6.2.0",
            summary: "Get one or multiple random elements from a sorted set", complexity: "O(N) where N is the number of elements returned",
            subcommands: []
        ),
        CommandSpec(
            name: "zrange", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.2.0",
            summary: "Return a range of members in a sorted set", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
            subcommands: []
        ),
        CommandSpec(
            name: "zrangebylex", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.8.9",
            summary: "Return a range of members in a sorted set, by lexicographical range", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
            subcommands: []
        ),
        CommandSpec(
            name: "zrangebyscore", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.0.5",
            summary: "Return a range of members in a sorted set, by score", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
            subcommands: []
        ),
        CommandSpec(
            name: "zrangestore", arity: -5, flags: [.write, .denyoom],
            legacyKeys: (1, 2, 1), aclCategories: ["write", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "6.2.0",
            summary: "Store a range of members from sorted set into another key", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
            subcommands: []
        ),
        CommandSpec(
            name: "zrank", arity: 3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.0.0",
            summary: "Determine the index of a member in a sorted set", complexity: "O(log(N))",
            subcommands: []
        ),
        CommandSpec(
            name: "zrem", arity: -3, flags: [.write, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.2.0",
            summary: "Remove one or more members from a sorted set", complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
            subcommands: []
        ),
        CommandSpec(
            name: "zremrangebylex", arity: 4, flags: [.write],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.8.9",
            summary: "Remove all members in a sorted set between the given lexicographical range", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
            subcommands: []
        ),
        CommandSpec(
            name: "zremrangebyrank", arity: 4, flags: [.write],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.0.0",
            summary: "Remove all members in a sorted set within the given indexes", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
            subcommands: []
        ),
        CommandSpec(
            name: "zremrangebyscore", arity: 4, flags: [.write],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RW", "delete"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.2.0",
            summary: "Remove all members in a sorted set within the given scores", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
            subcommands: []
        ),
        CommandSpec(
            name: "zrevrange", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.2.0",
            summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
            subcommands: []
        ),
        CommandSpec(
            name: "zrevrangebylex", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.8.9",
            summary: "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
            subcommands: []
        ),
        CommandSpec(
            name: "zrevrangebyscore", arity: -4, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.2.0",
            summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
            subcommands: []
        ),
        CommandSpec(
            name: "zrevrank", arity: 3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.0.0",
            summary: "Determine the index of a member in a sorted set, with scores ordered from high to low", complexity: "O(log(N))",
            subcommands: []
        ),
        CommandSpec(
            name: "zscan", arity: -3, flags: [.readonly],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "slow"], tips: ["nondeterministic_output"],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "2.8.0",
            summary: "Incrementally iterate sorted sets elements and associated scores", complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
            subcommands: []
        ),
        CommandSpec(
            name: "zscore", arity: 3, flags: [.readonly, .fast],
            legacyKeys: (1, 1, 1), aclCategories: ["read", "sortedset", "fast"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0))],
            group: "sorted-set", since: "1.2.0",
            summary: "Get the score associated with the given member in a sorted set", complexity: "O(1)",
            subcommands: []
        ),
        CommandSpec(
            name: "zunion", arity: -3, flags: [.readonly, .movablekeys],
            legacyKeys: (0, 0, 0), aclCategories: ["read", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["RO", "access"], begin: .index(1), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "6.2.0",
            summary: "Add multiple sorted sets", complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
            subcommands: []
        ),
        CommandSpec(
            name: "zunionstore", arity: -4, flags: [.write, .denyoom, .movablekeys],
            legacyKeys: (1, 1, 1), aclCategories: ["write", "sortedset", "slow"], tips: [],
            keySpecs: [KeySpec(flags: ["OW", "update"], begin: .index(1), find: .range(lastKey: 0, step: 1, limit: 0)), KeySpec(flags: ["RO", "access"], begin: .index(2), find: .keynum(keyNumIndex: 0, firstKey: 1, step: 1))],
            group: "sorted-set", since: "2.0.0",
            summary: "Add multiple sorted sets and store the resulting sorted set in a new key", complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
            subcommands: []
        )
    ]
}
