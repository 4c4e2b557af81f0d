package dev.tally.rollup;

import dev.tally.Fixtures;
import dev.tally.allocation.Allocator;
import dev.tally.billing.BillFileException;
import dev.tally.billing.BillReadReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static dev.tally.Fixtures.EC2;
import static dev.tally.Fixtures.S3;
import static dev.tally.Fixtures.SUPPORT;
import static dev.tally.Fixtures.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Bills as real exports write them (allocation contract §1 "Real bills vary", §3 rule 5), small and
 * hand-made, each rolled up by both engines, which must agree to the last unit.
 */
class RealBillsTest {
    private static final YearMonth FEB = YearMonth.of(2017, 2);

    @TempDir
    Path dir;

    private Rollup both(String name, String bill, YearMonth period, boolean declaredFinal) {
        return both(Fixtures.write(dir, name, bill), null, period, declaredFinal);
    }

    private Rollup both(Path bill, Path events, YearMonth period, boolean declaredFinal) {
        RollupRunner.Request request = new RollupRunner.Request(bill, events, null, "product_area", period,
                declaredFinal);
        Rollup fast = new RollupRunner(RollupRunner.Engine.FAST).run(request, bytes -> { });
        Rollup reference = new RollupRunner(RollupRunner.Engine.REFERENCE).run(request, bytes -> { });
        EngineEquivalenceTest.assertSame(fast, reference);
        assertThat(fast.summary().totalCost()).isEqualByComparingTo(
                fast.productAreaCosts().stream().map(Rollup.AreaCost::cost).reduce(BigDecimal.ZERO, BigDecimal::add));
        return fast;
    }

    private static Map<String, String> areas(Rollup rollup) {
        Map<String, String> out = new java.util.TreeMap<>();
        rollup.productAreaCosts().forEach(r -> out.put(r.productArea(), r.cost().toPlainString()));
        return out;
    }

    private static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    // ---- CUR without resource ids (an opt-in of the export) -----------------------------------------

    private static final String CUR_NO_RESOURCES_HEADER = csv("identity/LineItemId", "bill/InvoiceId",
            "bill/BillingPeriodStartDate", "lineItem/LineItemType", "lineItem/UsageStartDate", "lineItem/UsageEndDate",
            "lineItem/UnblendedCost", "product/ProductName", "resourceTags/user:product_area");

    private static String curRow(String invoice, String period, String type, String start, String end, String cost,
                                 String product, String tag) {
        return csv("x", invoice, period, type, start, end, cost, product, tag);
    }

    @Test
    void shouldRollUpACurWithoutResourceIds_usageUnallocatedUnlessTagged_feesShared() {
        String bill = lines(CUR_NO_RESOURCES_HEADER,
                curRow("1", "2017-02-01T00:00:00Z", "Usage", "2017-02-01T00:00:00Z", "2017-02-01T01:00:00Z", "3.00",
                        EC2, "web"),
                curRow("1", "2017-02-01T00:00:00Z", "DiscountedUsage", "2017-02-01T00:00:00Z", "2017-02-01T01:00:00Z",
                        "1.00", EC2, ""),
                curRow("1", "2017-02-01T00:00:00Z", "SavingsPlanCoveredUsage", "2017-02-01T00:00:00Z",
                        "2017-02-01T01:00:00Z", "0.50", S3, ""),
                curRow("1", "2017-02-01T00:00:00Z", "RIFee", "2017-02-01T00:00:00Z", "2017-03-01T00:00:00Z", "4.00",
                        EC2, ""),
                curRow("1", "2017-02-01T00:00:00Z", "Tax", "2017-02-01T00:00:00Z", "2017-03-01T00:00:00Z", "0.45",
                        S3, ""));

        Rollup rollup = both("cur.csv", bill, null, false);

        // the RI fee is shared over EC2's base: web 3.00, the untagged usage 1.00; tax over S3's: unallocated 0.50
        assertThat(areas(rollup)).containsExactly(entry("(unallocated)", "2.9500000000"), entry("web", "6.0000000000"));
        assertThat(rollup.untaggedResources()).extracting(Rollup.UntaggedResource::awsProduct,
                        Rollup.UntaggedResource::resourceId, r -> r.cost().toPlainString())
                .containsExactly(tuple(EC2, "", "1.0000000000"), tuple(S3, "", "0.5000000000"));
        assertThat(rollup.rowsByRule()).containsEntry(Allocator.Rule.UNALLOCATED, 2L)
                .containsEntry(Allocator.Rule.SHARED, 2L).containsEntry(Allocator.Rule.OWN_TAG, 1L);
        assertThat(rollup.summary().isFinal()).isTrue();
    }

