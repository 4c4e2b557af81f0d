package dev.tally.allocation;

import dev.tally.billing.CostLine;
import dev.tally.history.HistoryBuilder;
import dev.tally.history.HistoryEvent;
import dev.tally.money.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

import static dev.tally.Fixtures.EC2;
import static dev.tally.Fixtures.S3;
import static dev.tally.Fixtures.SUPPORT;
import static dev.tally.Fixtures.millis;
import static org.assertj.core.api.Assertions.assertThat;

/** One hand-computed case per allocation rule (contract §3, §4). */
class AllocatorTest {
    private static final String CI = "arn:aws:ecs:us-east-1:1:container-instance/prod/ci-1";
    private static final String CI2 = "arn:aws:ecs:us-east-1:1:container-instance/prod/ci-2";
    private static final YearMonth FEB = YearMonth.of(2017, 2);

    private final HistoryBuilder history = new HistoryBuilder()
            .add(new HistoryEvent.ContainerInstanceChange(CI, 1, "i-1"))
            .add(new HistoryEvent.ContainerInstanceChange(CI2, 1, "i-2"));
    private ProductAreaMap areas = new ProductAreaMap(Map.of("web", "storefront", "prod/api", "platform"));
    private Allocator allocator;
    private long line = 2;

    private void task(String id, String group, String ci, int cpu, String start, String stop) {
        history.add(new HistoryEvent.TaskStateChange("arn:aws:ecs:us-east-1:1:task/prod/" + id, 3,
                "arn:aws:ecs:us-east-1:1:cluster/prod", group, ci, cpu, null,
                start == null ? null : millis(start), stop == null ? null : millis(stop)));
    }

    private void attach(String volume, String instance, String at) {
        history.add(new HistoryEvent.VolumeCall(volume, HistoryEvent.VolumeCall.Kind.ATTACH, millis(at), instance));
    }

    private void detach(String volume, String at) {
        history.add(new HistoryEvent.VolumeCall(volume, HistoryEvent.VolumeCall.Kind.DETACH, millis(at), null));
    }

    private void row(String product, String resource, String tag, String start, String end, String cost) {
        row(product, resource, tag, start, end, cost, "123456789");
    }

    private void row(String product, String resource, String tag, String start, String end, String cost,
                     String invoice) {
        row(product, resource, tag, false, start, end, cost, invoice);
    }

    /** A row whose line item type (or FOCUS charge category) says it is usage. */
    private void usageRow(String product, String resource, String tag, String start, String end, String cost) {
        row(product, resource, tag, true, start, end, cost, "123456789");
    }

    private void row(String product, String resource, String tag, boolean usage, String start, String end,
                     String cost, String invoice) {
        if (allocator == null) {
            allocator = new Allocator(history.build(), areas);
            allocator.onBillingPeriod(FEB);
        }
        allocator.onCostLine(new CostLine(line++, invoice, product, resource, tag, usage, millis(start), millis(end),
                Money.parse(cost)));
    }

    /** Allocated money per "area|cluster/service|product", as plain strings. */
    private Map<String, String> result(Allocation allocation) {
        Map<String, String> out = new TreeMap<>();
        allocation.amounts().forEach((key, amount) -> out.put(key.target().area() + "|"
                + (key.target().isService() ? key.target().cluster() + "/" + key.target().service() : "") + "|"
                + key.product(), amount.toPlainString()));
        return out;
    }

    @Test
    void rule1_shouldSplitHostBetweenServicesByCpuSeconds() {
        task("a", "service:web", CI, 1024, "02-01T00:00", "02-01T00:20");
        task("b", "service:api", CI, 256, "02-01T00:00", null);
        task("c", "service:api", CI, 256, "02-01T00:30", "02-01T02:00");
        row(EC2, "i-1", "ignored-tag", "02-01T00:00", "02-01T01:00", "1.00");

        // web 1200 s × 1024 = 1,228,800; api 3600 × 256 + 1800 × 256 = 1,382,400; total 2,611,200
        assertThat(result(allocator.finish())).containsExactly(
                Map.entry("platform|prod/api|" + EC2, "0.5294117647"),
                Map.entry("storefront|prod/web|" + EC2, "0.4705882353"));
    }

    @Test
    void rule1_shouldNotApply_whenNoTaskOverlapsTheWindow() {
        task("a", "service:web", CI, 1024, "02-01T00:00", "02-01T01:00");
        row(EC2, "i-1", "", "02-01T01:00", "02-01T02:00", "1.00");
        row(EC2, "i-1", "tagged", "02-01T02:00", "02-01T03:00", "2.00");

        Allocation allocation = allocator.finish();

        assertThat(result(allocation)).containsExactly(
                Map.entry("(unallocated)||" + EC2, "1.0000000000"),
                Map.entry("tagged||" + EC2, "2.0000000000"));
        assertThat(allocation.untagged()).containsOnlyKeys(new Allocator.ProductResource(EC2, "i-1"));
    }

