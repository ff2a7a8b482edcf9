// Generates Sources/Commands/CommandTable+Generated.swift from Redis' own command metadata.
//
//   redis-cli -p PORT --json COMMAND INFO > metadata/redis-7.0-command-info.json
//   redis-cli -p PORT --json COMMAND DOCS > metadata/redis-7.0-command-docs.json
//   swift run porter-gen-commands        # or: make commands
//
// The output is committed; this tool runs only when the metadata changes.

import Foundation

let root = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : FileManager.default.currentDirectoryPath
let infoPath = root + "/metadata/redis-7.0-command-info.json"
let docsPath = root + "/metadata/redis-7.0-command-docs.json"
let outputPath = root + "/Sources/Commands/CommandTable+Generated.swift"

func load(_ path: String) -> Any {
    guard let data = FileManager.default.contents(atPath: path),
        let json = try? JSONSerialization.jsonObject(with: data)
    else {
        FileHandle.standardError.write("cannot read \(path)\n".data(using: .utf8)!)
        exit(1)
    }
    return json
}

let info = load(infoPath) as! [[Any]]
let docs = load(docsPath) as! [String: Any]

func swiftString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default:
            if scalar.value < 32 || scalar.value > 126 {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

func stringList(_ value: Any?) -> String {
    let items = (value as? [Any] ?? []).map { swiftString("\($0)") }
    return "[" + items.joined(separator: ", ") + "]"
}

func flagList(_ flags: [String]) -> String {
    let names = flags.map { flag -> String in
        let parts = flag.split(separator: "_")
        return "." + parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
    }
    return "[" + names.joined(separator: ", ") + "]"
}

func keySpec(_ spec: [String: Any]) -> String {
    let flags = stringList(spec["flags"])
    let begin = spec["begin_search"] as? [String: Any] ?? [:]
    let beginSpec = begin["spec"] as? [String: Any] ?? [:]
    let beginText: String
    switch begin["type"] as? String {
    case "index": beginText = ".index(\(beginSpec["index"] as? Int ?? 0))"
    case "keyword":
        beginText =
            ".keyword(\(swiftString(beginSpec["keyword"] as? String ?? "")), startFrom: \(beginSpec["startfrom"] as? Int ?? 0))"
    default: beginText = ".unknown"
    }
    let find = spec["find_keys"] as? [String: Any] ?? [:]
    let findSpec = find["spec"] as? [String: Any] ?? [:]
    let findText: String
    switch find["type"] as? String {
    case "range":
        findText =
            ".range(lastKey: \(findSpec["lastkey"] as? Int ?? 0), step: \(findSpec["keystep"] as? Int ?? 1), limit: \(findSpec["limit"] as? Int ?? 0))"
    case "keynum":
        findText =
            ".keynum(keyNumIndex: \(findSpec["keynumidx"] as? Int ?? 0), firstKey: \(findSpec["firstkey"] as? Int ?? 1), step: \(findSpec["keystep"] as? Int ?? 1))"
    default: findText = ".unknown"
    }
    return "KeySpec(flags: \(flags), begin: \(beginText), find: \(findText))"
}

func spec(_ entry: [Any], docs: [String: Any]?, indent: String) -> String {
    let name = (entry[0] as! String)
    let arity = entry[1] as! Int
    let flags = entry[2] as? [String] ?? []
    let first = entry[3] as! Int
    let last = entry[4] as! Int
    let step = entry[5] as! Int
    let acl = (entry[6] as? [String] ?? []).map { String($0.dropFirst()) }
    let tips = entry[7] as? [Any] ?? []
    let keySpecs = (entry[8] as? [[String: Any]] ?? []).map(keySpec)
    let subcommands = entry.count > 9 ? (entry[9] as? [[Any]] ?? []) : []
    let subDocs = docs?["subcommands"] as? [String: Any]
    let subText = subcommands.map { sub -> String in
        let subName = sub[0] as! String
        return spec(sub, docs: subDocs?[subName] as? [String: Any], indent: indent + "        ")
    }
    var out = "\(indent)CommandSpec(\n"
    out += "\(indent)    name: \(swiftString(name)), arity: \(arity), flags: \(flagList(flags)),\n"
    out +=
        "\(indent)    legacyKeys: (\(first), \(last), \(step)), aclCategories: \(stringList(acl)), tips: \(stringList(tips)),\n"
    out += "\(indent)    keySpecs: [\(keySpecs.joined(separator: ", "))],\n"
    out +=
        "\(indent)    group: \(swiftString(docs?["group"] as? String ?? "")), since: \(swiftString(docs?["since"] as? String ?? "")),\n"
    out +=
        "\(indent)    summary: \(swiftString(docs?["summary"] as? String ?? "")), complexity: \(swiftString(docs?["complexity"] as? String ?? "")),\n"
    if subText.isEmpty {
        out += "\(indent)    subcommands: []\n"
    } else {
        out += "\(indent)    subcommands: [\n" + subText.joined(separator: ",\n") + "\n\(indent)    ]\n"
    }
    out += "\(indent))"
    return out
}

func collectFlags(_ entry: [Any], into flags: inout Set<String>) {
    for f in entry[2] as? [String] ?? [] { flags.insert(f) }
    for sub in (entry.count > 9 ? entry[9] as? [[Any]] ?? [] : []) { collectFlags(sub, into: &flags) }
}
var allFlags = Set<String>()
for entry in info { collectFlags(entry, into: &allFlags) }

let sorted = info.sorted { ($0[0] as! String) < ($1[0] as! String) }
var output = """
    // GENERATED FILE — do not edit.
    // Made by `swift run porter-gen-commands` (or `make commands`) from
    // metadata/redis-7.0-command-info.json and metadata/redis-7.0-command-docs.json, which are
    // `redis-cli --json COMMAND INFO` and `COMMAND DOCS` of redis-server 7.0.15.
    // \(sorted.count) commands. Flags seen: \(allFlags.sorted().joined(separator: ", ")).

    extension CommandTable {
        static let generatedSpecs: [CommandSpec] = [

    """
output += sorted.map { spec($0, docs: docs[$0[0] as! String] as? [String: Any], indent: "        ") }.joined(
    separator: ",\n")
output += "\n    ]\n}\n"
try! output.write(toFile: outputPath, atomically: true, encoding: .utf8)
print("wrote \(outputPath): \(sorted.count) commands")
