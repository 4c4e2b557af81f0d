package dev.tally.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shapes of real bills: {@code no-resource-ids}, {@code focus-nulls}, {@code extra-decimals}, {@code stray-period-rows}. */
class RealBillShapesTest {
    private static final YearMonth FEB = YearMonth.of(2017, 2);

    @TempDir
    Path dir;

    private static MonthSpec.Builder month(BillFormat format) {
        return TestFiles.small().targetRows(3_000).format(format);
    }

    private List<List<String>> rows(Path d, Manifest m) throws IOException {
        return TestFiles.csvRows(d.resolve(m.billFile()));
    }

    // ============================================================ defaults unchanged

    /** SHA-256 of the files the generator wrote for this spec before these options existed. */
    private static final Map<BillFormat, List<String>> BEFORE = Map.of(
            BillFormat.DBR, List.of("3187ed0305f318e6868fa82555809a7f27987a2d80b0954c97bf25dea4a51bb1",
                    "ffdad2251daac5462656ca147be55f504d6a0576b0dad2151d7f9447bce69d21"),
            BillFormat.CUR, List.of("0c2da4b49d1065de05308a48def7590204e12c46ebaba6863baf64c580dc0111",
                    "addc71c1e9ddc4fc97a563d84e85aaac7ba533a55d0b1a273c41b8942251be48"),
            BillFormat.CUR2, List.of("8544bf477ce5c8e6c95f6c99e082eace797662009a95dc0e06132ba3a0ca76d1",
                    "2ac29780baddb4256d5dd9a4f324d48a80330b5aa80666005447dc59b866437a"),
            BillFormat.FOCUS, List.of("ec74e1d8d809e6c421d3ba7717e19d31b3ccc57462a60c2c06446dd64a08af2c",
                    "284950fb4d3eea9d5dd643140d384a1caeff95c64e836d1d905aa6f225392250"));
    private static final String EVENTS_BEFORE = "4cd9a3dfa4615de525675ae27bac920e01526ea000582fe148b66659dfa21cc8";
    private static final String AREAS_BEFORE = "2deeb298d0a8d73742e31320aba7d096258abffa263af602cd609aa02baadf98";

