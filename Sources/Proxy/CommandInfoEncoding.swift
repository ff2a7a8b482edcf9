import Commands
import RESP

/// COMMAND INFO and COMMAND DOCS replies, built from the generated table.
enum CommandInfoEncoding {
    static func info(_ spec: CommandSpec) -> RESPValue {
        .array([
            .bulk(spec.name),
            .integer(spec.arity),
            .set(spec.flags.names.map { .simple($0) }),
            .integer(spec.legacyKeys.first),
            .integer(spec.legacyKeys.last),
            .integer(spec.legacyKeys.step),
            .set(spec.aclCategories.map { .simple("@" + $0) }),
            .set(spec.tips.map { .simple($0) }),
            .array(spec.keySpecs.map(keySpec)),
            .array(spec.subcommands.map(info)),
        ])
    }

    static func keySpec(_ spec: KeySpec) -> RESPValue {
        let begin: RESPValue
        switch spec.begin {
        case .index(let i):
            begin = .map([("type", "index"), ("spec", .map([("index", .integer(i))]))])
        case .keyword(let keyword, let startFrom):
            begin = .map([
                ("type", "keyword"), ("spec", .map([("keyword", .bulk(keyword)), ("startfrom", .integer(startFrom))])),
            ])
        case .unknown:
            begin = .map([("type", "unknown"), ("spec", .map([]))])
        }
        let find: RESPValue
        switch spec.find {
        case .range(let lastKey, let step, let limit):
            find = .map([
                ("type", "range"),
                (
                    "spec",
                    .map([("lastkey", .integer(lastKey)), ("keystep", .integer(step)), ("limit", .integer(limit))])
                ),
            ])
        case .keynum(let index, let first, let step):
            find = .map([
                ("type", "keynum"),
                (
                    "spec",
                    .map([("keynumidx", .integer(index)), ("firstkey", .integer(first)), ("keystep", .integer(step))])
                ),
            ])
        case .unknown:
            find = .map([("type", "unknown"), ("spec", .map([]))])
        }
        return .map([
            (.bulk("flags"), .set(spec.flags.map { RESPValue.simple($0) })),
            (.bulk("begin_search"), begin),
            (.bulk("find_keys"), find),
        ])
    }

    static func docs(_ spec: CommandSpec) -> RESPValue {
        var fields: [(RESPValue, RESPValue)] = [
            ("summary", .bulk(spec.summary)),
            ("since", .bulk(spec.since)),
            ("group", .bulk(spec.group)),
        ]
        if !spec.complexity.isEmpty {
            fields.append(("complexity", .bulk(spec.complexity)))
        }
        if !spec.subcommands.isEmpty {
            fields.append(("subcommands", .map(spec.subcommands.map { (.bulk($0.name), docs($0)) })))
        }
        return .map(fields)
    }
}
