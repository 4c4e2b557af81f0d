package dev.tally.rollup;

import dev.tally.Fixtures;
import dev.tally.InputException;
import dev.tally.allocation.UpfrontLedger;
import dev.tally.billing.Bill;
import dev.tally.billing.BillFormat;
import dev.tally.billing.CostBasis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.tally.Fixtures.EC2;
import static dev.tally.Fixtures.S3;
import static dev.tally.Fixtures.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The amortized cost basis (allocation contract §8) on small hand-made bills with every line item type the
 * table names, rolled up by both engines. The expected figures were worked out apart from the engine (the
 * §4 spreading and §5 splits done by hand in exact decimals).
 */
class AmortizedBasisTest {
    private static final String SAVINGS_PLANS = "Savings Plans for AWS Compute usage";
    private static final String SUPPORT = "AWS Support (Business)";
    private static final String ARN = "arn:aws:ec2:us-east-1:111122223333:reserved-instances/0c7ef4e5";

    @TempDir
    Path dir;

    /** One CUR row in format-neutral terms: the amortization cells may be empty. */
    private record Line(String type, String product, String resource, String cost, String tag, String arn,
                        String riEffective, String riUnusedUpfront, String riUnusedRecurring, String spEffective,
                        String spCommitment, String spUsed) {
        static Line usage(String type, String product, String resource, String cost, String tag) {
            return new Line(type, product, resource, cost, tag, "", "", "", "", "", "", "");
        }

        Line ri(String effective, String unusedUpfront, String unusedRecurring, String arn) {
            return new Line(type, product, resource, cost, tag, arn, effective, unusedUpfront, unusedRecurring,
                    spEffective, spCommitment, spUsed);
        }

        Line sp(String effective, String commitment, String used) {
            return new Line(type, product, resource, cost, tag, arn, riEffective, riUnusedUpfront, riUnusedRecurring,
                    effective, commitment, used);
        }
    }

    /** Every line item type of the §8 table, and rows that keep their unblended cost. */
    private static final List<Line> MONTH = List.of(
            Line.usage("Usage", EC2, "i-a", "1.00", "web"),
            Line.usage("DiscountedUsage", EC2, "i-b", "0", "web").ri("0.7500000001", "", "", ARN),
            Line.usage("SavingsPlanCoveredUsage", EC2, "i-c", "2.00", "api").sp("1.2", "", ""),
            Line.usage("SavingsPlanNegation", EC2, "i-c", "-2.00", "api"),
            Line.usage("SavingsPlanRecurringFee", SAVINGS_PLANS, "", "10.00", "").sp("", "10.00", "8.80"),
            Line.usage("SavingsPlanUpfrontFee", SAVINGS_PLANS, "", "500.00", ""),
            Line.usage("RIFee", EC2, "", "30.00", "").ri("", "2.5", "1.25", ARN),
            Line.usage("Fee", EC2, "", "360.00", "").ri("", "", "", ARN),
            Line.usage("Fee", SUPPORT, "", "4.00", ""),
            Line.usage("Usage", S3, "bucket-1", "0.50", ""),
            Line.usage("DiscountedUsage", EC2, "i-d", "0", "").ri("", "", "", ARN));

    private static String cur(List<Line> lines) {
        StringBuilder out = new StringBuilder(csv("identity/LineItemId", "bill/InvoiceId",
                "bill/BillingPeriodStartDate", "lineItem/LineItemType", "lineItem/UsageStartDate",
                "lineItem/UsageEndDate", "lineItem/ResourceId", "lineItem/UnblendedCost", "product/ProductName",
                "resourceTags/user:product_area", "reservation/ReservationARN", "reservation/EffectiveCost",
                "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedRecurringFee",
                "savingsPlan/SavingsPlanEffectiveCost", "savingsPlan/TotalCommitmentToDate",
                "savingsPlan/UsedCommitment")).append('\n');
        int id = 0;
        for (Line l : lines) {
            out.append(csv("id" + id++, "123456789", "2017-02-01T00:00:00Z", l.type(), "2017-02-01T00:00:00Z",
                    "2017-02-01T01:00:00Z", l.resource(), l.cost(), l.product(), l.tag(), l.arn(), l.riEffective(),
                    l.riUnusedUpfront(), l.riUnusedRecurring(), l.spEffective(), l.spCommitment(), l.spUsed()))
                    .append('\n');
        }
        return out.toString();
    }

