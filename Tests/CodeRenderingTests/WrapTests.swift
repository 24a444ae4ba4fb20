import CodeRendering
import XCTest

/// `PythonRenderer.wrap` against `ruff format`: each expected layout below is what ruff 0.17.6
/// (the version integration/requirements-generated.txt pins) made of the line, inside enough
/// `if True:` blocks to reach its indentation.
final class WrapTests: XCTestCase {
    static let ruffLayouts: [(line: String, ruff: [String])] = [
        (
            #"    sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False)"#,
            [
                #"    sa.Column("#,
                #"        "created_at","#,
                #"        sa.DateTime(timezone=True),"#,
                #"        server_default=sa.text("CURRENT_TIMESTAMP"),"#,
                #"        nullable=False,"#,
                #"    )"#,
            ]
        ),
        (
            #"op.create_index(op.f("ix_order_item_customer_id_created_at"), "order_item", ["customer_id", "created_at"], unique=False)"#,
            [
                #"op.create_index("#,
                #"    op.f("ix_order_item_customer_id_created_at"),"#,
                #"    "order_item","#,
                #"    ["customer_id", "created_at"],"#,
                #"    unique=False,"#,
                #")"#,
            ]
        ),
        (
            #"    description: str = "a long description that does not fit on the line at all, not even close to it, really""#,
            [
                #"    description: str = "a long description that does not fit on the line at all, not even close to it, really""#
            ]
        ),
        (
            #"            very_long_target_name_for_the_test = some_function_with_a_long_name(argument_one, argument_two)"#,
            [
                #"            very_long_target_name_for_the_test = some_function_with_a_long_name("#,
                #"                argument_one, argument_two"#,
                #"            )"#,
            ]
        ),
        (
            #"x = ["é", "名前", "😀", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q"]"#,
            [
                #"x = ["#,
                #"    "é","#,
                #"    "名前","#,
                #"    "😀","#,
                #"    "a","#,
                #"    "b","#,
                #"    "c","#,
                #"    "d","#,
                #"    "e","#,
                #"    "f","#,
                #"    "g","#,
                #"    "h","#,
                #"    "i","#,
                #"    "j","#,
                #"    "k","#,
                #"    "l","#,
                #"    "m","#,
                #"    "n","#,
                #"    "o","#,
                #"    "p","#,
                #"    "q","#,
                #"]"#,
            ]
        ),
        (
            #"    child_url = f"/api/v1/order-details-of-the-customers/{created['order_id']}/{created['product']}""#,
            [
                #"    child_url = f"/api/v1/order-details-of-the-customers/{created['order_id']}/{created['product']}""#
            ]
        ),
        (
            #"    child_url = f"/api/v1/order-details-of-the-customer/{created}/{created}/{created}/{created}/abcdef""#,
            [
                #"    child_url = f"/api/v1/order-details-of-the-customer/{created}/{created}/{created}/{created}/abcdef""#
            ]
        ),
        (
            #"    exists = select(storage_location_with_a_deliberately_long_descriptive_n_5311).filter_by(**link)"#,
            [
                #"    exists = select("#,
                #"        storage_location_with_a_deliberately_long_descriptive_n_5311"#,
                #"    ).filter_by(**link)"#,
            ]
        ),
        (
            #"    await session.execute(insert(storage_location_with_a_deliberately_long_descriptive_n_5311).values(link))"#,
            [
                #"    await session.execute("#,
                #"        insert(storage_location_with_a_deliberately_long_descriptive_n_5311).values("#,
                #"            link"#,
                #"        )"#,
                #"    )"#,
            ]
        ),
        (
            #"                insert(storage_location_with_a_deliberately_long_descriptive_n_5311).values(link)"#,
            [
                #"                insert("#,
                #"                    storage_location_with_a_deliberately_long_descriptive_n_5311"#,
                #"                ).values(link)"#,
            ]
        ),
        (
            #"    x = some.attribute.chain.storage_location_with_a_deliberately_long_descriptive_n_5311(link)"#,
            [
                #"    x = some.attribute.chain.storage_location_with_a_deliberately_long_descriptive_n_5311("#,
                #"        link"#,
                #"    )"#,
            ]
        ),
        (
            #"    await factories.create_warehouse_inventory_adjustment_request_line_item_archive_entry(client)"#,
            [
                #"    await ("#,
                #"        factories.create_warehouse_inventory_adjustment_request_line_item_archive_entry("#,
                #"            client"#,
                #"        )"#,
                #"    )"#,
            ]
        ),
        (
            #"        await factories.create_warehouse_inventory_adjustment_request_line_item_archive_entry(client)"#,
            [
                #"        await factories.create_warehouse_inventory_adjustment_request_line_item_archive_entry("#,
                #"            client"#,
                #"        )"#,
            ]
        ),
        (
            #"    return factories.create_warehouse_inventory_adjustment_request_line_item_archive_entr(client)"#,
            [
                #"    return ("#,
                #"        factories.create_warehouse_inventory_adjustment_request_line_item_archive_entr("#,
                #"            client"#,
                #"        )"#,
                #"    )"#,
            ]
        ),
        (
            #"    assert (await client.get(url)).json()["neighbouring_locations_reachable_without_a_forklift"] == []"#,
            [
                #"    assert (await client.get(url)).json()["#,
                #"        "neighbouring_locations_reachable_without_a_forklift""#,
                #"    ] == []"#,
            ]
        ),
        (
            #"    assert patched.json()["responsible_department_identifier_code"] == "user987654@example.com""#,
            [
                #"    assert ("#,
                #"        patched.json()["responsible_department_identifier_code"]"#,
                #"        == "user987654@example.com""#,
                #"    )"#,
            ]
        ),
        (
            #"    assert patched.json()["responsible_department_identifier_code"] == created["responsible_department_identifier_code"]"#,
            [
                #"    assert ("#,
                #"        patched.json()["responsible_department_identifier_code"]"#,
                #"        == created["responsible_department_identifier_code"]"#,
                #"    )"#,
            ]
        ),
        (
            #"    if (value := created["originating_warehouse_location_for_adjustment_code"]) is not None:"#,
            [
                #"    if ("#,
                #"        value := created["originating_warehouse_location_for_adjustment_code"]"#,
                #"    ) is not None:"#,
            ]
        ),
        (
            #"    assert other["code"] in [item["code"] for item in linked_neighbouring_locations_reachable_without_a]"#,
            [
                #"    assert other["code"] in ["#,
                #"        item["code"] for item in linked_neighbouring_locations_reachable_without_a"#,
                #"    ]"#,
            ]
        ),
        (
            #"    assert response.json()["errors"][0]["loc"] == ["body", "responsible_department_identifier_code"]"#,
            [
                #"    assert response.json()["errors"][0]["loc"] == ["#,
                #"        "body","#,
                #"        "responsible_department_identifier_code","#,
                #"    ]"#,
            ]
        ),
        (
            #"        query["approval_reference_number_from_external_system"] = approval_reference_number_from_external_system"#,
            [
                #"        query["approval_reference_number_from_external_system"] = ("#,
                #"            approval_reference_number_from_external_system"#,
                #"        )"#,
            ]
        ),
        (
            #"        query["approval_reference_number_from_external"] = approval_reference_number.from_external_system"#,
            [
                #"        query["approval_reference_number_from_external"] = ("#,
                #"            approval_reference_number.from_external_system"#,
                #"        )"#,
            ]
        ),
        (
            #"    data["neighbouring_locations_reachable_without_a_forklift"] = [{"id": key} for key in data.pop("neighbouring_locations_reachable_without_a_forklift_ids")]"#,
            [
                #"    data["neighbouring_locations_reachable_without_a_forklift"] = ["#,
                #"        {"id": key}"#,
                #"        for key in data.pop("neighbouring_locations_reachable_without_a_forklift_ids")"#,
                #"    ]"#,
            ]
        ),
        (
            #"        document.neighbouring_locations_reachable_without_a_forklift_ids = [i for i in document.neighbouring_locations_reachable_without_a_forklift_ids if i != other]"#,
            [
                #"        document.neighbouring_locations_reachable_without_a_forklift_ids = ["#,
                #"            i"#,
                #"            for i in document.neighbouring_locations_reachable_without_a_forklift_ids"#,
                #"            if i != other"#,
                #"        ]"#,
            ]
        ),
        (
            #"    rows = [WarehouseInventoryAdjustmentRequestLineItemArchiveEntry.model_validate_doc(doc) async for doc in cursor]"#,
            [
                #"    rows = ["#,
                #"        WarehouseInventoryAdjustmentRequestLineItemArchiveEntry.model_validate_doc(doc)"#,
                #"        async for doc in cursor"#,
                #"    ]"#,
            ]
        ),
        (
            #"    rows = [WarehouseInventoryAdjustmentRequestLineItemArchiveEntry.model_validate_doc(doc) for doc in cursor_of_a_very_long_name_indeed_it_is if doc]"#,
            [
                #"    rows = ["#,
                #"        WarehouseInventoryAdjustmentRequestLineItemArchiveEntry.model_validate_doc(doc)"#,
                #"        for doc in cursor_of_a_very_long_name_indeed_it_is"#,
                #"        if doc"#,
                #"    ]"#,
            ]
        ),
        (
            #"    for warehouse_inventory_adjustment_request_line_item_archive_entry_child in await engine.find(WarehouseInventoryAdjustmentRequestLineItemArchiveEntry, {"originating_warehouse_location_for_adjustment_id": document.id}):"#,
            [
                #"    for ("#,
                #"        warehouse_inventory_adjustment_request_line_item_archive_entry_child"#,
                #"    ) in await engine.find("#,
                #"        WarehouseInventoryAdjustmentRequestLineItemArchiveEntry,"#,
                #"        {"originating_warehouse_location_for_adjustment_id": document.id},"#,
                #"    ):"#,
            ]
        ),
        (
            #"    for child in await engine.find(WarehouseInventoryAdjustmentRequestLineItemArchiveEntry, {"originating_id": document.id}):"#,
            [
                #"    for child in await engine.find("#,
                #"        WarehouseInventoryAdjustmentRequestLineItemArchiveEntry,"#,
                #"        {"originating_id": document.id},"#,
                #"    ):"#,
            ]
        ),
        (
            #"    document = await engine.find_one(WarehouseInventoryAdjustmentRequestLineItemArchiveEntry, WarehouseInventoryAdjustmentRequestLineItemArchiveEntry.id == object_id(warehouse_inventory_adjustment_request_line_item_archive_entry_id, "WarehouseInventoryAdjustmentRequestLineItemArchiveEntry"))"#,
            [
                #"    document = await engine.find_one("#,
                #"        WarehouseInventoryAdjustmentRequestLineItemArchiveEntry,"#,
                #"        WarehouseInventoryAdjustmentRequestLineItemArchiveEntry.id"#,
                #"        == object_id("#,
                #"            warehouse_inventory_adjustment_request_line_item_archive_entry_id,"#,
                #"            "WarehouseInventoryAdjustmentRequestLineItemArchiveEntry","#,
                #"        ),"#,
                #"    )"#,
            ]
        ),
        (
            #"    field__all___id: Annotated[str | None, Query(pattern=OBJECT_ID_PATTERN, alias="__all___id")] = None,"#,
            [
                #"    field__all___id: Annotated["#,
                #"        str | None, Query(pattern=OBJECT_ID_PATTERN, alias="__all___id")"#,
                #"    ] = None,"#,
            ]
        ),
        (
            #"    limit_of_the_page_size: Annotated[int, Query(ge=1, le=200, description="how many rows per page")] = 50,"#,
            [
                #"    limit_of_the_page_size: Annotated["#,
                #"        int, Query(ge=1, le=200, description="how many rows per page")"#,
                #"    ] = 50,"#,
            ]
        ),
    ]

