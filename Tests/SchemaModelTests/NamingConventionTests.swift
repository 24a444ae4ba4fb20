import Foundation
import Testing

@testable import SchemaModel

@Suite("NamingConvention")
struct NamingConventionTests {
    let standard = NamingConvention.standard

    @Test("the standard convention names every kind of constraint")
    func standardNames() {
        #expect(
            standard.indexName(table: "post", columns: ["author_id", "created_at"]) == "ix_post_author_id_created_at")
        #expect(standard.uniqueName(table: "user", columns: ["email"]) == "uq_user_email")
        #expect(standard.uniqueName(table: "order", columns: ["user_id", "number"]) == "uq_order_user_id_number")
        #expect(standard.checkName(table: "product", constraint: "price_range") == "ck_product_price_range")
        #expect(
            standard.foreignKeyName(table: "order_line", columns: ["order_id"], referredTable: "order")
                == "fk_order_line_order_id_order")
        #expect(
            standard.foreignKeyName(
                table: "shipment", columns: ["line_order_id", "line_line_no"], referredTable: "order_line")
                == "fk_shipment_line_order_id_line_line_no_order_line")
        #expect(standard.primaryKeyName(table: "post_tags") == "pk_post_tags")
    }

    @Test("the SQLAlchemy entries are sorted by key and use SQLAlchemy's tokens")
    func sqlalchemyEntries() {
        let entries = standard.sqlalchemyEntries
        #expect(entries.map(\.key) == ["ck", "fk", "ix", "pk", "uq"])
        #expect(
            entries.map(\.pattern) == [
                standard.check, standard.foreignKey, standard.index, standard.primaryKey, standard.unique,
            ])
        #expect(standard.foreignKey == "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s")
        #expect(standard.check == "ck_%(table_name)s_%(constraint_name)s")
    }

    @Test("column_0_name uses only the first column")
    func firstColumnToken() {
        let custom = NamingConvention(
            index: "idx_%(column_0_name)s", unique: "%(table_name)s_%(column_0_name)s_key",
            check: "%(constraint_name)s",
            foreignKey: "%(table_name)s_%(column_0_name)s_fkey", primaryKey: "%(table_name)s_pkey")
        #expect(custom.indexName(table: "t", columns: ["a", "b"]) == "idx_a")
        #expect(custom.uniqueName(table: "t", columns: ["a", "b"]) == "t_a_key")
        #expect(custom.checkName(table: "t", constraint: "positive") == "positive")
        #expect(custom.foreignKeyName(table: "t", columns: ["a"], referredTable: "u") == "t_a_fkey")
        #expect(custom.primaryKeyName(table: "t") == "t_pkey")
    }

    @Test("Codable round trip")
    func codable() throws {
        let data = try JSONEncoder().encode(standard)
        #expect(try JSONDecoder().decode(NamingConvention.self, from: data) == standard)
    }
}
