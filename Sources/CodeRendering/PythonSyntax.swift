/// A small typed tree of Python source: what generators build before any text exists.
///
/// Only the shapes Schemaforge emits are modelled; `PythonRenderer` turns them into text that
/// `ruff format` leaves unchanged and `ruff check --select I` finds sorted.
public indirect enum PythonExpr: Equatable, Sendable {
    case name(String)
    /// A string literal; rendered with double quotes.
    case string(String)
    /// A raw string literal (`r"..."`), for regular expressions.
    case rawString(String)
    case int(Int)
    /// A number spelled as given (`0.5`, `1e3`).
    case number(String)
    case bool(Bool)
    case none
    case attribute(PythonExpr, String)
    case call(PythonExpr, [PythonArgument])
    case subscripted(PythonExpr, [PythonExpr])
    case list([PythonExpr])
    case tuple([PythonExpr])
    case dict([(key: PythonExpr, value: PythonExpr)])
    /// `left op right`, e.g. `int | None`.
    case binary(PythonExpr, String, PythonExpr)
    case lambda([String], PythonExpr)
    case await(PythonExpr)
    /// Text emitted as is (must be a single-line expression).
    case raw(String)

    public static func == (lhs: PythonExpr, rhs: PythonExpr) -> Bool {
        PythonRenderer.flat(lhs) == PythonRenderer.flat(rhs)
    }

    /// `a.b.c` from a dotted path.
    public static func dotted(_ path: String) -> PythonExpr {
        // Renders exactly as the chain of attributes it stands for.
        .name(path)
    }

    public func call(_ arguments: PythonArgument...) -> PythonExpr { .call(self, arguments) }

    public func call(_ arguments: [PythonArgument]) -> PythonExpr { .call(self, arguments) }

    public func dot(_ name: String) -> PythonExpr { .attribute(self, name) }

    public subscript(_ items: PythonExpr...) -> PythonExpr { .subscripted(self, items) }
}

/// A call argument: positional, keyword, or `*args` / `**kwargs`.
public struct PythonArgument: Equatable, Sendable {
    public var label: String?
    public var value: PythonExpr

    public init(_ label: String? = nil, _ value: PythonExpr) {
        self.label = label
        self.value = value
    }

    public static func positional(_ value: PythonExpr) -> PythonArgument { PythonArgument(nil, value) }

    public static func keyword(_ label: String, _ value: PythonExpr) -> PythonArgument { PythonArgument(label, value) }
}

/// A function parameter: `name: annotation = default`, or the bare `*` marker.
public struct PythonParameter: Equatable, Sendable {
    public var name: String
    public var annotation: PythonExpr?
    public var defaultValue: PythonExpr?

    public init(_ name: String, _ annotation: PythonExpr? = nil, default defaultValue: PythonExpr? = nil) {
        self.name = name
        self.annotation = annotation
        self.defaultValue = defaultValue
    }

    /// The keyword-only marker `*`.
    public static let keywordOnly = PythonParameter("*")
}

public struct PythonFunction: Equatable, Sendable {
    public var name: String
    public var parameters: [PythonParameter]
    public var returns: PythonExpr?
    public var body: [PythonStatement]
    public var decorators: [PythonExpr]
    public var isAsync: Bool
    public var docstring: String?

    public init(
        name: String, parameters: [PythonParameter] = [], returns: PythonExpr? = nil, body: [PythonStatement],
        decorators: [PythonExpr] = [], isAsync: Bool = false, docstring: String? = nil
    ) {
        self.name = name
        self.parameters = parameters
        self.returns = returns
        self.body = body
        self.decorators = decorators
        self.isAsync = isAsync
        self.docstring = docstring
    }
}

public struct PythonClass: Equatable, Sendable {
    public var name: String
    public var bases: [PythonExpr]
    public var docstring: String?
    public var body: [PythonStatement]
    public var decorators: [PythonExpr]

    public init(name: String, bases: [PythonExpr] = [], docstring: String? = nil, body: [PythonStatement], decorators: [PythonExpr] = []) {
        self.name = name
        self.bases = bases
        self.docstring = docstring
        self.body = body
        self.decorators = decorators
    }
}

public indirect enum PythonStatement: Equatable, Sendable {
    /// `target: annotation = value` (either part optional).
    case assign(target: String, annotation: PythonExpr?, value: PythonExpr?)
    case expression(PythonExpr)
    case `return`(PythonExpr?)
    case raise(PythonExpr)
    case pass
    case comment(String)
    case function(PythonFunction)
    case `class`(PythonClass)
    case `if`(condition: PythonExpr, body: [PythonStatement], orElse: [PythonStatement])
    /// `async with` / `with` items `as` names.
    case with(items: [(PythonExpr, String?)], body: [PythonStatement], isAsync: Bool)
    case tryExcept(body: [PythonStatement], handlers: [(type: PythonExpr, name: String?, body: [PythonStatement])], orElse: [PythonStatement])
    /// A statement line emitted as is.
    case raw(String)
    /// Lines already in their final layout (wrapped by the caller, e.g. with `PythonRenderer.wrap`):
    /// appended as they are, only indented.
    case verbatim(String)

    public static func == (lhs: PythonStatement, rhs: PythonStatement) -> Bool {
        PythonRenderer(lineLength: 88).render(statements: [lhs], indent: 0) == PythonRenderer(lineLength: 88).render(statements: [rhs], indent: 0)
    }
}

/// A module: docstring, imports (collected as data), then top-level statements.
public struct PythonModule: Sendable {
    /// A `# ...` line above everything (the "generated by" marker).
    public var headerComment: String?
    public var docstring: String?
    public var imports = PythonImports()
    public var body: [PythonStatement] = []

    public init(header: String? = nil, docstring: String? = nil) {
        self.headerComment = header
        self.docstring = docstring
    }
}
