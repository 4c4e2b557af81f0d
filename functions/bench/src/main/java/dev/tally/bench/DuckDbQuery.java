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
 * <p>DuckDB reads plain and gzip CSV and Parquet ({@code read_parquet}); it cannot read a zip archive. A Parquet
 * bill's {@code DOUBLE} cost is cast through its text ({@code CAST(CAST(cost AS VARCHAR) AS DECIMAL(38,10))}:
 * DuckDB writes a double's shortest decimal) — the conversion Tally makes (docs/parquet.md) — so its total is
 * the manifest's to the last digit; its tag map is read with {@code map_extract}, or as JSON when the file holds
 * the tags as a JSON string.
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

    /** The columns of a Parquet bill: the cost a double, the tags a MAP or a JSON string ({@code mapTags}). */
    static Columns parquetColumns(BillFormat format, String tagKey, boolean mapTags) {
        Columns csv = columns(format, tagKey);
        String cost = "CAST(CAST(" + csv.cost() + " AS VARCHAR) AS DECIMAL(38,10))";
        String tags = format == BillFormat.FOCUS ? "Tags" : "resource_tags";
        String key = format == BillFormat.FOCUS ? "user:" + tagKey : "user_" + tagKey;
        String tag = mapTags ? "map_extract(" + ident(tags) + ", " + literal(key) + ")[1]" : csv.tagExpression();
        return new Columns(cost, tag, csv.filter());
    }

    static boolean isParquet(Path bill) {
        return bill.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    /** Whether a Parquet bill holds its tags as a MAP (else as a JSON string). */
    static boolean parquetTagsAreMap(Path bill, BillFormat format) {
        try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
                new org.apache.parquet.io.LocalInputFile(bill),
                org.apache.parquet.ParquetReadOptions.builder(new org.apache.parquet.conf.PlainParquetConfiguration())
                        .build())) {
            org.apache.parquet.schema.MessageType schema = r.getFooter().getFileMetaData().getSchema();
            String tags = format == BillFormat.FOCUS ? "Tags" : "resource_tags";
            return schema.containsField(tags) && !schema.getType(tags).isPrimitive();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(bill + ": cannot read its Parquet schema", e);
        }
    }

    /** Whether DuckDB can read this bill file as it is (not a zip). */
    public static boolean canRead(Path bill) {
        return !bill.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /**
     * The query: {@code SELECT tag, sum(cost) FROM read_csv(bill) WHERE <cost line item> GROUP BY 1}
     * ({@code read_parquet} for a {@code .parquet} bill).
     */
    public static String sql(BillFormat format, String tagKey, Path bill) {
        if (isParquet(bill)) {
            Columns c = parquetColumns(format, tagKey, parquetTagsAreMap(bill, format));
            return "SELECT " + c.tagExpression() + " AS tag, sum(" + c.cost() + ") AS cost"
                    + " FROM read_parquet(" + literal(bill.toAbsolutePath().toString()) + ")"
                    + " WHERE " + c.filter()
                    + " GROUP BY 1";
        }
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
