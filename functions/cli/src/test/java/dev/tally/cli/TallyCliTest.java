package dev.tally.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class TallyCliTest {
    private static final Path ROOT = Path.of(System.getProperty("tally.repo.root", "../.."));
    private static final Path EXAMPLE = ROOT.resolve("events/worked-example");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int tally(String... args) {
        return TallyCli.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    private String[] rollup(Path billing, Path events, Path areas) {
        return new String[] {"rollup", "--billing", billing.toString(), "--events", events.toString(),
            "--areas", areas.toString(), "--out", dir.resolve("out").toString(), "--no-progress"};
    }

    @Test
    void shouldWriteTablesAndPrintSummary_forTheWorkedExample() throws IOException {
        int code = tally(rollup(EXAMPLE.resolve("bill-2017-02.csv"), EXAMPLE.resolve("events.jsonl"),
                EXAMPLE.resolve("areas.json")));

        assertThat(code).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("Rollup 2017-02", "coverage 61.0%", "prod/A", "20.40");
        assertThat(Files.readString(dir.resolve("out/product_area_costs.csv")))
                .contains("2017-02,alpha,6.3250420168");
    }

    @Test
    void shouldWriteTheRunIntoALayout_andReportItsMonth() throws IOException {
        Path layout = dir.resolve("layout");
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(rollup(
                EXAMPLE.resolve("bill-2017-02.csv"), EXAMPLE.resolve("events.jsonl"), EXAMPLE.resolve("areas.json"))),
                java.util.stream.Stream.of("--into", layout.toString())).toArray(String[]::new);

        int rolledUp = tally(args);
        int reported = tally("report", layout.toString(), "--out", dir.resolve("report.html").toString());

        assertThat(rolledUp).isZero();
        assertThat(reported).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("of 2017-02 into the layout " + layout,
                "Wrote " + dir.resolve("report.html"), "1 month (2017-02), unblended; 2017-02 ");
        try (var runs = Files.walk(layout.resolve("runs"))) {
            assertThat(runs.filter(p -> p.getFileName().toString().equals("run.json"))).hasSize(1);
        }
        String total = new java.math.BigDecimal(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("out/summary.json").toFile()).get("total_cost").asText()).toString();
        assertThat(Files.readString(dir.resolve("report.html"))).contains("data-total=\"2017-02\">"
                + dev.tally.spend.SpendReportHtml.money(new java.math.BigDecimal(total)) + "<");
    }

    @Test
    void shouldFailWithOneLine_whenTheReportsDirectoryHasNoRuns() throws IOException {
        Files.createDirectories(dir.resolve("empty"));

        int code = tally("report", dir.resolve("empty").toString(), "--out", dir.resolve("r.html").toString());

        assertThat(code).isEqualTo(TallyCli.EXIT_INPUT);
        assertThat(err.toString().lines()).singleElement().asString().contains("no runs of the billing function");
        assertThat(Files.exists(dir.resolve("r.html"))).isFalse();
    }

    @Test
    void shouldRefuseAnUnknownCostBasis_asWrongUsage() throws IOException {
        Files.createDirectories(dir.resolve("layout"));

        int code = tally("report", dir.resolve("layout").toString(), "--cost-basis", "blended");

        assertThat(code).isEqualTo(TallyCli.EXIT_USAGE);
        assertThat(err.toString()).contains("'blended' is not a cost basis (unblended or amortized)");
    }

    @Test
    void shouldFailWithOneLine_whenBillIsMissing() {
        int code = tally(rollup(dir.resolve("nope.csv"), EXAMPLE.resolve("events.jsonl"),
                EXAMPLE.resolve("areas.json")));

        assertThat(code).isEqualTo(TallyCli.EXIT_INPUT);
        assertThat(err.toString()).isEqualTo("tally: " + dir.resolve("nope.csv") + ": no such file"
                + System.lineSeparator());
        assertThat(Files.exists(dir.resolve("out"))).isFalse();
    }

    @Test
    void shouldFailWithOneLine_whenFileIsNotABill() throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.csv"), "a,b\n1,2\n");

        int code = tally(rollup(notes, EXAMPLE.resolve("events.jsonl"), EXAMPLE.resolve("areas.json")));

        assertThat(code).isEqualTo(TallyCli.EXIT_INPUT);
        assertThat(err.toString().lines()).singleElement().asString().contains("not a recognised bill");
    }

    @Test
    void shouldFailWithOneLine_whenArchiveIsTruncated() throws IOException {
        Path gz = dir.resolve("bill.csv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            byte[] bill = Files.readAllBytes(EXAMPLE.resolve("bill-2017-02.csv"));
            for (int i = 0; i < 200; i++) {
                o.write(bill);
            }
        }
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, java.util.Arrays.copyOf(bytes, bytes.length - 40));

        int code = tally(rollup(gz, EXAMPLE.resolve("events.jsonl"), EXAMPLE.resolve("areas.json")));

        assertThat(code).isEqualTo(TallyCli.EXIT_INPUT);
        assertThat(err.toString().lines()).singleElement().asString().contains("truncated");
    }

    @Test
    void shouldFailWithOneLine_whenAreasFileIsInvalid() throws IOException {
        Path areas = Files.writeString(dir.resolve("areas.json"), "{\"web\": 3}");

        int code = tally(rollup(EXAMPLE.resolve("bill-2017-02.csv"), EXAMPLE.resolve("events.jsonl"), areas));

        assertThat(code).isEqualTo(TallyCli.EXIT_INPUT);
        assertThat(err.toString().lines()).singleElement().asString()
                .contains("invalid product area map", "\"web\"");
    }

    @Test
    void shouldFailWithUsage_whenRequiredOptionMissing() {
        int code = tally("rollup", "--billing", "x.csv");

        assertThat(code).isEqualTo(TallyCli.EXIT_USAGE);
        assertThat(err.toString()).contains("--out").doesNotContain("Exception");
    }

    @Test
    void shouldRejectBadPeriod() {
        int code = tally("rollup", "--billing", EXAMPLE.resolve("bill-2017-02.csv").toString(), "--out",
                dir.toString(), "--period", "Feb");

        assertThat(code).isEqualTo(TallyCli.EXIT_INPUT);
        assertThat(err.toString()).contains("--period");
    }

    @Test
    void shouldCountBadEventsButStillRollUp() throws IOException {
        Path events = Files.writeString(dir.resolve("events.jsonl"),
                Files.readString(EXAMPLE.resolve("events.jsonl")) + "{broken\n");

        int code = tally(rollup(EXAMPLE.resolve("bill-2017-02.csv"), events, EXAMPLE.resolve("areas.json")));

        assertThat(code).isZero();
        assertThat(out.toString()).contains("1 invalid");
        assertThat(Files.readString(dir.resolve("out/report.json"))).contains("unparseable JSON");
    }

    @Test
    void shouldSayInOneLine_whenRowsOfOtherPeriodsWereLeftOut_andShowProviders() throws IOException {
        String header = "BilledCost,BillingPeriodStart,ChargeCategory,ChargePeriodStart,ChargePeriodEnd,ProviderName,"
                + "ResourceId,ServiceName,Tags\n";
        Path bill = Files.writeString(dir.resolve("focus.csv"), header
                + "5.00,2024-09-01T00:00:00Z,Usage,2024-09-01T00:00:00Z,2024-09-01T01:00:00Z,AWS,i-1,EC2,NULL\n"
                + "3.00000000004,2024-09-01T00:00:00Z,Usage,2024-09-01T00:00:00Z,2024-09-01T01:00:00Z,Microsoft,vm,VMs,"
                + "NULL\n"
                + "7.00,2024-10-01T00:00:00Z,Usage,2024-10-01T00:00:00Z,2024-10-01T01:00:00Z,AWS,i-1,EC2,NULL\n"
                + "1.50,2024-08-01T00:00:00Z,Usage,2024-08-01T00:00:00Z,2024-08-01T01:00:00Z,AWS,i-1,EC2,NULL\n");

        int code = tally("rollup", "--billing", bill.toString(), "--out", dir.resolve("out").toString(),
                "--no-progress", "--final");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Rollup 2024-09  (focus, final)",
                "! 2 cost rows of other billing periods left out (2024-08: 1 row, 1.50, 2024-10: 1 row, 7.00); "
                        + "roll one up with --period YYYY-MM",
                "1 amounts had more than 10 decimal places: rounded half-even (difference -0.00000000004)",
                "by provider: AWS 5.00, Microsoft 3.00");
        assertThat(Files.readString(dir.resolve("out/summary.json"))).contains("\"other_period_rows\" : 2",
                "\"total_cost\" : \"8.0000000000\"");
        assertThat(Files.readString(dir.resolve("out/report.json"))).contains("\"2024-10\" : {",
                "\"provider_totals\"");
    }

    private static final String DBR_WITH_UPFRONT_FEE = String.join("\n",
            "InvoiceID,RecordType,ProductName,ItemDescription,UsageStartDate,UsageEndDate,UnBlendedCost,ResourceId,"
                    + "user:product_area",
            "123456789,LineItem,Amazon Elastic Compute Cloud,\"Sign up charge for subscription: 1234567, planId: "
                    + "2345678\",2017-02-01 00:00:00,2017-02-01 00:00:00,1200.00,,",
            "123456789,LineItem,Amazon Elastic Compute Cloud,Linux usage,2017-02-01 00:00:00,2017-02-01 01:00:00,"
                    + "1.00,i-1,web",
            "");

    @Test
    void shouldWriteTheUpfrontLedgerOfADbrBill_andRollItUpAmortized() throws IOException {
        Path bill = Files.writeString(dir.resolve("dbr.csv"), DBR_WITH_UPFRONT_FEE);

        assertThat(tally("upfront", "--billing", bill.toString(), "--months", "12")).isZero();
        assertThat(out.toString()).contains("\"aws_product\" : \"Amazon Elastic Compute Cloud\"",
                "\"amount\" : \"1200.0000000000\"", "\"first_period\" : \"2017-02\"", "\"months\" : 12");
        Path ledger = Files.writeString(dir.resolve("ledger.json"), out.toString());

        int code = tally("rollup", "--billing", bill.toString(), "--cost-basis", "amortized", "--upfront",
                ledger.toString(), "--out", dir.resolve("out").toString(), "--no-progress", "-q");

        assertThat(code).isZero();
        String summary = Files.readString(dir.resolve("out/summary.json"));
        assertThat(summary).contains("\"cost_basis\" : \"amortized\"", "\"total_cost\" : \"101.0000000000\"",
                "\"skipped_rows\" : 1");
        assertThat(Files.readString(dir.resolve("out/report.json")))
                .contains("\"invoiced_cost\" : \"1.0000000000\"");
    }

    @Test
    void shouldNameTheCostBases_whenOneIsUnknown() throws IOException {
        Path bill = Files.writeString(dir.resolve("dbr.csv"), DBR_WITH_UPFRONT_FEE);

        int code = tally("rollup", "--billing", bill.toString(), "--cost-basis", "blended", "--out",
                dir.resolve("out").toString());

        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("unblended or amortized");
    }

    @Test
    void shouldSplitByAwsData_andNameTheLargestDisagreements() throws IOException {
        Path split = ROOT.resolve("events/split-cost-allocation");
        String[] args = rollup(split.resolve("cur-2017-02.csv"), split.resolve("events.jsonl"),
                split.resolve("areas.json"));
        String[] withMode = java.util.Arrays.copyOf(args, args.length + 2);
        withMode[args.length] = "--ecs-split";
        withMode[args.length + 1] = "aws";

        int code = tally(withMode);

        assertThat(code).isZero();
        String printed = out.toString();
        assertThat(printed).contains("allocated by AWS's split; 4 split line items");
        // by |difference|: prod/C 1.00, other/(unknown) 0.50, then A and B at 0.15 in key order
        assertThat(printed.indexOf("prod/C")).isLessThan(printed.indexOf("other/(unknown)"));
        assertThat(printed.lastIndexOf("other/(unknown)")).isLessThan(printed.lastIndexOf("prod/A  [alpha]"));
        assertThat(printed.lastIndexOf("prod/A  [alpha]")).isLessThan(printed.lastIndexOf("prod/B"));
        assertThat(Files.readString(dir.resolve("out/ecs_split_comparison.csv")))
                .contains("2017-02,prod,C,(unmapped),0.0000000000,1.0000000000,1.0000000000");
        assertThat(Files.readString(dir.resolve("out/summary.json"))).contains("\"ecs_split\" : \"aws\"");
    }

    @Test
    void shouldNameTheEcsSplits_whenOneIsUnknown() {
        String[] args = rollup(EXAMPLE.resolve("bill-2017-02.csv"), EXAMPLE.resolve("events.jsonl"),
                EXAMPLE.resolve("areas.json"));
        String[] withMode = java.util.Arrays.copyOf(args, args.length + 2);
        withMode[args.length] = "--ecs-split";
        withMode[args.length + 1] = "cpu";

        assertThat(tally(withMode)).isNotZero();
        assertThat(err.toString()).contains("events or aws");
    }
}