    @Test
    void rule1_shouldRunOpenTasksToPeriodEnd_andUseMinimumCpuShare() {
        history.add(new HistoryEvent.TaskStateChange("arn:aws:ecs:us-east-1:1:task/prod/x", 1,
                "arn:aws:ecs:us-east-1:1:cluster/prod", "service:web", CI, null, null, millis("02-27T00:00"), null));
        task("y", "service:api", CI, 2, "02-27T00:00", null);
        row(EC2, "i-1", "", "02-28T23:00", "03-01T00:00", "0.10");

        assertThat(result(allocator.finish())).containsExactly(
                Map.entry("platform|prod/api|" + EC2, "0.0500000000"),
                Map.entry("storefront|prod/web|" + EC2, "0.0500000000"));
    }

    @Test
    void rule1_shouldMarkServicesWithoutAreaUnmapped() {
        task("a", "service:worker", CI, 512, "02-01T00:00", null);
        row(EC2, "i-1", "", "02-01T00:00", "02-01T01:00", "0.30");

        assertThat(result(allocator.finish())).containsExactly(
                Map.entry("(unmapped)|prod/worker|" + EC2, "0.3000000000"));
    }

    @Test
    void rule2_shouldGiveFargateTaskToItsService_evenWhenTagged() {
        history.add(new HistoryEvent.TaskStateChange("arn:aws:ecs:us-east-1:1:task/prod/f1", 2,
                "arn:aws:ecs:us-east-1:1:cluster/prod", "family:batch", null, 256, null, millis("02-01T00:00"),
                null));
        areas = new ProductAreaMap(Map.of("family:batch", "data"));
        row("Amazon Elastic Container Service", "arn:aws:ecs:us-east-1:1:task/prod/f1", "web", "02-01T00:00",
                "02-01T01:00", "0.04");
        row("Amazon Elastic Container Service", "arn:aws:ecs:us-east-1:1:task/prod/unknown", "", "02-01T00:00",
                "02-01T01:00", "0.01");

        assertThat(result(allocator.finish())).containsExactly(
                Map.entry("(unallocated)||Amazon Elastic Container Service", "0.0100000000"),
                Map.entry("data|prod/family:batch|Amazon Elastic Container Service", "0.0400000000"));
    }

    @Test
    void rule3_shouldGiveTaggedResourceToItsArea() {
        row(S3, "bucket", "search", "02-01T00:00", "02-02T00:00", "2.00");
        row(S3, "vol-tagged", "search", "02-01T00:00", "02-02T00:00", "1.00");

        assertThat(result(allocator.finish())).containsExactly(Map.entry("search||" + S3, "3.0000000000"));
    }

    @Test
    void rule4_shouldSplitVolumeByAttachedTime_andInstancePartByRule1() {
        task("a", "service:web", CI, 1024, "02-01T00:00", "02-01T00:30");
        task("b", "service:api", CI, 512, "02-01T00:00", "02-01T01:00");
        attach("vol-1", "i-1", "02-01T00:15");
        row(EC2, "vol-1", "", "02-01T00:00", "02-01T01:00", "0.40");

        assertThat(result(allocator.finish())).containsExactly(
                Map.entry("(unallocated)||" + EC2, "0.1000000000"),
                Map.entry("platform|prod/api|" + EC2, "0.1800000000"),
                Map.entry("storefront|prod/web|" + EC2, "0.1200000000"));
    }

    @Test
    void rule4_shouldUseInstanceTag_fromTheInstancesLastTaggedRow_evenWhenItComesLater() {
        attach("vol-1", "i-7", "02-01T00:00");
        row(EC2, "vol-1", "", "02-01T00:00", "02-01T01:00", "0.40");
        row(EC2, "i-7", "first", "02-01T00:00", "02-01T01:00", "1.00");
        row(EC2, "i-7", "", "02-01T01:00", "02-01T02:00", "1.00");
        row(EC2, "i-7", "analytics", "02-01T02:00", "02-01T03:00", "1.00");

        Map<String, String> result = result(allocator.finish());

        assertThat(result).containsEntry("analytics||" + EC2, "1.4000000000")
                .containsEntry("first||" + EC2, "1.0000000000");
    }

    @Test
    void rule4_shouldLeaveInstancePartUnallocated_whenNoTasksAndNoTag() {
        attach("vol-1", "i-7", "02-01T00:30");
        row(EC2, "vol-1", "", "02-01T00:00", "02-01T01:00", "0.40");

        Allocation allocation = allocator.finish();

        assertThat(result(allocation)).containsExactly(Map.entry("(unallocated)||" + EC2, "0.4000000000"));
        assertThat(allocation.untagged()).isEmpty();
    }

