package dev.tally.bench;

import dev.tally.testkit.BillFormat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * DuckDB's plain "cost per product-area tag" query over a bill: the group-by a user would write for the
 * format, to compare Tally's full allocation with. Per format it reads the cost column, cast exactly to
 * {@code DECIMAL(38,10)}, and the product-area tag (a column, or a key in the JSON tag map), keeps the rows the
 * allocation contract counts as cost line items (DBR {@code RecordType = 'LineItem'} and, in every format, a
 * non-empty product name: allocation.md §2) so its total is the bill's total, and groups by the tag.
 *
 * <p>DuckDB reads plain and gzip CSV; it cannot read a zip archive.
 */
public final class DuckDbQuery {
    private DuckDbQuery() {
    }

    /** The columns the query reads, per format. */
    record Columns(String cost, String tagExpression, String filter) {
    }

    static Columns columns(BillFormat format, String tagKey) {
        return switch (format) {
            case DBR -> new Columns(ident("UnBlendedCost"), ident("user:" + tagKey),
                    ident("RecordType") + " = 'LineItem' AND " + ident("ProductName") + " <> ''");
            case CUR -> new Columns(ident("lineItem/UnblendedCost"), ident("resourceTags/user:" + tagKey),
                    ident("product/ProductName") + " <> ''");
            case CUR2 -> new Columns(ident("line_item_unblended_cost"),
                    "json_extract_string(" + ident("resource_tags") + ", " + literal(jsonPath("user_" + tagKey)) + ")",
                    ident("product_product_name") + " <> ''");
            case FOCUS -> new Columns(ident("BilledCost"),
                    "json_extract_string(" + ident("Tags") + ", " + literal(jsonPath("user:" + tagKey)) + ")",
                    ident("ServiceName") + " <> ''");
        };
    }

    /** Whether DuckDB can read this bill file as it is (not a zip). */
    public static boolean canRead(Path bill) {
        return !bill.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /** The query: {@code SELECT tag, sum(cost) FROM read_csv(bill) WHERE <cost line item> GROUP BY 1}. */
    public static String sql(BillFormat format, String tagKey, Path bill) {
        Columns c = columns(format, tagKey);
        return "SELECT " + c.tagExpression() + " AS tag, sum(CAST(" + c.cost() + " AS DECIMAL(38,10))) AS cost"
                + " FROM read_csv(" + literal(bill.toAbsolutePath().toString()) + ", header=true, all_varchar=true)"
                + " WHERE " + c.filter()
                + " GROUP BY 1";
    }

    /** An in-memory DuckDB with {@code threads} worker threads (0: DuckDB's default, one per core). */
    public static Connection connect(int threads) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        if (threads > 0) {
            try (Statement s = c.createStatement()) {
                s.execute("SET threads=" + threads);
            }
        }
        return c;
    }

    /** DuckDB's worker threads on this connection ({@code current_setting('threads')}). */
    public static long threads(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('threads')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * @param byTag cost per tag value ({@code ""} for rows without the tag), sorted
     * @param total the exact sum over all groups
     */
    public record Result(Map<String, BigDecimal> byTag, BigDecimal total, long queryMillis) {
    }

    /** Runs the query and reads every group; {@code queryMillis} covers both. */
    public static Result run(Connection c, String sql) throws SQLException {
        long t0 = System.nanoTime();
        Map<String, BigDecimal> byTag = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String tag = rs.getString(1);
                BigDecimal cost = rs.getBigDecimal(2);
                if (cost == null) {
                    continue;
                }
                byTag.merge(tag == null ? "" : tag, cost, BigDecimal::add);
                total = total.add(cost);
            }
        }
        return new Result(byTag, total, (System.nanoTime() - t0) / 1_000_000);
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A JSON path to one top-level key, quoted so keys with {@code :} or {@code .} work. */
    static String jsonPath(String key) {
        return "$.\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
