package dev.tally.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class BillFormatsTest {
    private static final long HOUR = 3_600_000L;
    private static final Pattern INSTANCE = Pattern.compile("i-[0-9a-f]{17}");
    private static final Pattern VOLUME = Pattern.compile("vol-[0-9a-f]{17}");
    private static final Pattern TASK = Pattern.compile("arn:aws:ecs:us-east-1:\\d{12}:task/[a-z0-9-]+/[0-9a-f]{32}");

    @TempDir
    Path dir;

    @Test
    void dbrHeaderIsTheDetailedBillingReportsWithTheTagColumns() throws IOException {
        Manifest m = MonthGenerator.generate(TestFiles.small().format(BillFormat.DBR).build(), dir);
        List<String> header = TestFiles.csvRows(dir.resolve(m.billFile())).get(0);
        assertThat(header).containsExactly("InvoiceID", "PayerAccountId", "LinkedAccountId", "RecordType", "RecordId",
                "ProductName", "RateId", "SubscriptionId", "PricingPlanId", "UsageType", "Operation",
                "AvailabilityZone", "ReservedInstance", "ItemDescription", "UsageStartDate", "UsageEndDate",
                "UsageQuantity", "BlendedRate", "BlendedCost", "UnBlendedRate", "UnBlendedCost", "ResourceId",
                "user:product_area", "user:Name");
        // DBR quotes every field, the header too
        assertThat(TestFiles.lines(dir.resolve(m.billFile())).get(0)).startsWith("\"InvoiceID\",\"PayerAccountId\"");
    }

    @Test
    void curHeaders() throws IOException {
        Manifest cur = MonthGenerator.generate(TestFiles.small().format(BillFormat.CUR).build(), dir.resolve("cur"));
        assertThat(TestFiles.csvRows(dir.resolve("cur").resolve(cur.billFile())).get(0)).contains(
                "identity/LineItemId", "identity/TimeInterval", "bill/InvoiceId", "bill/BillingEntity", "bill/BillType",
                "bill/PayerAccountId", "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate",
                "lineItem/UsageAccountId", "lineItem/LineItemType", "lineItem/UsageStartDate", "lineItem/UsageEndDate",
                "lineItem/ProductCode", "lineItem/UsageType", "lineItem/Operation", "lineItem/ResourceId",
                "lineItem/UsageAmount", "lineItem/UnblendedRate", "lineItem/UnblendedCost", "lineItem/BlendedCost",
                "lineItem/LineItemDescription", "product/ProductName", "resourceTags/user:product_area");

        Manifest cur2 = MonthGenerator.generate(TestFiles.small().format(BillFormat.CUR2).build(), dir.resolve("cur2"));
        assertThat(TestFiles.csvRows(dir.resolve("cur2").resolve(cur2.billFile())).get(0)).contains(
                "bill_invoice_id", "bill_billing_period_start_date", "line_item_line_item_type",
                "line_item_usage_start_date", "line_item_usage_end_date", "line_item_resource_id",
                "line_item_unblended_cost", "product_product_name", "resource_tags").doesNotContain("BilledCost");

        Manifest focus = MonthGenerator.generate(TestFiles.small().format(BillFormat.FOCUS).build(), dir.resolve("f"));
        assertThat(TestFiles.csvRows(dir.resolve("f").resolve(focus.billFile())).get(0)).contains("BilledCost",
                "ChargeCategory", "ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd",
                "InvoiceId", "ServiceName", "ResourceId", "Tags", "EffectiveCost", "ListCost", "SubAccountId");
    }

    @ParameterizedTest
    @EnumSource(BillFormat.class)
    void manifestTotalIsTheExactSumOfTheCostRows(BillFormat format) throws IOException {
        Manifest m = MonthGenerator.generate(TestFiles.small().format(format).malformedRows(6).build(), dir);
        assertThat(m.billFile()).isEqualTo("bill-2017-02.csv");

        List<BillCheck.CostRow> shared = new ArrayList<>();
        Set<String> kinds = new TreeSet<>();
        TreeMap<String, BigDecimal> tags = new TreeMap<>();
        BillCheck.Columns cols = BillCheck.Columns.of(format);
        BillCheck check = BillCheck.read(dir.resolve(m.billFile()), format, row -> {
            String cost = row.get(cols.cost());
            assertThat(cost).doesNotContainIgnoringCase("e");
            String resource = row.get(cols.resource());
            if (resource.isEmpty()) {
                shared.add(row);
            } else if (INSTANCE.matcher(resource).matches()) {
                kinds.add("instance");
            } else if (VOLUME.matcher(resource).matches()) {
                kinds.add("volume");
            } else if (TASK.matcher(resource).matches()) {
                kinds.add("fargate");
            } else {
                kinds.add("other");
            }
            String tag = tag(format, row);
            if (!tag.isEmpty()) {
                tags.merge(tag, row.cost(), BigDecimal::add);
            }
            if (INSTANCE.matcher(resource).matches() && !row.get(cols.start()).isEmpty()
                    && row.endMs() - row.startMs() != 24 * HOUR) {
                assertThat(row.endMs() - row.startMs()).as("instance-hours are hourly").isEqualTo(HOUR);
            }
        });

        assertThat(check.total).isEqualByComparingTo(m.totalCost());
        assertThat(check.total.toPlainString()).isEqualTo(m.totalCost().toPlainString());
        assertThat(check.lineItems).isEqualTo(m.lineItems()).isGreaterThan(10_000);
        assertThat(check.skipped).isEqualTo(m.skippedRows()).isPositive();
        assertThat(check.malformed).isEqualTo(m.malformedRows()).isEqualTo(6);
        assertThat(m.rowsWritten()).isEqualTo(m.lineItems() + m.skippedRows() + m.malformedRows());
        assertThat(check.invoiceIds).containsExactlyElementsOf(m.invoiceIds());
        assertThat(m.invoiceIds()).hasSize(2).allMatch(id -> id.matches("\\d+"));
        assertThat(m.isFinal()).isTrue();
        assertThat(m.costByKind().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(m.totalCost());

        assertThat(kinds).containsExactlyInAnyOrder("instance", "volume", "fargate", "other");
        assertThat(tags).isNotEmpty();
        // shared charges: RI fee (EC2), savings plan, support, tax, a credit (negative), marketplace
        List<String> sharedProducts = shared.stream().map(r -> r.get(cols.product())).toList();
        assertThat(sharedProducts).contains("Amazon Elastic Compute Cloud", "Savings Plans for AWS Compute usage",
                "AWS Support (Business)");
        assertThat(shared).anyMatch(r -> r.cost().signum() < 0);
        // small realistic decimals with up to 10 places
        assertThat(m.totalCost().scale()).isLessThanOrEqualTo(10);
    }

    private static String tag(BillFormat format, BillCheck.CostRow row) {
        switch (format) {
            case DBR:
                return row.get("user:product_area");
            case CUR:
                return row.get("resourceTags/user:product_area");
            case CUR2: {
                JsonNode tags = TestFiles.jsonOrNull(row.get("resource_tags"));
                assertThat(tags).as("resource_tags is a JSON map").isNotNull();
                return tags.path("user_product_area").asText("");
            }
            default: {
                JsonNode tags = TestFiles.jsonOrNull(row.get("Tags"));
                assertThat(tags).as("Tags is a JSON map").isNotNull();
                return tags.path("user:product_area").asText("");
            }
        }
    }

    @Test
    void dbrEndsWithTotalsThatAreNotLineItems() throws IOException {
        Manifest m = MonthGenerator.generate(TestFiles.small().build(), dir);
        BillCheck check = BillCheck.read(dir.resolve(m.billFile()), BillFormat.DBR, null);
        assertThat(check.skippedRecordTypes).contains("Rounding", "AccountTotal", "InvoiceTotal", "StatementTotal",
                "LineItem"); // one LineItem with an empty product name
        List<List<String>> rows = TestFiles.csvRows(dir.resolve(m.billFile()));
        List<String> header = rows.get(0);
        int type = header.indexOf("RecordType");
        int cost = header.indexOf("UnBlendedCost");
        int invoice = header.indexOf("InvoiceID");
        List<String> last = rows.get(rows.size() - 1);
        assertThat(last.get(type)).isEqualTo("StatementTotal");
        BigDecimal statement = new BigDecimal(last.get(cost));
        assertThat(statement).isEqualByComparingTo(m.invoiceTotals().values().stream()
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        for (List<String> r : rows) {
            if ("InvoiceTotal".equals(r.get(type))) {
                assertThat(new BigDecimal(r.get(cost))).isEqualByComparingTo(m.invoiceTotals().get(r.get(invoice)));
            }
            if ("Rounding".equals(r.get(type))) {
                assertThat(m.totalCost().add(new BigDecimal(r.get(cost)))).isEqualByComparingTo(statement);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BillFormat.class)
    void estimatedMonthsHaveEstimatedOrEmptyInvoiceIds(BillFormat format) throws IOException {
        Manifest m = MonthGenerator.generate(TestFiles.small().targetRows(2_000).format(format).estimated(true).build(),
                dir);
        BillCheck check = BillCheck.read(dir.resolve(m.billFile()), format, null);
        assertThat(check.invoiceIds).containsExactly(format == BillFormat.DBR ? "Estimated" : "");
        assertThat(m.isFinal()).isFalse();
        assertThat(m.invoiceIds()).isEqualTo(format == BillFormat.DBR ? List.of("Estimated") : List.of());
        assertThat(check.total).isEqualByComparingTo(m.totalCost());
    }

    @Test
    void tagKeyIsConfigurable() throws IOException {
        Manifest dbr = MonthGenerator.generate(TestFiles.small().targetRows(2_000).tagKey("team").build(), dir.resolve("d"));
        assertThat(TestFiles.csvRows(dir.resolve("d").resolve(dbr.billFile())).get(0)).contains("user:team")
                .doesNotContain("user:product_area");
        Manifest cur2 = MonthGenerator.generate(TestFiles.small().targetRows(2_000).tagKey("team")
                .format(BillFormat.CUR2).build(), dir.resolve("c"));
        List<String> tagMaps = new ArrayList<>();
        BillCheck.read(dir.resolve("c").resolve(cur2.billFile()), BillFormat.CUR2,
                r -> tagMaps.add(r.get("resource_tags")));
        assertThat(tagMaps).anyMatch(t -> t.contains("\"user_team\":"));
    }
}
