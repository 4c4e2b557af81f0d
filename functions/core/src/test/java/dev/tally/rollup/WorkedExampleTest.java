package dev.tally.rollup;

import dev.tally.RepoFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The worked example of the allocation contract (§7), from real files, number for number. */
class WorkedExampleTest {
    private static final Path DIR = RepoFiles.events("worked-example");

    private Rollup rollup() {
        return new RollupRunner(Clock.fixed(Instant.parse("2017-03-01T02:00:00Z"), ZoneOffset.UTC)).run(
                new RollupRunner.Request(DIR.resolve("bill-2017-02.csv"), DIR.resolve("events.jsonl"),
                        DIR.resolve("areas.json"), "product_area", null), bytes -> { });
    }

    @Test
    void shouldMatchTheContractsProductAreaCosts() {
        Rollup rollup = rollup();

        assertThat(rollup.productAreaCosts())
                .extracting(Rollup.AreaCost::billingPeriod, Rollup.AreaCost::productArea, r -> r.cost().toPlainString())
                .containsExactly(
                        tuple("2017-02", "(unallocated)", "1.0201680672"),
                        tuple("2017-02", "(unmapped)", "6.9371428571"),
                        tuple("2017-02", "alpha", "6.3250420168"),
                        tuple("2017-02", "web", "6.1176470589"));
    }

    @Test
    void shouldMatchTheContractsServiceCosts() {
        assertThat(rollup().serviceCosts())
                .extracting(Rollup.ServiceCost::cluster, Rollup.ServiceCost::service, Rollup.ServiceCost::productArea,
                        r -> r.cost().toPlainString())
                .containsExactly(
                        tuple("prod", "A", "alpha", "6.3250420168"),
                        tuple("prod", "B", "(unmapped)", "6.9371428571"));
    }

    @Test
    void shouldKeepSharedChargesUnderTheirOwnProduct() {
        assertThat(rollup().productAreaAwsProductCosts())
                .extracting(Rollup.ProductAreaCost::awsProduct, Rollup.ProductAreaCost::productArea,
                        r -> r.cost().toPlainString())
                .containsExactly(
                        tuple("AWS Support (Business)", "(unallocated)", "0.2058823529"),
                        tuple("AWS Support (Business)", "(unmapped)", "1.4000000000"),
                        tuple("AWS Support (Business)", "alpha", "1.2764705882"),
                        tuple("AWS Support (Business)", "web", "4.1176470589"),
                        tuple("Amazon Elastic Compute Cloud", "(unallocated)", "0.8142857143"),
                        tuple("Amazon Elastic Compute Cloud", "(unmapped)", "5.5371428571"),
                        tuple("Amazon Elastic Compute Cloud", "alpha", "5.0485714286"),
                        tuple("Amazon Simple Storage Service", "web", "2.0000000000"));
    }

    @Test
    void shouldSummariseTotalsCoverageAndSkippedInvoiceTotal() {
        Rollup.Summary summary = rollup().summary();

        assertThat(summary.totalCost()).isEqualByComparingTo("20.40");
        assertThat(summary.unallocatedCost().add(summary.unmappedCost()).add(summary.allocatedCost()))
                .isEqualByComparingTo(summary.totalCost());
        assertThat(summary.coverage()).isEqualTo(new BigDecimal("0.6099"));
        assertThat(summary.format()).isEqualTo("dbr");
        assertThat(summary.isFinal()).isTrue();
        assertThat(summary.invoiceIds()).containsExactly("987654321");
        assertThat(summary.lineItems()).isEqualTo(5);
        assertThat(summary.skippedRows()).isEqualTo(1);
        assertThat(summary.malformedRows()).isZero();
        assertThat(summary.runId()).startsWith("20170301T020000Z-");
        assertThat(rollup().untaggedResources()).isEmpty();
    }

    @Test
    void shouldWriteTablesAndSummaryFiles(@TempDir Path out) throws Exception {
        RollupWriter.write(rollup(), out);

        assertThat(Files.readAllLines(out.resolve("product_area_costs.csv"))).containsExactly(
                "billing_period,product_area,cost",
                "2017-02,(unallocated),1.0201680672",
                "2017-02,(unmapped),6.9371428571",
                "2017-02,alpha,6.3250420168",
                "2017-02,web,6.1176470589");
        assertThat(Files.readAllLines(out.resolve("service_costs.csv"))).containsExactly(
                "billing_period,cluster,service,product_area,cost",
                "2017-02,prod,A,alpha,6.3250420168",
                "2017-02,prod,B,(unmapped),6.9371428571");
        assertThat(Files.readAllLines(out.resolve("untagged_resources.csv")))
                .containsExactly("billing_period,aws_product,resource_id,cost");
        String summary = Files.readString(out.resolve("summary.json"));
        assertThat(summary).contains("\"total_cost\" : \"20.4000000000\"", "\"coverage\" : \"0.6099\"",
                "\"final\" : true", "\"format\" : \"dbr\"");
        assertThat(List.of(Files.list(out).map(p -> p.getFileName().toString()).sorted().toArray()))
                .containsExactly("product_area_aws_product_costs.csv", "product_area_costs.csv", "report.json",
                        "service_costs.csv", "summary.json", "untagged_resources.csv");
    }
}