    private static String cur2(List<Line> lines) {
        StringBuilder out = new StringBuilder(csv("bill_invoice_id", "bill_billing_period_start_date",
                "line_item_line_item_type", "line_item_usage_start_date", "line_item_usage_end_date",
                "line_item_resource_id", "line_item_unblended_cost", "product_product_name", "resource_tags",
                "reservation_reservation_a_r_n", "reservation_effective_cost",
                "reservation_unused_amortized_upfront_fee_for_billing_period", "reservation_unused_recurring_fee",
                "savings_plan_savings_plan_effective_cost", "savings_plan_total_commitment_to_date",
                "savings_plan_used_commitment")).append('\n');
        for (Line l : lines) {
            String tags = l.tag().isEmpty() ? "{}" : "{\"user_product_area\":\"" + l.tag() + "\"}";
            out.append(csv("123456789", "2017-02-01T00:00:00.000Z", l.type(), "2017-02-01T00:00:00.000Z",
                    "2017-02-01T01:00:00.000Z", l.resource(), l.cost(), l.product(), tags, l.arn(), l.riEffective(),
                    l.riUnusedUpfront(), l.riUnusedRecurring(), l.spEffective(), l.spCommitment(), l.spUsed()))
                    .append('\n');
        }
        return out.toString();
    }

