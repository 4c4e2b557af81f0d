package dev.tally.billing;

import dev.tally.Fixtures;
import dev.tally.Fixtures.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.tally.Fixtures.EC2;
import static dev.tally.Fixtures.S3;
import static dev.tally.Fixtures.millis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class BillReaderTest {
    @TempDir
    Path dir;

    private static final List<Row> ROWS = List.of(
            Row.of(EC2, "i-0abc", "", "02-01T00:00", "02-01T01:00", "0.0960000000"),
            Row.of(S3, "my-bucket", "web", "02-01T00:00", "02-02T00:00", "1.25"),
            Row.of(EC2, "", "", "02-01T00:00", "03-01T00:00", "-3.5"));

    /** Collects what the reader hands over. */
    static final class Collected implements BillListener {
        final List<CostLine> lines = new ArrayList<>();
        YearMonth period;

        @Override
        public void onBillingPeriod(YearMonth p) {
            period = p;
        }

        @Override
        public void onCostLine(CostLine line) {
            lines.add(line);
        }
    }

    private BillReadReport read(Path file, Collected into) {
        return new BillReader("product_area").read(file, into);
    }

    enum Format {
        DBR("dbr"), CUR("cur"), CUR2("cur2"), FOCUS("focus");

        final String id;

        Format(String id) {
            this.id = id;
        }

        String write(List<Row> rows) {
            return switch (this) {
                case DBR -> Fixtures.dbr(rows, null);
                case CUR -> Fixtures.cur(rows);
                case CUR2 -> Fixtures.cur2(rows);
                case FOCUS -> Fixtures.focus(rows);
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void shouldReadCostLines_inEveryFormat(Format format) {
        Path bill = Fixtures.write(dir, "bill.csv", format.write(ROWS));
        Collected got = new Collected();

        BillReadReport report = read(bill, got);

        assertThat(report.format().id()).isEqualTo(format.id);
        assertThat(report.lineItems()).isEqualTo(3);
        assertThat(got.period).isEqualTo(YearMonth.of(2017, 2));
        assertThat(got.lines)
                .extracting(CostLine::product, CostLine::resourceId, CostLine::tag, CostLine::usageStart,
                        CostLine::usageEnd, c -> c.cost().toPlainString(), CostLine::lineNumber)
                .containsExactly(
                        tuple(EC2, "i-0abc", "", millis("02-01T00:00"), millis("02-01T01:00"), "0.0960000000", 2L),
                        tuple(S3, "my-bucket", "web", millis("02-01T00:00"), millis("02-02T00:00"), "1.2500000000", 3L),
                        tuple(EC2, "", "", millis("02-01T00:00"), millis("03-01T00:00"), "-3.5000000000", 4L));
    }

    @Test
    void shouldReadGzipAndZip_recognisedByContentNotName() throws IOException {
        byte[] csv = Fixtures.cur(ROWS).getBytes(StandardCharsets.UTF_8);
        Path gz = dir.resolve("bill.data");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(csv);
        }
        Path zip = dir.resolve("bill.csv.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("reports/"));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("reports/bill.csv"));
            out.write(csv);
            out.closeEntry();
        }

        BillReadReport gzReport = read(gz, new Collected());
        BillReadReport zipReport = read(zip, new Collected());

        assertThat(gzReport.packaging()).isEqualTo(BillSource.Packaging.GZIP);
        assertThat(gzReport.lineItems()).isEqualTo(3);
        assertThat(zipReport.packaging()).isEqualTo(BillSource.Packaging.ZIP);
        assertThat(zipReport.lineItems()).isEqualTo(3);
    }

    @Test
    void shouldSkipDbrTotalsAndRounding_andKeepInvoiceTotalForReconciliation() {
        String bill = Fixtures.dbr(ROWS, "-2.154") + Fixtures.dbrLine("Rounding",
                new Row("", "", "", "", "", "0.0000001", "123456789")) + "\n";
        Collected got = new Collected();

        BillReadReport report = read(Fixtures.write(dir, "dbr.csv", bill), got);

        assertThat(report.lineItems()).isEqualTo(3);
        assertThat(report.skippedRows()).isEqualTo(2);
        assertThat(report.statedInvoiceTotals()).containsOnlyKeys("123456789");
        assertThat(report.statedInvoiceTotals().get("123456789")).isEqualByComparingTo("-2.154");
    }

    @Test
    void shouldSkipRowsWithoutProductName() {
        List<Row> rows = new ArrayList<>(ROWS);
        rows.add(Row.of("", "", "", "02-01T00:00", "03-01T00:00", "12.00"));
        Collected got = new Collected();

        BillReadReport report = read(Fixtures.write(dir, "cur.csv", Fixtures.cur(rows)), got);

        assertThat(report.skippedRows()).isEqualTo(1);
        assertThat(got.lines).hasSize(3);
    }

    @Test
    void shouldCountAndLocateMalformedRows_andGoOn() {
        String good = Fixtures.cur(ROWS);
        String[] lines = good.split("\n");
        String bill = String.join("\n",
                lines[0],
                lines[1],
                "too,few,fields",
                lines[2].replace("1.25", "1.2x5"),
                lines[3].replace("2017-03-01T00:00:00Z", "next month"),
                lines[3].replace("-3.5", "0.00000000001"),
                lines[3]) + "\n";
        Collected got = new Collected();

        BillReadReport report = read(Fixtures.write(dir, "cur.csv", bill), got);

        assertThat(report.malformedRows()).isEqualTo(3);
        assertThat(report.malformed()).extracting(BillReadReport.MalformedRow::lineNumber,
                        BillReadReport.MalformedRow::reason)
                .containsExactly(
                        tuple(3L, "expected 11 fields, found 3"),
                        tuple(4L, "unparseable cost"),
                        tuple(5L, "unparseable usage end date"));
        // eleven places parse: rounded half-even to ten, counted, not malformed
        assertThat(got.lines).extracting(CostLine::lineNumber).containsExactly(2L, 6L, 7L);
        assertThat(got.lines.get(1).cost()).isEqualByComparingTo("0");
        assertThat(report.rounding()).isEqualTo(new BillReadReport.Rounding(1, new BigDecimal("-0.00000000001")));
    }

    @Test
    void shouldReportLineNumbers_acrossQuotedNewlines() {
        String bill = Fixtures.dbr(List.of(
                new Row(EC2, "i-1", "multi\nline", "02-01T00:00", "02-01T01:00", "1", "1"),
                Row.of(EC2, "i-2", "", "02-01T00:00", "02-01T01:00", "1")), null);
        Collected got = new Collected();

        read(Fixtures.write(dir, "dbr.csv", bill), got);

        assertThat(got.lines).extracting(CostLine::lineNumber).containsExactly(2L, 4L);
    }

    @Test
    void shouldTakePeriodFromBillingPeriodColumn_whenPresent() {
        String bill = Fixtures.cur(List.of(Row.of(EC2, "i-1", "", "2017-01-31T23:00:00Z", "02-01T00:00", "1")));
        Collected got = new Collected();

        read(Fixtures.write(dir, "cur.csv", bill), got);

        assertThat(got.period).isEqualTo(YearMonth.of(2017, 2));
    }

    @Test
    void shouldFindColumnsByName_inAnyOrder_andReadTagMaps() {
        String bill = "line_item_unblended_cost,resource_tags,line_item_usage_end_date,product,"
                + "line_item_resource_id,line_item_usage_start_date,bill_invoice_id\n"
                + "0.5,\"{\"\"user_product_area\"\":\"\"search\"\"}\",2017-02-01T01:00:00Z,"
                + "\"{\"\"product_name\"\":\"\"Amazon Elastic Compute Cloud\"\",\"\"region\"\":\"\"us-east-1\"\"}\","
                + "i-9,2017-02-01T00:00:00Z,\n";
        Collected got = new Collected();

        BillReadReport report = read(Fixtures.write(dir, "cur2.csv", bill), got);

        assertThat(report.format()).isEqualTo(BillFormat.CUR2);
        assertThat(got.lines).singleElement().satisfies(line -> {
            assertThat(line.product()).isEqualTo(EC2);
            assertThat(line.tag()).isEqualTo("search");
            assertThat(line.invoiceId()).isEmpty();
        });
    }

    @Test
    void shouldUseConfiguredTagKey() {
        String bill = Fixtures.dbr(List.of(Row.of(EC2, "i-1", "web", "02-01T00:00", "02-01T01:00", "1")), null)
                .replace("user:product_area", "user:team");
        Collected got = new Collected();

        new BillReader("team").read(Fixtures.write(dir, "dbr.csv", bill), got);

        assertThat(got.lines).extracting(CostLine::tag).containsExactly("web");
    }

    @Test
    void shouldFail_whenFileIsNotABill() {
        Path notABill = Fixtures.write(dir, "notes.csv", "name,value\na,1\n");

        assertThatThrownBy(() -> read(notABill, new Collected()))
                .isInstanceOf(BillFileException.class)
                .hasMessageContaining("notes.csv")
                .hasMessageContaining("not a recognised bill");
    }

    @Test
    void shouldFail_whenFormatLacksARequiredColumn() {
        Path dbr = Fixtures.write(dir, "dbr.csv", "RecordType,UnBlendedCost,UsageStartDate\nLineItem,1,2017-02-01\n");
        Path focus = Fixtures.write(dir, "focus.csv", "BilledCost,ChargeCategory,ChargePeriodStart\n1,Usage,2017-02-01\n");

        assertThatThrownBy(() -> read(dbr, new Collected()))
                .isInstanceOf(BillFileException.class)
                .hasMessageContaining("lacks the column ProductName");
        assertThatThrownBy(() -> read(focus, new Collected()))
                .isInstanceOf(BillFileException.class)
                .hasMessageContaining("lacks the column ServiceName");
    }

    @Test
    void shouldFail_whenNoColumnNamesThePeriod_andNoneIsGiven() {
        Path bill = Fixtures.write(dir, "dbr.csv", "RecordType,UnBlendedCost,ProductName\nLineItem,1,EC2\n");

        assertThatThrownBy(() -> read(bill, new Collected()))
                .isInstanceOf(BillFileException.class)
                .hasMessageContaining("dbr.csv")
                .hasMessageContaining("give the period with --period");
    }

    @Test
    void shouldFail_whenFileIsEmptyMissingOrADirectory() {
        Path empty = Fixtures.write(dir, "empty.csv", "");

        assertThatThrownBy(() -> read(empty, new Collected())).hasMessageContaining("empty");
        assertThatThrownBy(() -> read(dir.resolve("missing.csv"), new Collected()))
                .isInstanceOf(BillFileException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> read(dir, new Collected()))
                .isInstanceOf(BillFileException.class).hasMessageContaining("directory");
    }

    @Test
    void shouldFail_whenGzipIsTruncated() throws IOException {
        StringBuilder big = new StringBuilder(Fixtures.cur(ROWS));
        for (int i = 0; i < 2000; i++) {
            big.append(Fixtures.cur(ROWS).split("\n")[1]).append('\n');
        }
        Path full = dir.resolve("full.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(full))) {
            out.write(big.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = Files.readAllBytes(full);
        Path truncated = dir.resolve("truncated.csv.gz");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> read(truncated, new Collected()))
                .isInstanceOf(BillFileException.class)
                .hasMessageContaining("truncated.csv.gz")
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldFail_whenZipHoldsNoFile() throws IOException {
        Path zip = dir.resolve("empty.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("folder/"));
            out.closeEntry();
        }

        assertThatThrownBy(() -> read(zip, new Collected()))
                .isInstanceOf(BillFileException.class)
                .hasMessageContaining("holds no file");
    }
}