    @Test
    void rule4_shouldEndAttachmentsAtDetachNextAttachAndTermination() {
        attach("vol-1", "i-7", "02-01T00:00");
        detach("vol-1", "02-01T00:10");
        attach("vol-1", "i-8", "02-01T00:20");
        attach("vol-1", "i-9", "02-01T00:30");
        history.add(new HistoryEvent.InstanceTerminated("i-9", millis("02-01T00:40")));
        row(EC2, "i-7", "seven", "02-01T00:00", "02-01T01:00", "0");
        row(EC2, "i-8", "eight", "02-01T00:00", "02-01T01:00", "0");
        row(EC2, "i-9", "nine", "02-01T00:00", "02-01T01:00", "0");
        row(EC2, "vol-1", "", "02-01T00:00", "02-01T01:00", "0.60");

        // i-7 10 min, i-8 10 min, i-9 10 min (terminated at 00:40), unattached 30 min
        assertThat(result(allocator.finish())).containsEntry("seven||" + EC2, "0.1000000000")
                .containsEntry("eight||" + EC2, "0.1000000000")
                .containsEntry("nine||" + EC2, "0.1000000000")
                .containsEntry("(unallocated)||" + EC2, "0.3000000000");
    }

    @Test
    void rule4_shouldLetALaterCallEndTheAttachment_beforeTermination() {
        // The contract's order: the volume's next detach/attach first, termination only when there is none.
        attach("vol-1", "i-7", "02-01T00:00");
        history.add(new HistoryEvent.InstanceTerminated("i-7", millis("02-01T00:15")));
        attach("vol-1", "i-8", "02-01T00:45");
        row(EC2, "i-7", "seven", "02-01T00:00", "02-01T00:15", "0");
        row(EC2, "i-8", "eight", "02-01T00:45", "02-01T01:00", "0");
        row(EC2, "vol-1", "", "02-01T00:00", "02-01T01:00", "0.60");

        assertThat(result(allocator.finish())).containsEntry("seven||" + EC2, "0.4500000000")
                .containsEntry("eight||" + EC2, "0.1500000000")
                .doesNotContainKey("(unallocated)||" + EC2);
    }

    @Test
    void rule4_shouldNotApplyToNeverAttachedVolume() {
        row(EC2, "vol-lonely", "", "02-01T00:00", "02-01T01:00", "0.40");

        Allocation allocation = allocator.finish();

        assertThat(allocation.untagged()).containsEntry(new Allocator.ProductResource(EC2, "vol-lonely"),
                Money.parse("0.40"));
    }

    @Test
    void shared_shouldFollowProductBase_thenPeriodBase() {
        row(EC2, "i-1", "web-area", "02-01T00:00", "02-01T01:00", "3.00");
        row(EC2, "i-2", "data", "02-01T00:00", "02-01T01:00", "1.00");
        row(S3, "bucket", "search", "02-01T00:00", "02-01T01:00", "4.00");
        row(EC2, "", "", "02-01T00:00", "03-01T00:00", "2.00");
        row(SUPPORT, "", "", "02-01T00:00", "03-01T00:00", "8.00");

        assertThat(result(allocator.finish())).containsExactly(
                Map.entry("data||" + SUPPORT, "1.0000000000"),
                Map.entry("data||" + EC2, "1.5000000000"),
                Map.entry("search||" + SUPPORT, "4.0000000000"),
                Map.entry("search||" + S3, "4.0000000000"),
                Map.entry("web-area||" + SUPPORT, "3.0000000000"),
                Map.entry("web-area||" + EC2, "4.5000000000"));
    }

    @Test
    void rule5_shouldNotShareUsageWithoutAResource_butLeaveItUnallocatedAndListed() {
        row(EC2, "i-1", "web-area", "02-01T00:00", "02-01T01:00", "3.00");
        usageRow(EC2, "", "", "02-01T00:00", "02-01T01:00", "0.25");
        usageRow(EC2, "", "", "02-01T01:00", "02-01T02:00", "0.50");
        usageRow(S3, "", "", "02-01T00:00", "02-01T01:00", "1.00");
        row(EC2, "", "", "02-01T00:00", "03-01T00:00", "2.00");
        usageRow(EC2, "", "tagged", "02-01T00:00", "02-01T01:00", "0.10");

        Allocation allocation = allocator.finish();

        // usage with no resource is rule 6 (an empty resource id, one untagged row per product); the fee is shared
        // over EC2's base, which includes that unallocated usage; an own tag still wins (rule 3)
        assertThat(result(allocation)).containsExactly(
                Map.entry("(unallocated)||" + EC2, "1.1396103896"),
                Map.entry("(unallocated)||" + S3, "1.0000000000"),
                Map.entry("tagged||" + EC2, "0.1519480519"),
                Map.entry("web-area||" + EC2, "4.5584415585"));
        assertThat(allocation.untagged()).containsOnly(
                Map.entry(new Allocator.ProductResource(EC2, ""), Money.parse("0.75")),
                Map.entry(new Allocator.ProductResource(S3, ""), Money.parse("1.00")));
        assertThat(allocation.rowsByRule()).containsEntry(Allocator.Rule.UNALLOCATED, 3L)
                .containsEntry(Allocator.Rule.SHARED, 1L).containsEntry(Allocator.Rule.OWN_TAG, 2L);
    }

