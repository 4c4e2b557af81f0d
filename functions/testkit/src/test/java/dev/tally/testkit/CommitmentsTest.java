package dev.tally.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code commitments}: reservations and savings plans with their amortization data, as AWS writes them. Off, the
 * month is what it always was ({@link GoldenMonthsTest} pins the bytes); on, the bill has every line item type of
 * the §8 table, its cells agree with each other (effective costs, used and unused parts), and the manifest's
 * amortized total is the §8 sum of the bill as read.
 */
class CommitmentsTest {
    private static final YearMonth FEB = YearMonth.of(2017, 2);
    private static final int HOURS = 672;

    @TempDir
    Path dir;

    private Manifest generate(BillFormat format, boolean commitments) throws IOException {
        return MonthGenerator.generate(TestFiles.small().format(format).commitments(commitments).build(), dir);
    }

    private static BigDecimal dec(String s) {
        return s == null || s.isEmpty() ? BigDecimal.ZERO : new BigDecimal(s);
    }

    @ParameterizedTest
    @EnumSource(BillFormat.class)
    void shouldAddNothing_whenOff(BillFormat format) throws IOException {
        Manifest m = generate(format, false);
        assertThat(m.amortized()).isNull();
        assertThat(m.upfrontFile()).isNull();
        assertThat(Files.exists(dir.resolve(Commitments.UPFRONT_FILE))).isFalse();
        assertThat(String.join(",", TestFiles.csvRows(dir.resolve(m.billFile())).get(0)))
                .doesNotContainIgnoringCase("reservation").doesNotContainIgnoringCase("savings")
                .doesNotContain("CommitmentDiscount");
        assertThat(m.toJson()).doesNotContain("amortized").doesNotContain("upfront");
    }