    private Rollup both(Path bill, CostBasis basis, UpfrontLedger upfront) {
        RollupRunner.Request request = new RollupRunner.Request(Bill.of(bill), null, null, "product_area", null,
                false, basis, upfront);
        Rollup fast = new RollupRunner(RollupRunner.Engine.FAST).run(request, bytes -> { });
        Rollup reference = new RollupRunner(RollupRunner.Engine.REFERENCE).run(request, bytes -> { });
        EngineEquivalenceTest.assertSame(fast, reference);
        BigDecimal sum = fast.productAreaCosts().stream().map(Rollup.AreaCost::cost)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).isEqualByComparingTo(fast.summary().totalCost());
        return fast;
    }

    private static Map<String, String> areas(Rollup rollup) {
        Map<String, String> out = new TreeMap<>();
        rollup.productAreaCosts().forEach(r -> out.put(r.productArea(), r.cost().toPlainString()));
        return out;
    }

    private static Map<String, String> products(Rollup rollup) {
        Map<String, String> out = new TreeMap<>();
        rollup.productAreaAwsProductCosts().forEach(r -> out.merge(r.awsProduct() + " / " + r.productArea(),
                r.cost().toPlainString(), (a, b) -> a + "+" + b));
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = BillFormat.class, names = {"CUR", "CUR2"})
    void shouldAllocateTheAmortizedAmountOfEveryLineItemType(BillFormat format) {
        Path bill = Fixtures.write(dir, "bill.csv", format == BillFormat.CUR ? cur(MONTH) : cur2(MONTH));

        Rollup rollup = both(bill, CostBasis.AMORTIZED, null);

        // direct: EC2 web 1 + 0.7500000001, api 1.2 + 0; S3 (unallocated) 0.5. Shared: the savings plans'
        // unused commitment 1.20 and upfront 0 over all; RIFee's unused 3.75 and the purchase Fee 0 over EC2;
        // support 4.00 over all.
        assertThat(areas(rollup)).containsExactly(entry("(unallocated)", "1.2536231884"),
                entry("api", "4.5341193809"), entry("web", "6.6122574308"));
        assertThat(products(rollup)).contains(entry(EC2 + " / api", "2.7254237288"),
                entry(EC2 + " / web", "3.9745762713"), entry(SAVINGS_PLANS + " / web", "0.6086956522"),
                entry(SAVINGS_PLANS + " / (unallocated)", "0.1739130435"), entry(SUPPORT + " / api", "1.3913043478"));
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("12.4000000001");
        assertThat(rollup.summary().lineItems()).isEqualTo(11); // rows whose amount is 0 still count
        assertThat(rollup.summary().costBasis()).isEqualTo("amortized");
        assertThat(rollup.billReport().invoicedCost()).isEqualByComparingTo("905.50");
    }

    @ParameterizedTest
    @EnumSource(value = BillFormat.class, names = {"CUR", "CUR2"})
    void shouldAllocateTheInvoiceUnderTheUnblendedBasis(BillFormat format) {
        Path bill = Fixtures.write(dir, "bill.csv", format == BillFormat.CUR ? cur(MONTH) : cur2(MONTH));

        Rollup rollup = both(bill, CostBasis.UNBLENDED, null);

        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("905.50");
        assertThat(rollup.billReport().invoicedCost()).isEqualByComparingTo("905.50");
        assertThat(rollup.summary().costBasis()).isEqualTo("unblended");
    }

    @Test
    void shouldTreatMissingAmortizationColumnsAsZero() {
        // a CUR exported before the account had reservations has no reservation/* columns
        String bill = Fixtures.cur(List.of(Fixtures.Row.of(EC2, "i-a", "web", "2017-02-01 00:00:00",
                "2017-02-01 01:00:00", "1.25")));
        Rollup rollup = both(Fixtures.write(dir, "cur.csv", bill.replace(",Usage,", ",DiscountedUsage,")),
                CostBasis.AMORTIZED, null);

        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("0");
        assertThat(rollup.billReport().invoicedCost()).isEqualByComparingTo("1.25");
    }

    @Test
    void shouldReportAnUnreadableAmortizationCellAsAMalformedRow() {
        List<Line> lines = new ArrayList<>(MONTH);
        lines.add(Line.usage("DiscountedUsage", EC2, "i-e", "0", "web").ri("a lot", "", "", ARN));
        Rollup rollup = both(Fixtures.write(dir, "bill.csv", cur(lines)), CostBasis.AMORTIZED, null);

        assertThat(rollup.summary().malformedRows()).isEqualTo(1);
        assertThat(rollup.billReport().malformed().get(0).reason()).isEqualTo("unparseable cost");
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("12.4000000001");
    }

    private static final String FOCUS = String.join("\n",
            csv("BillingPeriodStart", "ChargePeriodStart", "ChargePeriodEnd", "ServiceName", "ResourceId", "BilledCost",
                    "EffectiveCost", "ChargeCategory", "Tags", "ProviderName"),
            csv("2017-02-01T00:00:00Z", "2017-02-01T00:00:00Z", "2017-02-01T01:00:00Z", EC2, "i-a", "1.00", "0.60",
                    "Usage", "{\"user:product_area\":\"web\"}", "AWS"),
            csv("2017-02-01T00:00:00Z", "2017-02-01T00:00:00Z", "2017-03-01T00:00:00Z", EC2, "NULL", "360.00", "0",
                    "Purchase", "NULL", "AWS"),
            csv("2017-02-01T00:00:00Z", "2017-02-01T00:00:00Z", "2017-02-01T01:00:00Z", S3, "bucket-1", "0.50", "NULL",
                    "Usage", "{}", "AWS"),
            csv("2017-02-01T00:00:00Z", "2017-02-01T00:00:00Z", "2017-03-01T00:00:00Z", "Tax", "", "2.00", "2.00",
                    "Tax", "{}", "AWS")) + "\n";

    @Test
    void shouldAllocateFocusEffectiveCost() {
        Rollup rollup = both(Fixtures.write(dir, "focus.csv", FOCUS), CostBasis.AMORTIZED, null);

        // web 0.60 direct and the tax (no tax base: over all positive cost, web alone); the purchase is 0 and
        // the S3 row's NULL effective cost is 0
        assertThat(areas(rollup)).containsExactly(entry("(unallocated)", "0.0000000000"), entry("web", "2.6000000000"));
        assertThat(rollup.billReport().invoicedCost()).isEqualByComparingTo("363.50");
        assertThat(rollup.billReport().providerTotals()).containsExactly(entry("AWS", new BigDecimal("363.5000000000")));
    }

    @Test
    void shouldRefuseAFocusBillWithoutEffectiveCost() {
        Path bill = Fixtures.write(dir, "focus.csv", FOCUS.replace("EffectiveCost", "ListCost"));
        RollupRunner.Request request = new RollupRunner.Request(Bill.of(bill), null, null, "product_area", null,
                false, CostBasis.AMORTIZED, null);

        assertThatThrownBy(() -> new RollupRunner().run(request, bytes -> { }))
                .hasMessageContaining("lacks the column EffectiveCost");
    }

    // ---- DBR and the upfront ledger ---------------------------------------------------------------------

    private Path dbrWithSignUpCharge() {
        String bill = Fixtures.dbr(List.of(
                Fixtures.Row.of(EC2, "", "", "2017-02-01 00:00:00", "2017-02-01 00:00:00", "1200.00"),
                Fixtures.Row.of(EC2, "i-a", "web", "2017-02-01 00:00:00", "2017-02-01 01:00:00", "1.00"),
                Fixtures.Row.of(EC2, "i-b", "api", "2017-02-01 00:00:00", "2017-02-01 01:00:00", "3.00")), "1204.00");
        // the first line item is the reservation's upfront purchase
        return Fixtures.write(dir, "dbr.csv", bill.replaceFirst("desc, with comma",
                "Sign up charge for subscription: 1234567, planId: 2345678"));
    }

    private static final UpfrontLedger LEDGER = new UpfrontLedger(List.of(
            new UpfrontLedger.Entry(EC2, new BigDecimal("1200.00"), YearMonth.of(2016, 12), 12),
            new UpfrontLedger.Entry(EC2, new BigDecimal("100"), YearMonth.of(2017, 3), 12),
            new UpfrontLedger.Entry(SUPPORT, new BigDecimal("0.0000000007"), YearMonth.of(2017, 1), 3)));

    @Test
    void shouldSpreadDbrUpfrontFeesByTheLedger() {
        Rollup rollup = both(dbrWithSignUpCharge(), CostBasis.AMORTIZED, LEDGER);

        // the sign-up charge is skipped; the ledger adds EC2 100 (1200 / 12, month 3 of 12) over web 1 : api 3,
        // and support 2e-10 (7e-10 / 3: the first month took the remainder) over all: web 0.5e-10 rounds to 0
        assertThat(areas(rollup)).containsExactly(entry("api", "78.0000000002"), entry("web", "26.0000000000"));
        assertThat(rollup.summary().lineItems()).isEqualTo(2);
        assertThat(rollup.summary().skippedRows()).isEqualTo(2); // the sign-up charge and the invoice total
        assertThat(rollup.summary().totalCost()).isEqualByComparingTo("104.0000000002");
        assertThat(rollup.billReport().invoicedCost()).isEqualByComparingTo("4.00");
    }

    @Test
    void shouldAllocateTheSignUpChargeUnderTheUnblendedBasis() {
        Rollup rollup = both(dbrWithSignUpCharge(), CostBasis.UNBLENDED, null);

        assertThat(areas(rollup)).containsExactly(entry("api", "903.0000000000"), entry("web", "301.0000000000"));
        assertThat(rollup.summary().skippedRows()).isEqualTo(1);
    }

    @Test
    void shouldFindTheLedgerEntriesOfABill() {
        UpfrontLedger.Found found = UpfrontLedger.ofSignUpCharges(Bill.of(dbrWithSignUpCharge()), "product_area", 12);

        assertThat(found.format()).isEqualTo(BillFormat.DBR);
        assertThat(found.ledger().entries()).containsExactly(
                new UpfrontLedger.Entry(EC2, new BigDecimal("1200.00"), YearMonth.of(2017, 2), 12));
        Path file = Fixtures.write(dir, "ledger.json", found.ledger().toJson());
        assertThat(UpfrontLedger.read(file).entries()).isEqualTo(found.ledger().entries());
    }

    @Test
    void shouldRefuseTheLedgerUnderTheUnblendedBasisOrForACur() {
        assertThatThrownBy(() -> new RollupRunner.Request(Bill.of(dbrWithSignUpCharge()), null, null, "product_area",
                null, false, CostBasis.UNBLENDED, LEDGER)).isInstanceOf(InputException.class)
                .hasMessageContaining("--cost-basis amortized");
        RollupRunner.Request cur = new RollupRunner.Request(Bill.of(Fixtures.write(dir, "cur.csv", cur(MONTH))), null,
                null, "product_area", null, false, CostBasis.AMORTIZED, LEDGER);
        assertThatThrownBy(() -> new RollupRunner().run(cur, bytes -> { })).isInstanceOf(InputException.class)
                .hasMessageContaining("DBR bills");
    }

    @Test
    void shouldNameTheEntryOfABadLedger() {
        Path file = Fixtures.write(dir, "ledger.json",
                "[{\"aws_product\":\"EC2\",\"amount\":\"12\",\"first_period\":\"2016-12\",\"months\":12},"
                        + "{\"aws_product\":\"EC2\",\"amount\":\"twelve\",\"first_period\":\"2016-12\",\"months\":12}]");

        assertThatThrownBy(() -> UpfrontLedger.read(file)).isInstanceOf(InputException.class)
                .hasMessageContaining("entry 2: amount is not a decimal number");
    }
}