    @Test
    void shouldGiveRowsWithoutAUsageWindowTheWholePeriod() {
        String ci = "arn:aws:ecs:us-east-1:111122223333:container-instance/prod/a";
        Path events = Fixtures.writeLines(dir, "events.jsonl", List.of(Fixtures.containerInstance(ci, "i-1", 1),
                Fixtures.task("arn:aws:ecs:us-east-1:111122223333:task/prod/t1", "prod", "service:api", ci, "256",
                        "02-10T00:00", "02-10T01:00", "STOPPED", 2),
                Fixtures.task("arn:aws:ecs:us-east-1:111122223333:task/prod/t2", "prod", "service:web", ci, "256",
                        "02-20T00:00", "02-20T03:00", "STOPPED", 2)));
        Path bill = Fixtures.write(dir, "cur.csv", lines(
                csv("bill/BillingPeriodStartDate", "lineItem/LineItemType", "lineItem/ResourceId",
                        "lineItem/UnblendedCost", "product/ProductName"),
                csv("2017-02-01T00:00:00Z", "Usage", "i-1", "8.00", EC2),
                csv("2017-02-01T00:00:00Z", "Fee", "", "1.00", SUPPORT)));

        Rollup rollup = both(bill, events, null, false);

        // the instance's row spans February: one CPU-hour of api, three of web
        assertThat(rollup.serviceCosts()).extracting(Rollup.ServiceCost::service, r -> r.cost().toPlainString())
                .containsExactly(tuple("api", "2.2500000000"), tuple("web", "6.7500000000"));
        assertThat(rollup.summary().isFinal()).as("no invoice id column: estimated").isFalse();
    }

    @Test
    void shouldNeedAPeriod_whenTheBillNamesNone_andUseTheGivenOne() {
        String bill = lines(csv("RecordType", "ProductName", "UnBlendedCost", "user:product_area"),
                csv("LineItem", EC2, "2.00", "web"),
                csv("LineItem", EC2, "1.00", ""),
                csv("InvoiceTotal", "", "3.00", ""));
        Path file = Fixtures.write(dir, "dbr.csv", bill);

        assertThatThrownBy(() -> new RollupRunner().run(new RollupRunner.Request(file, null, null, "product_area",
                null), bytes -> { })).isInstanceOf(BillFileException.class).hasMessageContaining("--period");
        Rollup rollup = both(file, null, FEB, true);

        // DBR rows are never usage: the untagged row with no resource is shared (rule 5)
        assertThat(areas(rollup)).containsExactly(entry("web", "3.0000000000"));
        assertThat(rollup.summary().billingPeriod()).isEqualTo("2017-02");
        assertThat(rollup.summary().isFinal()).as("--final for a bill that cannot say").isTrue();
    }

    @Test
    void shouldKeepABillsOwnEstimate_evenWhenDeclaredFinal() {
        String bill = lines(CUR_NO_RESOURCES_HEADER,
                curRow("", "2017-02-01T00:00:00Z", "Usage", "2017-02-01T00:00:00Z", "2017-02-01T01:00:00Z", "1", EC2,
                        "web"));

        assertThat(both("cur.csv", bill, null, true).summary().isFinal()).isFalse();
    }

    // ---- FOCUS: NULL cells, amounts beyond ten places, several providers -------------------------------

    private static final String FOCUS_HEADER = csv("BilledCost", "BillingPeriodStart", "ChargeCategory",
            "ChargePeriodStart", "ChargePeriodEnd", "InvoiceId", "ProviderName", "ResourceId", "ServiceName", "Tags");

    @Test
    void shouldReadFocusNullsAsEmpty() {
        String bill = lines(FOCUS_HEADER,
                csv("5.00", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "NULL",
                        "AWS", "i-0abc", EC2, "{\"user:product_area\":\"web\"}"),
                csv("-2.61", "2024-09-01T00:00:00Z", "Credit", "2024-09-01T00:00:00Z", "2024-10-01T00:00:00Z", "NULL",
                        "AWS", "NULL", EC2, "NULL"),
                csv("1.00", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "NULL",
                        "AWS", "NULL", S3, "NULL"),
                csv("9.99", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "NULL",
                        "AWS", "bucket", "NULL", "NULL"));

        Rollup rollup = both("focus.csv", bill, null, false);

        // the credit is shared (over web's EC2), not an untagged resource named NULL; usage with no resource is
        // unallocated under an empty id; a NULL service name is a blank product: skipped
        assertThat(areas(rollup)).containsExactly(entry("(unallocated)", "1.0000000000"), entry("web", "2.3900000000"));
        assertThat(rollup.untaggedResources()).extracting(Rollup.UntaggedResource::resourceId).containsExactly("");
        assertThat(rollup.summary().coverage()).isEqualByComparingTo("0.7050");
        assertThat(rollup.summary().skippedRows()).isEqualTo(1);
        assertThat(rollup.summary().invoiceIds()).isEmpty();
        assertThat(rollup.summary().isFinal()).isFalse();
    }