    @Test
    void shared_shouldSpreadCredits_onlyOverPositiveTargets() {
        row(S3, "bucket-a", "a", "02-01T00:00", "02-01T01:00", "3.00");
        row(S3, "bucket-b", "b", "02-01T00:00", "02-01T01:00", "1.00");
        row(S3, "bucket-c", "c", "02-01T00:00", "02-01T01:00", "-1.00");
        row(S3, "", "", "02-01T00:00", "03-01T00:00", "-2.00");

        assertThat(result(allocator.finish())).containsExactly(
                Map.entry("a||" + S3, "1.5000000000"),
                Map.entry("b||" + S3, "0.5000000000"),
                Map.entry("c||" + S3, "-1.0000000000"));
    }

    @Test
    void shared_shouldFallBackToPeriod_whenProductHasOnlyCredits() {
        row(S3, "bucket-a", "a", "02-01T00:00", "02-01T01:00", "3.00");
        row(EC2, "i-1", "c", "02-01T00:00", "02-01T01:00", "-1.00");
        row(EC2, "", "", "02-01T00:00", "03-01T00:00", "0.30");

        assertThat(result(allocator.finish())).containsEntry("a||" + EC2, "0.3000000000");
    }

    @Test
    void shared_shouldGoUnallocated_whenNothingPositiveAnywhere() {
        row(SUPPORT, "", "", "02-01T00:00", "03-01T00:00", "100.00");
        row(SUPPORT, "", "", "02-01T00:00", "03-01T00:00", "100.00");

        Allocation allocation = allocator.finish();

        assertThat(result(allocation)).containsExactly(Map.entry("(unallocated)||" + SUPPORT, "200.0000000000"));
        assertThat(allocation.total()).isEqualByComparingTo("200");
    }

    @Test
    void shared_shouldSplitEachChargeOnItsOwn_soRoundingMatchesRowByRow() {
        row(S3, "a", "x", "02-01T00:00", "02-01T01:00", "1");
        row(S3, "b", "y", "02-01T00:00", "02-01T01:00", "1");
        row(S3, "c", "z", "02-01T00:00", "02-01T01:00", "1");
        for (int i = 0; i < 3; i++) {
            row(S3, "", "", "02-01T00:00", "03-01T00:00", "1");
        }

        // Each charge of 1 splits 0.3333333334 / 0.3333333333 / 0.3333333333 (remainder to the first key).
        assertThat(result(allocator.finish())).containsExactly(
                Map.entry("x||" + S3, "2.0000000002"),
                Map.entry("y||" + S3, "1.9999999999"),
                Map.entry("z||" + S3, "1.9999999999"));
    }

    @Test
    void shouldReportFinal_onlyWhenEveryInvoiceIdIsDigits() {
        row(S3, "a", "x", "02-01T00:00", "02-01T01:00", "1", "123");
        assertThat(allocator.finish().isFinal()).isTrue();

        allocator = null;
        row(S3, "a", "x", "02-01T00:00", "02-01T01:00", "1", "123");
        row(S3, "a", "x", "02-01T00:00", "02-01T01:00", "1", "Estimated");
        Allocation estimated = allocator.finish();
        assertThat(estimated.isFinal()).isFalse();
        assertThat(estimated.invoiceIds()).containsExactly("123", "Estimated");

        allocator = null;
        row(S3, "a", "x", "02-01T00:00", "02-01T01:00", "1", "");
        assertThat(allocator.finish().isFinal()).isFalse();
    }

    @Test
    void shouldKeepTotalsExact_overManyRows() {
        task("a", "service:web", CI, 1000, "02-01T00:00", null);
        task("b", "service:api", CI, 3, "02-01T00:00", null);
        BigDecimal expected = BigDecimal.ZERO;
        for (int h = 0; h < 24; h++) {
            String start = String.format("02-01T%02d:00", h);
            String end = h == 23 ? "02-02T00:00" : String.format("02-01T%02d:00", h + 1);
            String cost = "0." + (1000000007 + h * 13);
            row(EC2, "i-1", "", start, end, cost);
            expected = expected.add(new BigDecimal(cost));
        }
        Allocation allocation = allocator.finish();

        assertThat(allocation.amounts().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(expected);
    }
}