    func testLinesAreSplitAsRuffSplitsThem() {
        let renderer = PythonRenderer()
        for (line, ruff) in Self.ruffLayouts { XCTAssertEqual(renderer.wrap(line), ruff, line) }
    }

    struct SeededRandom {
        var state: UInt64
        mutating func next(upTo bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let tokens = [
        "name", "mapped_column", "sa.Column", "op.create_table", "café", "名前", "x1", "_y", "42", "3.5", "😀", "e\u{301}",
        "(", ")", "[", "]", "{", "}", ", ", ", ", " = ", " = \"", "\"", "\"text\"", "\"a, (b\"", ": ", " | ", ".", "#", " ",
        " == ", " is not ", " in ", "assert ", "if ", "await ", "return ", "f\"", " and ",
        "sa.ForeignKeyConstraint([\"a\"], [\"b.id\"], name=op.f(\"fk_a_b\"))", "nullable=False", "server_default=sa.text(\"0\")",
    ]

    func randomLine(_ random: inout SeededRandom) -> String {
        var line = String(repeating: " ", count: 4 * random.next(upTo: 4))
        let target = 20 + random.next(upTo: 200)
        while line.unicodeScalars.count < target { line += Self.tokens[random.next(upTo: Self.tokens.count)] }
        switch random.next(upTo: 4) {
        case 0: line += ")"
        case 1: line += "):"
        case 2: line += "],"
        default: break
        }
        return line
    }

    /// On any line, even one that is not Python, the wrapper only adds line breaks, indentation,
    /// brackets and commas: the other characters stay, in order.
    func testWrappingKeepsEveryCharacterInOrder() {
        var random = SeededRandom(state: 11)
        var split = 0
        let added: Set<Character> = ["(", ")", ","]
        for lineLength in [40, 88] {
            let renderer = PythonRenderer(lineLength: lineLength)
            for _ in 0..<20_000 {
                let line = randomLine(&random)
                let wrapped = renderer.wrap(line)
                if wrapped.count > 1 { split += 1 }
                let before = line.filter { $0 != " " }
                var rest = Substring(wrapped.joined().filter { $0 != " " })
                for character in before {
                    while let next = rest.first, next != character, added.contains(next) { rest = rest.dropFirst() }
                    guard rest.first == character else { return XCTFail("lost \(character) of \(line): \(wrapped)") }
                    rest = rest.dropFirst()
                }
                XCTAssertTrue(rest.allSatisfy { added.contains($0) }, line)
            }
        }
        // The lines reach the splitting paths, not only the early returns.
        XCTAssertGreaterThan(split, 2_000)
    }
}
