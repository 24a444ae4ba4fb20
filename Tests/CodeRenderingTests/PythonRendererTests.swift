import CodeRendering
import XCTest

final class PythonRendererTests: XCTestCase {
    let renderer = PythonRenderer()

    func testShortCallStaysOnOneLine() {
        let statement = PythonStatement.assign(
            target: "name", annotation: .name("Mapped").subscriptedBy(.name("str")),
            value: .name("mapped_column").call(.positional(.name("String").call(.positional(.int(50)))), .keyword("nullable", .bool(false))))
        XCTAssertEqual(renderer.render(statement, indent: 4), "    name: Mapped[str] = mapped_column(String(50), nullable=False)")
    }

    func testLongCallHugsArgumentsOnOneIndentedLine() {
        let value = PythonExpr.name("mapped_column").call(
            .positional(.name("Integer")),
            .positional(.name("ForeignKey").call(.positional(.string("user.id")), .keyword("ondelete", .string("CASCADE")))),
            .keyword("nullable", .bool(false)))
        let text = renderer.render(.assign(target: "author_id", annotation: .name("Mapped").subscriptedBy(.name("int")), value: value), indent: 4)
        XCTAssertEqual(
            text,
            """
                author_id: Mapped[int] = mapped_column(
                    Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False
                )
            """)
    }

    func testTooLongArgumentsGoOnePerLineWithTrailingComma() {
        let value = PythonExpr.name("mapped_column").call(
            .positional(
                .name("DateTime").call(.keyword("timezone", .bool(true))).dot("with_variant").call(
                    .positional(.dotted("mysql.DATETIME").call(.keyword("fsp", .int(6)))), .positional(.string("mysql")),
                    .positional(.string("mariadb")))),
            .keyword("nullable", .bool(false)), .keyword("server_default", .name("func").dot("current_timestamp").call()))
        let text = renderer.render(
            .assign(target: "created_at", annotation: .name("Mapped").subscriptedBy(.dotted("datetime.datetime")), value: value), indent: 4)
        XCTAssertEqual(
            text,
            """
                created_at: Mapped[datetime.datetime] = mapped_column(
                    DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb"),
                    nullable=False,
                    server_default=func.current_timestamp(),
                )
            """)
    }

    func testStringsUseTheQuoteRuffPrefers() {
        // Double quotes, unless the text has more double than single quotes (checked against ruff format).
        XCTAssertEqual(PythonRenderer.flat(.string("plain \\ \n")), #""plain \\ \n""#)
        XCTAssertEqual(PythonRenderer.flat(.string("it's")), #""it's""#)
        XCTAssertEqual(PythonRenderer.flat(.string("it's \"x\"\n")), #"'it\'s "x"\n'"#)
        XCTAssertEqual(PythonRenderer.flat(.string("a\"b")), #"'a"b'"#)
    }

    func testImportsAreGroupedAndSortedLikeIsort() {
        var imports = PythonImports()
        imports.from("sqlalchemy", import: "func", "String", "JSON", "ForeignKey")
        imports.from("app.models.base", import: "Base")
        imports.from("__future__", import: "annotations")
        imports.module("datetime")
        imports.from("typing", import: "Any")
        XCTAssertEqual(
            imports.render(lineLength: 88),
            [
                "from __future__ import annotations", "",
                "import datetime", "from typing import Any", "",
                "from sqlalchemy import JSON, ForeignKey, String, func", "",
                "from app.models.base import Base",
            ])
    }

    func testAnAliasedImportIsAStatementOfItsOwnOrderedByItsFirstName() {
        // ruff's isort without combine-as-imports (its default), as `ruff check --fix` writes it.
        var imports = PythonImports()
        imports.from("app.crud", import: "post as post_crud", "deletes")
        imports.from("app.hooks", import: "category as category_hooks", "deletes", "zeta")
        XCTAssertEqual(
            imports.render(lineLength: 88),
            [
                "from app.crud import deletes", "from app.crud import post as post_crud",
                "from app.hooks import category as category_hooks", "from app.hooks import deletes, zeta",
            ])
    }

    func testFunctionSignaturesSplitAsRuffSplitsThem() {
        let long = "get_something_long_name_here_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        func render(_ parameters: [PythonParameter]) -> String {
            renderer.render(
                .function(PythonFunction(name: long, parameters: parameters, returns: .name("Response"), body: [.pass], isAsync: true)), indent: 0)
        }
        // Layouts recorded from ruff 0.17 format: a lone parameter keeps a trailing comma; several hug.
        XCTAssertEqual(
            render([PythonParameter("session_parameter_name", .name("SessionDep"))]),
            "async def \(long)(\n    session_parameter_name: SessionDep,\n) -> Response:\n    pass")
        XCTAssertEqual(
            render([PythonParameter("session", .name("SessionDep")), PythonParameter("b", .name("int"))]),
            "async def \(long)(\n    session: SessionDep, b: int\n) -> Response:\n    pass")
        // A parameter too long even on its own line: the annotation's brackets split.
        let query = PythonParameter(
            "query", .subscripted(.name("Annotated"), [.name("W" + String(repeating: "x", count: 60) + "Query"), .name("Query").call()]))
        XCTAssertEqual(
            render([PythonParameter("session", .name("SessionDep")), query]),
            "async def \(long)(\n    session: SessionDep,\n    query: Annotated[\n        W\(String(repeating: "x", count: 60))Query, Query()\n    ],\n) -> Response:\n    pass"
        )
    }

    func testAMultiLineDocstringIsIndentedWithItsFunction() {
        let f = PythonFunction(name: "f", body: [.pass], docstring: "A page.\n\nPass the cursor back.\n")
        XCTAssertEqual(renderer.render(.function(f), indent: 0), "def f():\n    \"\"\"A page.\n\n    Pass the cursor back.\n    \"\"\"\n    pass")
    }

    func testModuleLayoutHasTwoBlankLinesAroundClasses() {
        var module = PythonModule(header: "generated", docstring: "Doc.")
        module.imports.module("enum")
        module.body = [
            .class(PythonClass(name: "A", bases: [.dotted("enum.Enum")], body: [.assign(target: "x", annotation: nil, value: .string("x"))])),
            .class(PythonClass(name: "B", docstring: "B.", body: [])),
        ]
        XCTAssertEqual(
            renderer.render(module),
            """
            # generated
            \"\"\"Doc.\"\"\"

            import enum


            class A(enum.Enum):
                x = "x"


            class B:
                \"\"\"B.\"\"\"

            """)
    }

    func testDocstringEndingInAQuoteGetsASpaceAsRuffWrites() {
        // A table comment such as `Tenants; "double"` would close the docstring early (`""""`).
        let rendered = renderer.render(.class(PythonClass(name: "T", docstring: #"Tenants; 'quoted' and "double""#, body: [])), indent: 0)
        XCTAssertEqual(rendered, "class T:\n    \"\"\"Tenants; 'quoted' and \"double\" \"\"\"")
    }
}

extension PythonExpr {
    fileprivate func subscriptedBy(_ item: PythonExpr) -> PythonExpr { .subscripted(self, [item]) }
}