    @ParameterizedTest
    @EnumSource(BillFormat.class)
    void shouldWriteTheSameBytesAsBefore_whenNoNewOptionIsOn(BillFormat format) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("format", format.id(), "rows", "2000",
                "instances", "6", "services", "6", "clusters", "2", "volumes", "10", "seed", "42",
                "malformed-rows", "3", "messy", ""));
        options.putAll(Map.of("no-resource-ids", "false", "extra-decimals", "no", "stray-period-rows", "0"));
        Manifest m = MonthGenerator.generate(MonthSpec.fromOptions(options), dir);

        assertThat(sha256(dir.resolve(m.billFile()))).as("bill").isEqualTo(BEFORE.get(format).get(0));
        assertThat(sha256(dir.resolve(Manifest.FILE_NAME))).as("manifest").isEqualTo(BEFORE.get(format).get(1));
        assertThat(sha256(dir.resolve(m.eventsFile()))).as("events").isEqualTo(EVENTS_BEFORE);
        assertThat(sha256(dir.resolve(m.areasFile()))).as("areas").isEqualTo(AREAS_BEFORE);
        assertThat(Files.readString(dir.resolve(Manifest.FILE_NAME))).doesNotContain("rounded_amounts",
                "rounding_difference", "other_period_rows", "other_periods");
        assertThat(m.roundedAmounts()).isZero();
        assertThat(m.roundingDifference()).isZero();
        assertThat(m.otherPeriodRows()).isZero();
        assertThat(m.otherPeriods()).isEmpty();
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    // ================================================================ options

    @Test
    void shouldBuildTheNewOptions_whenGivenAsStrings() {
        MonthSpec s = MonthSpec.fromOptions(Map.of("format", "focus", "no-resource-ids", "", "focus-nulls", "yes",
                "extra-decimals", "true", "stray-period-rows", "1_000"));
        assertThat(s.noResourceIds()).isTrue();
        assertThat(s.focusNulls()).isTrue();
        assertThat(s.extraDecimals()).isTrue();
        assertThat(s.strayPeriodRows()).isEqualTo(1_000);
        assertThat(s.toBuilder().build()).isEqualTo(s);

        MonthSpec d = MonthSpec.fromOptions(Map.of());
        assertThat(d.noResourceIds()).isFalse();
        assertThat(d.focusNulls()).isFalse();
        assertThat(d.extraDecimals()).isFalse();
        assertThat(d.strayPeriodRows()).isZero();

        assertThat(MonthSpec.OPTION_NAMES).contains("no-resource-ids", "focus-nulls", "extra-decimals",
                "stray-period-rows");
        assertThat(GenerateCommand.usage()).contains("--no-resource-ids", "--focus-nulls", "--extra-decimals",
                "--stray-period-rows N");
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("stray-period-rows", "-1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("stray-period-rows", "some")))
                .hasMessageContaining("stray-period-rows");
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("extra-decimals", "maybe")))
                .hasMessageContaining("extra-decimals");
    }

    @ParameterizedTest
    @EnumSource(value = BillFormat.class, names = "FOCUS", mode = EnumSource.Mode.EXCLUDE)
    void shouldRejectFocusNulls_whenTheFormatIsNotFocus(BillFormat format) {
        assertThatThrownBy(() -> MonthSpec.builder().format(format).focusNulls(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("focus-nulls");
        assertThatThrownBy(() -> MonthSpec.fromOptions(Map.of("format", format.id(), "focus-nulls", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("focus-nulls");
    }

    // ======================================================== no-resource-ids

    @ParameterizedTest
    @EnumSource(BillFormat.class)
    void shouldDropTheResourceColumn_whenNoResourceIds(BillFormat format) throws IOException {
        MonthSpec plain = month(format).malformedRows(6).build();
        Manifest a = MonthGenerator.generate(plain, dir.resolve("a"));
        Manifest b = MonthGenerator.generate(plain.toBuilder().noResourceIds(true).build(), dir.resolve("b"));
        List<List<String>> with = rows(dir.resolve("a"), a);
        List<List<String>> without = rows(dir.resolve("b"), b);
        String resource = BillCheck.Columns.of(format).resource();

        List<String> header = without.get(0);
        assertThat(header).doesNotContain(resource).hasSize(with.get(0).size() - 1);
        assertThat(String.join(",", header)).doesNotContainIgnoringCase("resourceid")
                .doesNotContain("line_item_resource_id");
        // every line is the line with the resource column, less that column (malformed and total rows included)
        int column = with.get(0).indexOf(resource);
        assertThat(without).hasSameSizeAs(with);
        long shortLines = 0;
        for (int i = 0; i < with.size(); i++) {
            List<String> expected = new ArrayList<>(with.get(i));
            expected.remove(column);
            assertThat(without.get(i)).as("line %d", i + 1).isEqualTo(expected);
            if (without.get(i).size() != header.size()) {
                shortLines++;
            }
        }
        assertThat(shortLines).as("only the wrong-field-count malformed rows").isEqualTo(2);

        BillCheck check = BillCheck.read(dir.resolve("b").resolve(b.billFile()), format, null);
        assertThat(check.lineItems).isEqualTo(b.lineItems()).isEqualTo(a.lineItems());
        assertThat(check.total).isEqualByComparingTo(b.totalCost());
        assertThat(check.malformed).isEqualTo(6);
        assertThat(b.totalCost()).isEqualTo(a.totalCost());
        assertThat(b.rowsWritten()).isEqualTo(without.size() - 1);
    }

    // ============================================================ focus-nulls

    @Test
    void shouldWriteNullForEveryEmptyCell_whenFocusNulls() throws IOException {
        MonthSpec plain = month(BillFormat.FOCUS).malformedRows(3).estimated(true).build();
        Manifest a = MonthGenerator.generate(plain, dir.resolve("a"));
        Manifest b = MonthGenerator.generate(plain.toBuilder().focusNulls(true).build(), dir.resolve("b"));
        List<List<String>> empty = rows(dir.resolve("a"), a);
        List<List<String>> nulls = rows(dir.resolve("b"), b);
        List<String> header = nulls.get(0);
        int tags = header.indexOf("Tags");

        assertThat(header).isEqualTo(empty.get(0)).doesNotContain("NULL", "");
        assertThat(nulls).hasSameSizeAs(empty);
        long nullCells = 0;
        long nullTags = 0;
        for (int i = 1; i < nulls.size(); i++) {
            List<String> row = nulls.get(i);
            assertThat(row).as("line %d", i + 1).doesNotContain("").hasSameSizeAs(empty.get(i));
            for (int c = 0; c < row.size(); c++) {
                String before = empty.get(i).get(c);
                boolean wasEmpty = before.isEmpty() || (c == tags && before.equals("{}"));
                assertThat(row.get(c)).as("line %d %s", i + 1, header.get(c)).isEqualTo(wasEmpty ? "NULL" : before);
                if (row.get(c).equals("NULL")) {
                    nullCells++;
                    nullTags += c == tags ? 1 : 0;
                }
            }
            if (row.size() > tags) {
                assertThat(row.get(tags)).isNotEqualTo("{}");
            }
        }
        assertThat(nullCells).isGreaterThan(nulls.size());
        assertThat(nullTags).isPositive();

        // a reader taking NULL for empty gets the same month (blank product names, empty invoice ids included)
        BillCheck check = BillCheck.read(dir.resolve("b").resolve(b.billFile()), BillFormat.FOCUS, null);
        assertThat(check.lineItems).isEqualTo(b.lineItems()).isEqualTo(a.lineItems());
        assertThat(check.skipped).isEqualTo(b.skippedRows()).isPositive();
        assertThat(check.malformed).isEqualTo(3);
        assertThat(check.total).isEqualByComparingTo(b.totalCost());
        assertThat(check.invoiceIds).containsExactly("");
    }

    // ========================================================= extra-decimals

    @ParameterizedTest
    @EnumSource(BillFormat.class)
    void shouldRoundAmountsWithMoreThanTenPlaces_whenExtraDecimals(BillFormat format) throws IOException {
        // seed 1: zero-cost rows give exponent forms; seed 3: too few, so tiny Lambda rows are added
        long seed = format.ordinal() % 2 == 0 ? 1 : 3;
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(format).seed(seed).extraDecimals(true)
                .malformedRows(3).build(), dir);
        BillCheck.Columns cols = BillCheck.Columns.of(format);
        List<String> exponents = new ArrayList<>();
        List<String> tiny = new ArrayList<>();
        long[] downTieUp = new long[3];
        Map<String, BigDecimal> perInvoice = new TreeMap<>();
        BillCheck check = BillCheck.read(dir.resolve(m.billFile()), format, FEB, row -> {
            String text = row.get(cols.cost());
            BigDecimal written = new BigDecimal(text);
            if (text.contains("E")) {
                exponents.add(text);
            }
            if (row.get(cols.resource()).contains(":function:healthcheck-")) {
                tiny.add(text);
            }
            if (written.stripTrailingZeros().scale() > 10) {
                BigDecimal rest = written.subtract(written.setScale(10, RoundingMode.DOWN)).abs().movePointRight(10);
                downTieUp[Integer.signum(rest.compareTo(new BigDecimal("0.5"))) + 1]++;
            }
            perInvoice.merge(row.get(cols.invoice()), row.cost(), BigDecimal::add);
        });

        assertThat(check.roundedAmounts).isEqualTo(m.roundedAmounts());
        assertThat(m.roundedAmounts()).as("about 2%% of %d", m.lineItems())
                .isBetween(m.lineItems() / 100, m.lineItems() * 3 / 100);
        assertThat(exponents).hasSizeGreaterThanOrEqualTo(3).allMatch(e -> e.matches("-?\\d(\\.\\d+)?E-\\d+"));
        if (seed == 3) {
            assertThat(tiny).isNotEmpty().allMatch(t -> t.contains("E-8"));
        } else {
            assertThat(tiny).isEmpty();
        }
        assertThat(downTieUp).as("rounding down, exact ties, rounding up").doesNotContain(0L);
        assertThat(check.total).isEqualByComparingTo(m.totalCost());
        assertThat(check.total.toPlainString()).isEqualTo(m.totalCost().toPlainString());
        assertThat(check.roundingDifference).isEqualByComparingTo(m.roundingDifference());
        assertThat(m.roundingDifference()).isNotZero();
        assertThat(check.lineItems).isEqualTo(m.lineItems());
        assertThat(check.malformed).isEqualTo(3);
        assertThat(m.costByKind().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(m.totalCost());
        perInvoice.forEach((id, sum) -> assertThat(m.invoiceTotals().get(id))
                .isEqualByComparingTo(sum.setScale(2, RoundingMode.HALF_UP)));

        String json = Files.readString(dir.resolve(Manifest.FILE_NAME));
        assertThat(json).contains("\"rounded_amounts\" : " + m.roundedAmounts(),
                "\"rounding_difference\" : \"" + m.roundingDifference().toPlainString() + "\"");
        assertThat(m.roundingDifference().toPlainString()).doesNotContain("E");
    }

    @Test
    void shouldChangeOnlyTheChosenCostCells_whenExtraDecimals() throws IOException {
        MonthSpec plain = MonthSpec.builder().format(BillFormat.CUR).build();
        Manifest a = MonthGenerator.generate(plain, dir.resolve("a"));
        Manifest b = MonthGenerator.generate(plain.toBuilder().extraDecimals(true).build(), dir.resolve("b"));
        List<List<String>> before = rows(dir.resolve("a"), a);
        List<List<String>> after = rows(dir.resolve("b"), b);
        List<String> header = before.get(0);
        int cost = header.indexOf("lineItem/UnblendedCost");
        int type = header.indexOf("lineItem/LineItemType");
        long changed = 0;
        int i = 1;
        // up to the first of the charges computed from the month's totals (support, tax, credits)
        for (; !before.get(i).get(type).equals("Fee"); i++) {
            List<String> x = new ArrayList<>(before.get(i));
            List<String> y = new ArrayList<>(after.get(i));
            String old = x.set(cost, "");
            String now = y.set(cost, "");
            assertThat(y).as("line %d", i + 1).isEqualTo(x);
            if (!old.equals(now)) {
                changed++;
                BigDecimal written = new BigDecimal(now);
                assertThat(written.scale()).isGreaterThan(10);
                assertThat(written.setScale(10, RoundingMode.DOWN)).as(now).isEqualTo(new BigDecimal(old));
            }
        }
        assertThat(changed).isPositive().isLessThanOrEqualTo(b.roundedAmounts());
        assertThat(i).isGreaterThan(b.lineItems() > 0 ? (int) (b.lineItems() * 0.9) : 0);
    }

    // ====================================================== stray-period-rows

    @ParameterizedTest
    @EnumSource(BillFormat.class)
    void shouldLeaveRowsOfOtherPeriodsOut_whenStrayPeriodRows(BillFormat format) throws IOException {
        MonthSpec plain = month(format).malformedRows(3).build();
        Manifest a = MonthGenerator.generate(plain, dir.resolve("a"));
        Manifest m = MonthGenerator.generate(plain.toBuilder().strayPeriodRows(9).build(), dir.resolve("b"));
        Path bill = dir.resolve("b").resolve(m.billFile());
        BillCheck.Columns cols = BillCheck.Columns.of(format);
        String periodColumn = BillCheck.periodColumn(format);

        List<String> order = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<List<String>> rows = TestFiles.csvRows(bill);
        List<String> header = rows.get(0);
        for (int i = 1; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() != header.size()) {
                continue;
            }
            if (r.get(header.indexOf(cols.product())).isEmpty()) {
                continue;
            }
            YearMonth usage;
            YearMonth usageEnd;
            try {
                usage = month(BillCheck.instant(r.get(header.indexOf(cols.start()))));
                usageEnd = month(BillCheck.instant(r.get(header.indexOf(cols.end()))) - 1000);
            } catch (DateTimeParseException e) {
                continue; // a malformed row
            }
            YearMonth named = periodColumn == null ? usage
                    : month(BillCheck.instant(r.get(header.indexOf(periodColumn))));
            if (!named.equals(FEB) || !usage.equals(FEB)) {
                assertThat(usage).as("usage start inside the other period").isEqualTo(named);
                assertThat(usageEnd).as("usage end inside the other period").isEqualTo(named);
                assertThat(new BigDecimal(r.get(header.indexOf(cols.cost())))).isNotZero();
                if (format == BillFormat.DBR) {
                    assertThat(r.get(header.indexOf("RecordType"))).isEqualTo("LineItem");
                } else {
                    String endColumn = periodColumn.replace("StartDate", "EndDate").replace("start_date", "end_date")
                            .replace("BillingPeriodStart", "BillingPeriodEnd");
                    assertThat(instant(r.get(header.indexOf(periodColumn)))).isEqualTo(named.atDay(1) + "T00:00:00Z");
                    assertThat(instant(r.get(header.indexOf(endColumn))))
                            .isEqualTo(named.plusMonths(1).atDay(1) + "T00:00:00Z");
                }
                order.add(named.toString());
                lines.add(i);
            }
        }
        assertThat(order).containsExactly("2017-01", "2017-03", "2017-01", "2017-03", "2017-01", "2017-03",
                "2017-01", "2017-03", "2017-01");
        int data = rows.size() - 1;
        // spread through the file: not at its very start or end, nor in one block
        assertThat(lines.get(0)).as("first stray row").isGreaterThan(data / 50);
        assertThat(lines.get(lines.size() - 1)).as("last stray row").isLessThan(data - data / 50);
        assertThat(lines.get(lines.size() - 1) - lines.get(0)).as("spread").isGreaterThan(data * 3 / 4);

        BillCheck check = BillCheck.read(bill, format, FEB, null);
        assertThat(m.otherPeriodRows()).isEqualTo(9);
        assertThat(m.otherPeriods()).containsOnlyKeys("2017-01", "2017-03");
        assertThat(check.otherRows).isEqualTo(Map.of("2017-01", 5L, "2017-03", 4L));
        m.otherPeriods().forEach((p, o) -> {
            assertThat(o.rows()).isEqualTo(check.otherRows.get(p));
            assertThat(o.cost()).isEqualByComparingTo(check.otherCost.get(p)).isPositive();
        });
        // the month itself is the month without them
        assertThat(check.lineItems).isEqualTo(m.lineItems()).isEqualTo(a.lineItems());
        assertThat(check.total).isEqualByComparingTo(m.totalCost());
        assertThat(m.totalCost()).isEqualTo(a.totalCost());
        assertThat(m.costByKind()).isEqualTo(a.costByKind());
        assertThat(m.invoiceTotals()).isEqualTo(a.invoiceTotals());
        assertThat(m.invoiceIds()).isEqualTo(a.invoiceIds());
        assertThat(m.skippedRows()).isEqualTo(a.skippedRows());
        assertThat(m.malformedRows()).isEqualTo(3);
        assertThat(m.rowsWritten()).isEqualTo(data).isEqualTo(a.rowsWritten() + 9);
        if (format == BillFormat.FOCUS) {
            // FOCUS has no random ids: the file is the plain month's with the stray rows slotted in
            List<List<String>> without = new ArrayList<>(rows);
            for (int k = lines.size() - 1; k >= 0; k--) {
                without.remove((int) lines.get(k));
            }
            assertThat(without).isEqualTo(rows(dir.resolve("a"), a));
        }
    }

    private static YearMonth month(long ms) {
        return YearMonth.from(Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC));
    }

    private static String instant(String text) {
        return Instant.ofEpochMilli(BillCheck.instant(text)).toString();
    }

    // ============================================================ all together

    @Test
    void shouldReadTheNewManifestKeysBack_whenEverythingIsOn() throws IOException {
        MonthSpec spec = month(BillFormat.FOCUS).targetRows(10_000).noResourceIds(true).focusNulls(true)
                .extraDecimals(true).strayPeriodRows(4).malformedRows(2).build();
        Manifest m = MonthGenerator.generate(spec, dir);
        assertThat(Manifest.read(dir)).isEqualTo(m);
        assertThat(Manifest.fromJson(m.toJson()).toJson()).isEqualTo(m.toJson());
        assertThat(m.roundedAmounts()).isPositive();
        assertThat(m.otherPeriodRows()).isEqualTo(4);

        BillCheck check = BillCheck.read(dir.resolve(m.billFile()), BillFormat.FOCUS, FEB, null);
        assertThat(check.header).doesNotContain("ResourceId");
        assertThat(check.lineItems).isEqualTo(m.lineItems());
        assertThat(check.total).isEqualByComparingTo(m.totalCost());
        assertThat(check.roundedAmounts).isEqualTo(m.roundedAmounts());
        assertThat(check.roundingDifference).isEqualByComparingTo(m.roundingDifference());
        assertThat(check.otherRows).isEqualTo(Map.of("2017-01", 2L, "2017-03", 2L));
        assertThat(check.malformed).isEqualTo(2);
        m.otherPeriods().forEach((p, o) -> assertThat(o.cost()).isEqualByComparingTo(check.otherCost.get(p)));

        MonthSpec again = spec.toBuilder().build();
        Manifest n = MonthGenerator.generate(again, dir.resolve("again"));
        assertThat(n).isEqualTo(m);
        assertThat(Files.readAllBytes(dir.resolve("again").resolve(n.billFile())))
                .isEqualTo(Files.readAllBytes(dir.resolve(m.billFile())));
    }
}
