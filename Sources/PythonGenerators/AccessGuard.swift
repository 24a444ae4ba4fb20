import CodeRendering
import SchemaModel

/// How one entity's router enforces its `access:` (with `auth:`): a `Rule` per operation that is
/// not public, a `grant` parameter on its routes, and the owner checks. Without `auth:` every
/// method here adds nothing, and the router is what it was.
struct AccessGuard {
    let view: EntityView
    let model: String
    /// The route functions' local for one row.
    let variable: String

    private var access: EntityAccess? { view.table.access }

    /// Whether any route of the entity needs a logged-in user.
    var isSecured: Bool { AccessOperation.allCases.contains { rule($0) != nil } }

    /// The rule of an operation, unless anyone may do it.
    func rule(_ operation: AccessOperation) -> AccessRule? {
        guard let rule = access?[operation], !rule.anyone else { return nil }
        return rule
    }

    /// The attribute of the owner relation's foreign-key column.
    private var ownerAttribute: String? {
        guard let owner = access?.owner, let column = view.table.columns.first(where: { $0.relation == owner }) else { return nil }
        return view.attribute(column)
    }

    /// Whether the operation is allowed to owners (then their rows are checked).
    func checksOwner(_ operation: AccessOperation) -> Bool { rule(operation)?.owner == true && ownerAttribute != nil }

    /// `READ = Rule(...)` lines, one per operation that is not public.
    var ruleLines: [String] {
        var lines = ["# Who may (the schema's access): 401 without a token, 403 without the right."]
        for operation in AccessOperation.allCases {
            guard let rule = rule(operation) else { continue }
            var arguments: [String] = []
            if rule.authenticated { arguments.append("authenticated=True") }
            if rule.owner, ownerAttribute != nil { arguments.append("owner=True") }
            if !rule.roles.isEmpty { arguments.append("roles=[" + rule.roles.map(PythonRenderer.quote).joined(separator: ", ") + "]") }
            lines.append("\(AuthGenerator.ruleName(operation)) = Rule(\(arguments.joined(separator: ", ")))")
        }
        return lines
    }

    /// `, grant: Annotated[Grant, Depends(READ)]`, or nothing for a public operation.
    func parameter(_ operation: AccessOperation) -> String {
        rule(operation) == nil ? "" : ", grant: Annotated[Grant, Depends(\(AuthGenerator.ruleName(operation)))]"
    }

    /// `problem_responses(...)` with 401 and 403 when the operation needs a user.
    func responses(_ statuses: [Int], _ operation: AccessOperation) -> String {
        let all = rule(operation) == nil ? statuses : (statuses + [401, 403]).sorted()
        return "problem_responses(" + all.map(String.init).joined(separator: ", ") + ")"
    }

    /// The list route's condition that keeps an owner to their own rows.
    func ownRowsOnly() -> [String] {
        guard checksOwner(.read), let owner = ownerAttribute else { return [] }
        return [
            "    if grant.owner_id is not None:  # an owner sees their own rows only",
            "        conditions.append(\(model).\(owner) == grant.owner_id)",
        ]
    }

    /// 403 unless the fetched row is the user's (when only owners may).
    func checkOwner(of variable: String) -> [String] {
        guard let owner = ownerAttribute else { return [] }
        return ["    grant.check_owner(\(variable).\(owner))"]
    }

    /// 403 unless the body gives the row to the user (when only owners may).
    func checkBodyOwner(_ operation: AccessOperation, onlyIfSent: Bool = false) -> [String] {
        guard checksOwner(operation), let owner = ownerAttribute else { return [] }
        guard onlyIfSent else { return ["    grant.check_owner(body.\(owner))"] }
        return [
            "    if \(PythonRenderer.quote(owner)) in body.model_fields_set:  # never given away",
            "        grant.check_owner(body.\(owner))",
        ]
    }
}
