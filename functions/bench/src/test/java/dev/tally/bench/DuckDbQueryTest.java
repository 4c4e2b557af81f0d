package dev.tally.bench;

import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class DuckDbQueryTest {
    @TempDir
    static Path months;

    private static Connection duckdb;
    private static final Map<String, Map<String, BigDecimal>> BY_TAG = new ConcurrentHashMap<>();

    @BeforeAll
    static void open() throws Exception {
        duckdb = DuckDbQuery.connect(2);
    }

    @AfterAll
    static void close() throws Exception {
        duckdb.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"dbr, gzip", "dbr, none", "cur, gzip", "cur2, gzip", "focus, gzip", "focus, none", "cur2, parquet",
        "focus, parquet"})
    void duckdbsTotalIsTheManifestsTotalExactly(String format, String compression) throws Exception {
        MonthSpec spec = MonthSpec.builder().format(BillFormat.parse(format))
                .compression(Compression.parse(compression)).seed(3).targetRows(4000).build();
        Path dir = months.resolve(format + "-" + compression);
        Manifest manifest = MonthGenerator.generate(spec, dir);

        DuckDbQuery.Result r = DuckDbQuery.run(duckdb, DuckDbQuery.sql(spec.format(), spec.tagKey(),
                dir.resolve(manifest.billFile())));

        assertThat(r.total()).isEqualByComparingTo(manifest.totalCost());
        assertThat(r.byTag().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(manifest.totalCost());
        // Tagged rows are found in every format: more than the untagged group, and real area names.
        assertThat(r.byTag()).containsKey("");
        assertThat(r.byTag().keySet()).hasSizeGreaterThan(2)
                .allSatisfy(tag -> assertThat(tag).doesNotContain("{").doesNotContain("\""));
        // The same seed is the same month in every format and packaging: the tag groups must agree too.
        Map<String, BigDecimal> normalized = new java.util.TreeMap<>();
        r.byTag().forEach((k, v) -> normalized.put(k, v.stripTrailingZeros()));
        Map<String, BigDecimal> seen = BY_TAG.putIfAbsent("seed3", normalized);
        if (seen != null) {
            assertThat(normalized).isEqualTo(seen);
        }
    }

    @Test
    void queryPerFormatReadsThatFormatsCostAndTagColumns() {
        Path bill = Path.of("/data/bill.csv.gz");
        assertThat(DuckDbQuery.sql(BillFormat.DBR, "product_area", bill)).isEqualTo(
                "SELECT \"user:product_area\" AS tag, sum(CAST(\"UnBlendedCost\" AS DECIMAL(38,10))) AS cost"
                        + " FROM read_csv('/data/bill.csv.gz', header=true, all_varchar=true)"
                        + " WHERE \"RecordType\" = 'LineItem' AND \"ProductName\" <> '' GROUP BY 1");
        assertThat(DuckDbQuery.sql(BillFormat.CUR, "team", bill))
                .contains("\"resourceTags/user:team\" AS tag", "CAST(\"lineItem/UnblendedCost\" AS DECIMAL(38,10))",
                        "WHERE \"product/ProductName\" <> ''");
        assertThat(DuckDbQuery.sql(BillFormat.CUR2, "team", bill))
                .contains("json_extract_string(\"resource_tags\", '$.\"user_team\"') AS tag",
                        "CAST(\"line_item_unblended_cost\" AS DECIMAL(38,10))");
        assertThat(DuckDbQuery.sql(BillFormat.FOCUS, "team", bill))
                .contains("json_extract_string(\"Tags\", '$.\"user:team\"') AS tag",
                        "CAST(\"BilledCost\" AS DECIMAL(38,10))", "WHERE \"ServiceName\" <> ''");
    }

    @Test
    void namesAndPathsAreQuoted() {
        assertThat(DuckDbQuery.sql(BillFormat.DBR, "o'k", Path.of("/it's/bill.csv")))
                .contains("\"user:o'k\"", "read_csv('/it''s/bill.csv'");
        assertThat(DuckDbQuery.sql(BillFormat.FOCUS, "o'k", Path.of("/b.csv"))).contains("'$.\"user:o''k\"'");
        assertThat(DuckDbQuery.ident("a\"b")).isEqualTo("\"a\"\"b\"");
    }

    @Test
    void aZipBillCannotBeReadByDuckdb() {
        assertThat(DuckDbQuery.canRead(Path.of("bill-2017-02.csv.zip"))).isFalse();
        assertThat(DuckDbQuery.canRead(Path.of("bill-2017-02.csv.gz"))).isTrue();
        assertThat(DuckDbQuery.canRead(Path.of("bill-2017-02.csv"))).isTrue();
    }
}