    @Test
    void shouldRoundAmountsBeyondTenPlacesHalfEven_andReportTheDifference() {
        String bill = lines(FOCUS_HEADER,
                csv("0.123456789012", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z",
                        "1", "AWS", "a", S3, ""),
                csv("0.00000000005", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z",
                        "1", "AWS", "b", S3, ""),
                csv("0.00000000015", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z",
                        "1", "AWS", "c", S3, ""),
                csv("4.999E-11", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z",
                        "1", "AWS", "d", S3, ""),
                csv("1.2E-9", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "1",
                        "AWS", "e", S3, ""),
                csv("12,5", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "1",
                        "AWS", "f", S3, ""));

        Rollup rollup = both("focus.csv", bill, null, false);

        // 0.1234567890 + 0 (tie to even) + 0.0000000002 + 0 + 0.0000000012
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("0.1234567904");
        assertThat(rollup.summary().lineItems()).isEqualTo(5);
        assertThat(rollup.billReport().rounding()).isEqualTo(new BillReadReport.Rounding(4,
                new BigDecimal("-0.000000000012").add(new BigDecimal("-0.00000000005"))
                        .add(new BigDecimal("0.00000000005")).add(new BigDecimal("-0.00000000004999"))));
        assertThat(rollup.billReport().malformed()).extracting(BillReadReport.MalformedRow::reason)
                .containsExactly("unparseable cost");
    }

    @Test
    void shouldAllocateOtherProvidersRowsLikeAny_andTotalThemPerProvider() {
        String bill = lines(FOCUS_HEADER,
                csv("5.00", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "1",
                        "AWS", "i-1", EC2, "{\"user:product_area\":\"web\"}"),
                csv("3.00", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "1",
                        "Microsoft", "/subscriptions/x/vm1", "Virtual Machines", "{\"product_area\":\"data\"}"),
                csv("2.00", "2024-09-01T00:00:00Z", "Purchase", "2024-09-01T00:00:00Z", "2024-10-01T00:00:00Z", "1",
                        "Microsoft", "NULL", "Virtual Machines", "NULL"),
                csv("0.50", "2024-09-01T00:00:00Z", "Usage", "2024-09-01T00:00:00Z", "2024-09-01T01:00:00Z", "1",
                        "NULL", "x", "Other", ""));

        Rollup rollup = both("focus.csv", bill, null, false);

        assertThat(areas(rollup)).containsExactly(entry("(unallocated)", "0.5000000000"),
                entry("data", "5.0000000000"), entry("web", "5.0000000000"));
        assertThat(rollup.billReport().providerTotals()).containsExactly(entry("", new BigDecimal("0.5000000000")),
                entry("AWS", new BigDecimal("5.0000000000")), entry("Microsoft", new BigDecimal("5.0000000000")));
        assertThat(rollup.summary().isFinal()).isTrue();
    }

    // ---- billing period: the bill's own column, else usage start; rows of other periods left out ------------

    @Test
    void shouldLeaveOutRowsOfOtherPeriods_countingThemPerPeriod() {
        String bill = lines(CUR_NO_RESOURCES_HEADER,
                curRow("1", "2017-02-01T00:00:00Z", "Usage", "2017-01-31T23:00:00Z", "2017-02-01T00:00:00Z", "1.00",
                        EC2, "web"),
                curRow("1", "2017-03-01T00:00:00Z", "Usage", "2017-03-01T00:00:00Z", "2017-03-01T01:00:00Z", "7.00",
                        EC2, "web"),
                curRow("1", "2017-02-01T00:00:00Z", "Usage", "2017-02-02T00:00:00Z", "2017-02-02T01:00:00Z", "2.00",
                        EC2, "web"),
                curRow("1", "2017-03-01T00:00:00Z", "Usage", "2017-03-01T00:00:00Z", "2017-03-01T01:00:00Z", "0.5",
                        EC2, "bad-date-here-is-fine"),
                curRow("1", "2016-12-01T00:00:00Z", "Credit", "2016-12-01T00:00:00Z", "2017-01-01T00:00:00Z", "-4",
                        EC2, ""));

        Rollup rollup = both("cur.csv", bill, null, false);

        assertThat(rollup.summary().billingPeriod()).isEqualTo("2017-02");
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("3.00");
        assertThat(rollup.summary().lineItems()).isEqualTo(2);
        assertThat(rollup.summary().otherPeriodRows()).isEqualTo(3);
        assertThat(rollup.billReport().otherPeriods()).containsExactly(
                entry(YearMonth.of(2016, 12), new BillReadReport.OtherPeriod(1, new BigDecimal("-4.0000000000"))),
                entry(YearMonth.of(2017, 3), new BillReadReport.OtherPeriod(2, new BigDecimal("7.5000000000"))));
    }

