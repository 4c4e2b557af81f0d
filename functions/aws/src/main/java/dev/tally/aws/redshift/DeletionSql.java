package dev.tally.aws.redshift;

import dev.tally.privacy.warehouse.WarehouseDeletionPlan.Match;

import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SQL of privacy deletions, beside {@link WarehouseSql} and in its dialects: finding the tables that have a
 * column, and {@code DELETE … WHERE <column> IN (…)} (or {@code LOWER(<column>)} for ids compared without case).
 * JDBC binds the ids ({@code ?}); a Data API batch cannot, so there the ids are literals made by
 * {@link SqlLiterals#string}. Names are quoted identifiers, so a discovered table with an unusual name is deleted
 * from all the same; schemas and columns come from the validated configuration. Statements with literals hold
 * subject ids: never log them, name them by {@link SqlLiterals#label} at most.
 */
final class DeletionSql {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,126}");

    private DeletionSql() {
    }

    /** The base tables in the schemas with the column, as rows (schema, table), sorted; {@code ?}: column, schemas. */
    static String discovery(int schemas) {
        return discoveryWith("?", String.join(", ", Collections.nCopies(schemas, "?")));
    }

    /** {@link #discovery(int)} with its values as literals (validated names: no escaping needed, none done). */
    static String discovery(List<String> schemas, String column) {
        return discoveryWith(literal(column), schemas.stream().map(DeletionSql::literal)
                .collect(Collectors.joining(", ")));
    }

    /** A {@code DELETE} of the rows whose column is one of {@code ids} values, bound as {@code ?}. */
    static String delete(String table, String column, Match match, int ids) {
        if (ids < 1) {
            throw new IllegalArgumentException("a DELETE needs at least one id");
        }
        return deleteWhere(table, column, match, String.join(", ", Collections.nCopies(ids, "?")));
    }

    /** The same {@code DELETE} with the ids as literals of the dialect. */
    static String delete(String table, String column, Match match, List<String> ids, WarehouseSql.Dialect dialect) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a DELETE needs at least one id");
        }
        return deleteWhere(table, column, match, ids.stream().map(id -> SqlLiterals.string(dialect, id))
                .collect(Collectors.joining(", ")));
    }

    /** {@code "schema"."table"} (or {@code "table"}) for a table named {@code schema.table} or {@code table}. */
    static String table(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? quoted(table) : quoted(table.substring(0, dot)) + "." + quoted(table.substring(dot + 1));
    }

    private static String deleteWhere(String table, String column, Match match, String values) {
        String compared = match == Match.LOWER_CASE ? "LOWER(" + quoted(name(column)) + ")" : quoted(name(column));
        return "DELETE FROM " + table(table) + " WHERE " + compared + " IN (" + values + ")";
    }

    private static String discoveryWith(String column, String schemas) {
        return "SELECT c.table_schema, c.table_name FROM information_schema.columns c"
                + " JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
                + " WHERE t.table_type = 'BASE TABLE' AND c.column_name = " + column
                + " AND c.table_schema IN (" + schemas + ") ORDER BY c.table_schema, c.table_name";
    }

    private static String literal(String name) {
        return "'" + name(name) + "'";
    }

    private static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case name: " + name);
        }
        return name;
    }

    private static String quoted(String identifier) {
        if (identifier.isEmpty() || identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not an identifier");
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
