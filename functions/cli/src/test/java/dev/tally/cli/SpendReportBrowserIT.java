package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.tally.spend.SpendReportHtml;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spend report of four generated months (three final, the last an estimate cut at the 20th), each rolled up with
 * {@code tally rollup --into} and reported with {@code tally report}, opened in headless Chromium: the DOM holds each
 * month's total as the rollup's summary states it and the area that moved most first; the page logs nothing to the
 * console (a CSP violation would be logged there), and its NetLog holds no request of the page. Two control pages show
 * that the checks catch a fetch and a console message. Skipped, saying so, where Chromium is not installed
 * ({@code .ci/run} installs it).
 */
class SpendReportBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<YearMonth> MONTHS = List.of(YearMonth.of(2017, 1), YearMonth.of(2017, 2),
            YearMonth.of(2017, 3), YearMonth.of(2017, 4));
    private static final Instant CUT = Instant.parse("2017-04-20T00:00:00Z");

    @TempDir
    static Path dir;
    static Path chromium;
    static Path report;
    static Map<YearMonth, BigDecimal> totals = new TreeMap<>();
    static Map<YearMonth, Map<String, BigDecimal>> areas = new TreeMap<>();

    @BeforeAll
    static void rollUpAndReport() throws IOException {
        chromium = findChromium().orElse(null);
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium; .ci/run "
                + "installs it): the spend report's browser test is skipped");
        Path layout = dir.resolve("layout");
        long seed = 61;
        for (YearMonth period : MONTHS) {
            boolean open = period.equals(MONTHS.get(MONTHS.size() - 1));
            Path month = dir.resolve(period.toString());
            Manifest manifest = MonthGenerator.generate(MonthSpec.builder().period(period).format(BillFormat.CUR2)
                    .compression(Compression.NONE).seed(seed++).targetRows(3000).estimated(open).build(), month);
            Path bill = month.resolve(manifest.billFile());
            if (open) {
                bill = cut(bill, month.resolve("cut.csv"), CUT);
            }
            Path out = month.resolve("out");
            tallyOk("rollup", "--billing", bill.toString(), "--events", month.resolve(manifest.eventsFile()).toString(),
                    "--areas", month.resolve(manifest.areasFile()).toString(), "--out", out.toString(),
                    "--into", layout.toString(), "--no-progress", "--quiet");
            totals.put(period, new BigDecimal(JSON.readTree(out.resolve("summary.json").toFile())
                    .get("total_cost").asText()));
            Map<String, BigDecimal> costs = new TreeMap<>();
            try (CsvReader<NamedCsvRecord> rows = CsvReader.builder().ofNamedCsvRecord(
                    out.resolve("product_area_costs.csv"))) {
                rows.forEach(r -> costs.merge(r.getField("product_area"), new BigDecimal(r.getField("cost")),
                        BigDecimal::add));
            }
            areas.put(period, costs);
        }
        report = dir.resolve("report.html");
        String printed = tallyOk("report", layout.toString(), "--out", report.toString());
        assertThat(printed).contains("Wrote " + report, "4 months (2017-01 to 2017-04), unblended; 2017-04 so far "
                + SpendReportHtml.money(totals.get(MONTHS.get(3))));
    }

    private static String tallyOk(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TallyCli.run(args, new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as("tally " + String.join(" ", args) + ": " + err).isZero();
        assertThat(err.toString()).isEmpty();
        return out.toString();
    }

    /** The usage rows (windows of at most a day) that start before {@code cut}, and every longer row. */
    private static Path cut(Path bill, Path out, Instant cut) throws IOException {
        try (CsvReader<CsvRecord> in = CsvReader.builder().ofCsvRecord(bill);
             Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
             CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(writer)) {
            int start = -1;
            int end = -1;
            for (CsvRecord record : in) {
                List<String> fields = record.getFields();
                if (start < 0) {
                    start = fields.indexOf("line_item_usage_start_date");
                    end = fields.indexOf("line_item_usage_end_date");
                    csv.writeRecord(fields);
                    continue;
                }
                Instant from = Instant.parse(fields.get(start));
                boolean usage = Instant.parse(fields.get(end)).toEpochMilli() - from.toEpochMilli() <= 86_400_000L;
                if (!usage || from.isBefore(cut)) {
                    csv.writeRecord(fields);
                }
            }
        }
        return out;
    }

    static Optional<Path> findChromium() {
        String configured = System.getenv("TALLY_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(entry, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** What one headless Chromium run of a page left: its DOM, its log and the requests the page made. */
    record Browsed(String dom, List<String> consoleLines, List<String> pageRequests) {
    }

    /**
     * Opens a page with logging to stderr (the console's messages, CSP violations among them, are logged as
     * {@code CONSOLE}) and a NetLog. Chromium's own background requests are in the NetLog too; the page's are those
     * whose network isolation key is the page's site, {@code file://}.
     */
    static Browsed browse(Path page, String... extra) throws IOException, InterruptedException {
        Path run = Files.createTempDirectory(dir, "chromium-");
        Path netLog = run.resolve("net-log.json");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu",
                "--no-sandbox", "--enable-logging=stderr", "--v=0", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + run.resolve("profile"), "--log-net-log=" + netLog));
        command.addAll(List.of(extra));
        if (extra.length == 0) {
            command.add("--dump-dom");
        }
        command.add(page.toUri().toString());
        Path stdout = run.resolve("stdout");
        Path stderr = run.resolve("stderr");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + command);
        }
        assertThat(process.exitValue()).as("chromium's exit code; stderr: " + Files.readString(stderr)).isZero();
        List<String> console = Files.readAllLines(stderr).stream().filter(l -> l.contains(":CONSOLE")
                || l.contains("Refused to") || l.contains("Content Security Policy")).toList();
        return new Browsed(Files.readString(stdout), console, pageRequests(netLog));
    }

    private static List<String> pageRequests(Path netLog) throws IOException {
        List<String> requests = new ArrayList<>();
        if (!Files.exists(netLog)) {
            throw new AssertionError("chromium wrote no NetLog");
        }
        JsonNode log = JSON.readTree(netLog.toFile());
        int startJob = log.path("constants").path("logEventTypes").path("URL_REQUEST_START_JOB").asInt(-1);
        assertThat(startJob).as("URL_REQUEST_START_JOB in the NetLog's constants").isNotNegative();
        for (JsonNode event : log.path("events")) {
            JsonNode params = event.path("params");
            if (event.path("type").asInt() == startJob
                    && params.path("network_isolation_key").asText().startsWith("file://")
                    && !params.path("url").asText().startsWith("file:")
                    && !params.path("url").asText().startsWith("data:")) {
                requests.add(params.path("url").asText());
            }
        }
        return requests;
    }

    private static String biggestAreaMove() {
        Map<String, BigDecimal> before = areas.get(MONTHS.get(2));
        Map<String, BigDecimal> after = areas.get(MONTHS.get(3));
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        return names.stream().max(Comparator.comparing((String a) -> after.getOrDefault(a, BigDecimal.ZERO)
                .subtract(before.getOrDefault(a, BigDecimal.ZERO)).abs()).thenComparing(Comparator.reverseOrder()))
                .orElseThrow();
    }

    @Test
    void shouldHoldEachMonthsTotalAndTheTopMover_inTheBrowsersDom() throws Exception {
        Browsed page = browse(report);

        for (YearMonth period : MONTHS) {
            assertThat(page.dom()).contains("data-total=\"" + period + "\">"
                    + SpendReportHtml.money(totals.get(period)) + "<");
        }
        String top = biggestAreaMove();
        int firstMover = page.dom().indexOf("data-mover=\"area:");
        assertThat(firstMover).isPositive();
        assertThat(page.dom().substring(firstMover)).startsWith("data-mover=\"area:" + SpendReportHtml.esc(top) + "\"");
        assertThat(page.dom()).contains("<svg id=\"areas-chart\"", "<svg id=\"movers-chart\"",
                "<svg id=\"forecast-chart\"", "data-forecast=\"complete-days\">19<");
    }

    @Test
    void shouldLogNothingToTheConsole_andRequestNothing() throws Exception {
        Browsed page = browse(report);

        assertThat(page.consoleLines()).isEmpty();
        assertThat(page.pageRequests()).isEmpty();
        String html = Files.readString(report);
        assertThat(html).doesNotContain("http://", "https://", "<script", "<link", "<img");
    }

    @Test
    void shouldCatchAFetchAndAConsoleMessage_onControlPages() throws Exception {
        Path fetching = Files.writeString(dir.resolve("fetching.html"), "<!DOCTYPE html><html><head><meta "
                + "charset=\"utf-8\"></head><body><img src=\"https://tally.invalid/pixel.png\"></body></html>");
        Path blocked = Files.writeString(dir.resolve("blocked.html"), "<!DOCTYPE html><html><head>"
                + "<meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\""
                + SpendReportHtml.CONTENT_SECURITY_POLICY
                + "\"></head><body><img src=\"https://tally.invalid/pixel.png\"></body></html>");

        Browsed fetched = browse(fetching);
        Browsed refused = browse(blocked);

        assertThat(fetched.pageRequests()).containsExactly("https://tally.invalid/pixel.png");
        assertThat(refused.pageRequests()).isEmpty();
        assertThat(refused.consoleLines()).anySatisfy(l -> assertThat(l).contains("Content Security Policy",
                "tally.invalid"));
    }

    @Test
    void shouldTakeAScreenshot() throws Exception {
        Path png = Path.of("target", "spend-report-it.png").toAbsolutePath();
        Files.deleteIfExists(png);

        browse(report, "--screenshot=" + png, "--window-size=1280,2400", "--hide-scrollbars");

        assertThat(png).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