    @Test
    void shouldTakeThePeriodMostRowsName_evenWhenTheFirstRowNamesAnother() {
        String bill = lines(CUR_NO_RESOURCES_HEADER,
                curRow("1", "2017-01-01T00:00:00Z", "Usage", "2017-01-05T00:00:00Z", "2017-01-05T01:00:00Z", "1.00",
                        EC2, "web"),
                curRow("1", "2017-02-01T00:00:00Z", "Usage", "2017-02-05T00:00:00Z", "2017-02-05T01:00:00Z", "2.00",
                        EC2, "web"),
                curRow("1", "2017-02-01T00:00:00Z", "Usage", "2017-02-06T00:00:00Z", "2017-02-06T01:00:00Z", "3.00",
                        EC2, "api"),
                curRow("1", "2017-03-01T00:00:00Z", "Usage", "2017-03-05T00:00:00Z", "2017-03-05T01:00:00Z", "4.00",
                        EC2, "web"));

        Rollup rollup = both("cur.csv", bill, null, false);

        assertThat(rollup.summary().billingPeriod()).isEqualTo("2017-02");
        assertThat(areas(rollup)).containsExactly(entry("api", "3.0000000000"), entry("web", "2.0000000000"));
        assertThat(rollup.billReport().otherPeriods()).containsOnlyKeys(YearMonth.of(2017, 1), YearMonth.of(2017, 3));
    }

    @Test
    void shouldBreakAPeriodTieForTheEarliest_andHonourAGivenPeriod() {
        String bill = lines(CUR_NO_RESOURCES_HEADER,
                curRow("1", "2017-03-01T00:00:00Z", "Usage", "2017-03-05T00:00:00Z", "2017-03-05T01:00:00Z", "4.00",
                        EC2, "web"),
                curRow("1", "2017-02-01T00:00:00Z", "Usage", "2017-02-05T00:00:00Z", "2017-02-05T01:00:00Z", "2.00",
                        EC2, "web"));

        assertThat(both("cur.csv", bill, null, false).summary().billingPeriod()).isEqualTo("2017-02");
        Rollup march = both("cur.csv", bill, YearMonth.of(2017, 3), false);
        assertThat(march.summary().billingPeriod()).isEqualTo("2017-03");
        assertThat(march.summary().totalCost()).isEqualByComparingTo("4.00");
        assertThat(march.summary().otherPeriodRows()).isEqualTo(1);
    }

    @Test
    void shouldTellAPeriodByUsageStart_whenTheFormatHasNoPeriodColumn() {
        String bill = Fixtures.dbr(List.of(
                Fixtures.Row.of(EC2, "i-1", "web", "2017-01-31T23:00:00Z", "02-01T00:00", "1.00"),
                Fixtures.Row.of(EC2, "i-1", "web", "02-01T00:00", "02-01T01:00", "2.00"),
                Fixtures.Row.of(EC2, "i-1", "web", "02-28T23:00", "2017-03-01T00:00:00Z", "3.00")), "6.00");

        Rollup rollup = both("dbr.csv", bill, null, false);

        assertThat(rollup.summary().billingPeriod()).isEqualTo("2017-02");
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("5.00");
        assertThat(rollup.billReport().otherPeriods()).containsOnlyKeys(YearMonth.of(2017, 1));
    }

    @Test
    void shouldReadACurWithCrlfLineEnds() {
        String bill = lines(CUR_NO_RESOURCES_HEADER,
                curRow("1", "2017-02-01T00:00:00Z", "Usage", "2017-02-01T00:00:00Z", "2017-02-01T01:00:00Z", "1.25",
                        EC2, "web"),
                curRow("1", "2017-02-01T00:00:00Z", "Fee", "2017-02-01T00:00:00Z", "2017-03-01T00:00:00Z", "0.75",
                        SUPPORT, "")).replace("\n", "\r\n");

        Rollup rollup = both("cur.csv", bill, null, false);

        assertThat(areas(rollup)).containsExactly(entry("web", "2.0000000000"));
        assertThat(rollup.summary().malformedRows()).isZero();
    }
}