    @ParameterizedTest
    @EnumSource(value = BillFormat.class, names = {"CUR", "CUR2"})
    void shouldWriteEveryLineItemType_withConsistentCells(BillFormat format) throws IOException {
        Manifest m = generate(format, true);
        Cells c = Cells.of(format);
        Map<String, Long> types = new TreeMap<>();
        Map<String, BigDecimal[]> byReservation = new TreeMap<>();
        Map<String, BigDecimal> spUsed = new TreeMap<>();
        List<BillCheck.CostRow> rows = new ArrayList<>();
        BigDecimal[] amortized = {BigDecimal.ZERO};
        BillCheck check = BillCheck.read(dir.resolve(m.billFile()), format, r -> {
            rows.add(r);
            String type = r.get(c.type);
            types.merge(type, 1L, Long::sum);
            amortized[0] = amortized[0].add(c.section8(r));
            String ri = r.get(c.riArn);
            if (type.equals("DiscountedUsage")) {
                assertThat(r.cost()).isZero();
                assertThat(dec(r.get(c.riEffective))).isEqualByComparingTo(
                        dec(r.get(c.riUpfrontForUsage)).add(dec(r.get(c.riRecurringForUsage))));
                BigDecimal[] used = byReservation.computeIfAbsent(ri, k -> new BigDecimal[] {BigDecimal.ZERO,
                    BigDecimal.ZERO});
                used[0] = used[0].add(dec(r.get(c.riUpfrontForUsage)));
                used[1] = used[1].add(dec(r.get(c.riRecurringForUsage)));
            } else if (type.equals("SavingsPlanCoveredUsage")) {
                assertThat(dec(r.get(c.spEffective))).isPositive().isLessThan(r.cost());
                spUsed.merge(r.get(c.spArn), dec(r.get(c.spEffective)), BigDecimal::add);
            } else if (type.equals("Usage")) {
                assertThat(ri + r.get(c.spArn) + r.get(c.riEffective) + r.get(c.spEffective)).isEmpty();
            }
        });
        assertThat(types).containsKeys("Usage", "DiscountedUsage", "RIFee", "Fee", "SavingsPlanCoveredUsage",
                "SavingsPlanNegation", "SavingsPlanRecurringFee", "SavingsPlanUpfrontFee", "Tax", "Credit");
        assertThat(types).isEqualTo(new TreeMap<>(m.amortized().lineItemTypes()));
        assertThat(m.amortized().totalCost()).isEqualByComparingTo(amortized[0]);
        assertThat(m.amortized().lineItems()).isEqualTo(check.lineItems).isEqualTo(m.lineItems());

        // each covered row is followed by its negation, for the same resource and minus the same cost
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).get(c.type).equals("SavingsPlanCoveredUsage")) {
                BillCheck.CostRow negation = rows.get(i + 1);
                assertThat(negation.get(c.type)).isEqualTo("SavingsPlanNegation");
                assertThat(negation.cost()).isEqualByComparingTo(rows.get(i).cost().negate());
                assertThat(negation.get(c.resource)).isEqualTo(rows.get(i).get(c.resource));
                assertThat(negation.get(c.spArn)).isEqualTo(rows.get(i).get(c.spArn));
            }
        }
        // the RI fees: unused = amortized (or billed) − what the discounted usage took; one partly unused; one
        // bought this month, with its upfront payment as a Fee row
        boolean partlyUnused = false;
        List<String> purchased = new ArrayList<>();
        for (BillCheck.CostRow r : rows) {
            if (r.get(c.type).equals("Fee") && !r.get(c.riArn).isEmpty()) {
                assertThat(r.get(c.description)).matches("Sign up charge for subscription: \\d+, planId: \\d+");
                purchased.add(r.get(c.riArn));
            }
        }
        assertThat(purchased).hasSize(1);
        for (BillCheck.CostRow r : rows) {
            if (r.get(c.type).equals("RIFee")) {
                BigDecimal[] used = byReservation.getOrDefault(r.get(c.riArn),
                        new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                BigDecimal unusedUpfront = dec(r.get(c.riUnusedUpfront));
                BigDecimal unusedRecurring = dec(r.get(c.riUnusedRecurring));
                assertThat(unusedUpfront).isEqualByComparingTo(dec(r.get(c.riAmortizedPeriod)).subtract(used[0]));
                assertThat(unusedRecurring).isEqualByComparingTo(r.cost().subtract(used[1]));
                BigDecimal whole = dec(r.get(c.riAmortizedPeriod)).add(r.cost());
                BigDecimal unused = unusedUpfront.add(unusedRecurring);
                partlyUnused |= unused.signum() > 0 && unused.compareTo(whole) < 0;
                if (purchased.contains(r.get(c.riArn))) {
                    assertThat(dec(r.get(c.quantity))).isLessThan(BigDecimal.valueOf(HOURS));
                }
            }
        }
        assertThat(partlyUnused).isTrue();
        // the savings plans' used commitment is what their covered usage cost; some commitment is unused
        BigDecimal unused = BigDecimal.ZERO;
        for (BillCheck.CostRow r : rows) {
            if (r.get(c.type).equals("SavingsPlanRecurringFee")) {
                BigDecimal used = dec(r.get(c.spUsed));
                assertThat(used).isEqualByComparingTo(spUsed.getOrDefault(r.get(c.spArn), BigDecimal.ZERO));
                assertThat(dec(r.get(c.spTotal))).isGreaterThanOrEqualTo(used);
                unused = unused.add(dec(r.get(c.spTotal)).subtract(used));
            }
        }
        assertThat(unused).isPositive();
        assertThat(Manifest.read(dir)).isEqualTo(m);
    }

    @Test
    void shouldGiveFocusItsEffectiveCost_withoutNegations() throws IOException {
        Manifest m = generate(BillFormat.FOCUS, true);
        BigDecimal[] effective = {BigDecimal.ZERO};
        Map<String, Long> seen = new TreeMap<>();
        BillCheck check = BillCheck.read(dir.resolve(m.billFile()), BillFormat.FOCUS, r -> {
            BigDecimal eff = dec(r.get("EffectiveCost"));
            effective[0] = effective[0].add(eff);
            String id = r.get("CommitmentDiscountId");
            String kind = id.isEmpty() ? "none" : r.get("ChargeCategory") + "/" + r.get("ChargeFrequency") + "/"
                    + r.get("CommitmentDiscountType");
            seen.merge(kind, 1L, Long::sum);
            if (id.isEmpty()) {
                assertThat(eff).isEqualByComparingTo(r.cost());
            } else if (r.get("ChargeCategory").equals("Usage")) {
                // reserved or covered usage: billed 0 (the commitment paid), effective its share of the commitment
                assertThat(r.cost()).isZero();
                assertThat(eff).isPositive();
                assertThat(r.get("CommitmentDiscountStatus")).isEqualTo("Used");
                assertThat(r.get("PricingCategory")).isEqualTo("Committed");
            } else if (r.get("ChargeFrequency").equals("One-Time")) {
                assertThat(eff).isZero(); // an upfront purchase
                assertThat(r.cost()).isPositive();
            }
        });
        assertThat(seen).containsKeys("none", "Usage/Usage-Based/Reserved Instance", "Usage/Usage-Based/Savings Plan",
                "Purchase/Recurring/Reserved Instance", "Purchase/Recurring/Savings Plan",
                "Purchase/One-Time/Reserved Instance", "Purchase/One-Time/Savings Plan");
        assertThat(check.total).isEqualByComparingTo(m.totalCost());
        assertThat(effective[0]).isEqualByComparingTo(m.amortized().totalCost()).isNotEqualByComparingTo(check.total);
        assertThat(m.amortized().lineItemTypes()).doesNotContainKey("SavingsPlanNegation")
                .containsKeys("SavingsPlanCoveredUsage", "DiscountedUsage", "SavingsPlanUpfrontFee");
    }

    @Test
    void shouldGiveDbrSignUpChargesAndAnUpfrontLedger() throws IOException {
        Manifest m = generate(BillFormat.DBR, true);
        assertThat(m.upfrontFile()).isEqualTo("upfront.json");
        List<BigDecimal> signUps = new ArrayList<>();
        BigDecimal[] other = {BigDecimal.ZERO};
        BillCheck.read(dir.resolve(m.billFile()), BillFormat.DBR, r -> {
            if (r.get("ItemDescription").startsWith("Sign up charge for subscription")) {
                assertThat(r.get("ItemDescription")).matches("Sign up charge for subscription: \\d+, planId: \\d+");
                assertThat(r.get("ResourceId")).isEmpty();
                signUps.add(r.cost());
            } else {
                other[0] = other[0].add(r.cost());
            }
        });
        assertThat(signUps).hasSize(1);

        JsonNode ledger = TestFiles.json(dir.resolve(m.upfrontFile()));
        BigDecimal parts = BigDecimal.ZERO;
        int thisMonth = 0;
        int earlier = 0;
        int ended = 0;
        for (JsonNode e : ledger) {
            assertThat(e.get("amount").isTextual()).isTrue();
            BigDecimal amount = new BigDecimal(e.get("amount").asText());
            YearMonth first = YearMonth.parse(e.get("first_period").asText());
            int months = e.get("months").asInt();
            long index = ChronoUnit.MONTHS.between(first, FEB);
            if (index == 0) {
                thisMonth++;
                assertThat(amount).isEqualByComparingTo(signUps.get(0));
            } else if (index < months) {
                earlier++;
            } else {
                ended++;
                continue;
            }
            BigDecimal each = amount.divide(BigDecimal.valueOf(months), 10, java.math.RoundingMode.HALF_EVEN);
            parts = parts.add(index == 0 ? amount.subtract(each.multiply(BigDecimal.valueOf(months - 1))) : each);
        }
        assertThat(thisMonth).isEqualTo(1);
        assertThat(earlier).isPositive();
        assertThat(ended).isEqualTo(1);
        assertThat(m.amortized().ledgerParts()).isEqualByComparingTo(parts);
        assertThat(m.amortized().totalCost()).isEqualByComparingTo(other[0].add(parts));
        assertThat(m.amortized().lineItems()).isEqualTo(m.lineItems() - 1);
        assertThat(m.amortized().lineItemTypes()).containsKeys("DiscountedUsage", "RIFee", "Fee")
                .doesNotContainKeys("SavingsPlanCoveredUsage", "SavingsPlanNegation");
        assertThat(Manifest.read(dir)).isEqualTo(m);
    }

    @Test
    void shouldBeAFlagOfTheCommand_whoseLedgerDoesNotOutliveIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(GenerateCommand.usage()).contains("--commitments ");
        assertThat(GenerateCommand.run(List.of("--out", dir.toString(), "--format", "dbr", "--rows", "1500",
                "--commitments"), new PrintStream(out, true, StandardCharsets.UTF_8), err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("amortized: total ", "of upfront.json");
        assertThat(dir.resolve("upfront.json")).exists();

        assertThat(GenerateCommand.run(List.of("--out", dir.toString(), "--format", "dbr", "--rows", "1500",
                "--commitments=false"), new PrintStream(out, true, StandardCharsets.UTF_8), err)).isZero();
        assertThat(dir.resolve("upfront.json")).doesNotExist();
    }

    /** The CUR / CUR 2.0 column names these checks read. */
    private record Cells(String type, String resource, String description, String quantity, String riArn,
                         String riEffective, String riUpfrontForUsage, String riRecurringForUsage,
                         String riAmortizedPeriod, String riUnusedUpfront, String riUnusedRecurring, String spArn,
                         String spEffective, String spTotal, String spUsed) {
        static Cells of(BillFormat f) {
            return f == BillFormat.CUR
                    ? new Cells("lineItem/LineItemType", "lineItem/ResourceId", "lineItem/LineItemDescription",
                    "lineItem/UsageAmount", "reservation/ReservationARN", "reservation/EffectiveCost",
                    "reservation/AmortizedUpfrontCostForUsage", "reservation/RecurringFeeForUsage",
                    "reservation/AmortizedUpfrontFeeForBillingPeriod",
                    "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedRecurringFee",
                    "savingsPlan/SavingsPlanARN", "savingsPlan/SavingsPlanEffectiveCost",
                    "savingsPlan/TotalCommitmentToDate", "savingsPlan/UsedCommitment")
                    : new Cells("line_item_line_item_type", "line_item_resource_id", "line_item_line_item_description",
                    "line_item_usage_amount", "reservation_reservation_a_r_n", "reservation_effective_cost",
                    "reservation_amortized_upfront_cost_for_usage", "reservation_recurring_fee_for_usage",
                    "reservation_amortized_upfront_fee_for_billing_period",
                    "reservation_unused_amortized_upfront_fee_for_billing_period", "reservation_unused_recurring_fee",
                    "savings_plan_savings_plan_a_r_n", "savings_plan_savings_plan_effective_cost",
                    "savings_plan_total_commitment_to_date", "savings_plan_used_commitment");
        }

        /** The row's amount under §8. */
        BigDecimal section8(BillCheck.CostRow r) {
            switch (r.get(type)) {
                case "SavingsPlanCoveredUsage":
                    return dec(r.get(spEffective));
                case "SavingsPlanRecurringFee":
                    return dec(r.get(spTotal)).subtract(dec(r.get(spUsed)));
                case "SavingsPlanNegation":
                case "SavingsPlanUpfrontFee":
                    return BigDecimal.ZERO;
                case "DiscountedUsage":
                    return dec(r.get(riEffective));
                case "RIFee":
                    return dec(r.get(riUnusedUpfront)).add(dec(r.get(riUnusedRecurring)));
                case "Fee":
                    return r.get(riArn).isEmpty() ? r.cost() : BigDecimal.ZERO;
                default:
                    return r.cost();
            }
        }
    }
}
