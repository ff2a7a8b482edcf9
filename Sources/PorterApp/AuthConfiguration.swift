// `auth`: the default user's password and rules, and more users, in Redis' ACL syntax.

import Access
import Yams

extension ConfigReader {
    /// ```yaml
    /// auth:
    ///   password: ${PORTER_PASSWORD}   # the default user's (omit: no password)
    ///   username: default              # the default user's name
    ///   rules: "+@all -@dangerous ~* &*"   # the default user's rules (default: AccessControl.defaultRules)
    ///   users:
    ///     - { name: app, password: "sha256:…", rules: "+@read +@write ~PHPREDIS_SESSION:*" }
    /// ```
    /// A user in `users` named as the default user defines it (then `password` and `rules` stay out).
    func readAuth(_ value: Node) throws -> AccessControl {
        var username = "default"
        var password: (String, Node)? = nil
        var rules: (String, Node)? = nil
        var users: [(AccessControl.UserDefinition, Node, String)] = []
        for (k, v) in try mapping(value, "auth", allowed: ["password", "username", "rules", "users"]) {
            switch k {
            case "password":
                let text = try string(v, "auth.password")
                if text.isEmpty { throw fail("auth.password", v, "must not be empty (omit it for no password)") }
                password = (text, v)
            case "username":
                username = try string(v, "auth.username")
            case "rules":
                rules = (try string(v, "auth.rules"), v)
            default:
                guard case .sequence(let items) = v else {
                    throw fail("auth.users", v, "expected a list of users ({ name, password, rules })")
                }
                for (index, item) in items.enumerated() {
                    let key = "auth.users[\(index)]"
                    var name: String? = nil
                    var userPassword: String? = nil
                    var userRules = ""
                    for (uk, uv) in try mapping(item, key, allowed: ["name", "password", "rules"]) {
                        switch uk {
                        case "name": name = try string(uv, "\(key).name")
                        case "password":
                            userPassword = try string(uv, "\(key).password")
                            if userPassword!.isEmpty { throw fail("\(key).password", uv, "must not be empty") }
                        default: userRules = try string(uv, "\(key).rules")
                        }
                    }
                    guard let name else { throw fail("\(key).name", item, "every user needs a name") }
                    users.append((.init(name: name, password: userPassword, rules: userRules), item, key))
                }
            }
        }
        var defaultUser = AccessControl.UserDefinition(
            name: username, password: password?.0, rules: rules?.0 ?? AccessControl.defaultRules)
        var defaultKey = "auth.rules"
        var defaultNode = rules?.1 ?? value
        if let index = users.firstIndex(where: { $0.0.name == username }) {
            if let (_, node) = password ?? rules {
                throw fail(
                    "auth", node,
                    "the default user '\(username)' is in auth.users: give its password and rules there, not in auth.password or auth.rules"
                )
            }
            (defaultUser, defaultNode, defaultKey) = users.remove(at: index)
        }
        // Each user alone first, so an error names the key it came from.
        for (user, node, key) in [(defaultUser, defaultNode, defaultKey)] + users {
            do {
                _ = try AccessControl(defaultUser: user, others: [])
            } catch let error as ACLRuleError {
                throw fail(key, node, error.message)
            }
        }
        do {
            return try AccessControl(defaultUser: defaultUser, others: users.map(\.0))
        } catch let error as ACLRuleError {
            throw fail("auth.users", value, error.message)
        }
    }
}
