package dev.tally.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tally.delivery.DirectoryObjectStore;
import dev.tally.delivery.ObjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** One alert per (period, subject, direction) across reruns, retried where a channel failed, and the webhook's wire. */
class AlertDispatchTest {
    private static final YearMonth FEB = YearMonth.of(2017, 2);
    private static final YearMonth MAR = YearMonth.of(2017, 3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    HttpServer webhook;
    final List<String> posted = new ArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 200;
            if (status == 200) {
                synchronized (posted) {
                    posted.add(exchange.getRequestHeaders().getFirst("Content-Type") + "\n" + body);
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    private URI hook() {
        return URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
    }

    private static SpendHistory history(String marchSearch) {
        return SpendHistory.of(List.of(
                HandMonths.month(FEB, Map.of("EC2|search", "10000", "EC2|web", "1000"), 0),
                HandMonths.month(MAR, Map.of("EC2|search", marchSearch, "EC2|web", "1000"), 0)));
    }

    private AlertDispatch.Outcome run(SpendHistory history, ObjectStore store, List<AlertSink> sinks, Instant at)
            throws IOException {
        AlertRules rules = AlertsTest.rules("{\"default\": {\"relative\": \"0.2\"}, \"watch\": [\"product_area\"]}");
        AlertLedger ledger = new AlertLedger(store, "outputs", "", Clock.fixed(at, ZoneOffset.UTC));
        return AlertDispatch.dispatch(Alerts.evaluate(history, rules), ledger, sinks);
    }

    @Test
    void shouldSendAnAlertOnce_howeverOftenTheMonthIsRolledUpAgain() throws IOException {
        ObjectStore store = new DirectoryObjectStore(dir.resolve("bucket"));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<AlertSink> sinks = List.of(new WebhookAlertSink(hook()),
                PrintingAlertSink.text(new java.io.PrintWriter(new java.io.OutputStreamWriter(text, StandardCharsets.UTF_8), true)),
                PrintingAlertSink.jsonLines(dir.resolve("alerts.jsonl")));

        AlertDispatch.Outcome first = run(history("15000"), store, sinks, Instant.parse("2017-03-02T00:00:00Z"));
        AlertDispatch.Outcome rerun = run(history("15500"), store, sinks, Instant.parse("2017-03-03T00:00:00Z"));
        AlertDispatch.Outcome down = run(history("7000"), store, sinks, Instant.parse("2017-03-04T00:00:00Z"));

        assertThat(first.sent()).extracting(a -> a.subject().label()).containsExactly("search");
        assertThat(rerun.sent()).isEmpty();
        assertThat(rerun.alreadySent()).hasSize(1);
        assertThat(down.sent()).extracting(Alert::direction).containsExactly(Change.Direction.DOWN);
        assertThat(posted).hasSize(2);
        JsonNode message = JSON.readTree(posted.get(0).substring(posted.get(0).indexOf('\n') + 1));
        assertThat(posted.get(0)).startsWith("application/json");
        assertThat(message.path("text").asText()).startsWith("*Tally: search up 5,000.00 (+50.0%) in 2017-03*");
        assertThat(message.path("tally").path("delta").asText()).isEqualTo("5000.0000000000");
        assertThat(Files.readAllLines(dir.resolve("alerts.jsonl"))).hasSize(2);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("Tally: search up 5,000.00",
                "Tally: search down 3,000.00");
        assertThat(store.list("outputs", "alerts/billing_period=2017-03/")).hasSize(2);
    }

    @Test
    void shouldTryAFailedChannelAgain_withoutRepeatingTheOthers() throws IOException {
        ObjectStore store = new DirectoryObjectStore(dir.resolve("bucket"));
        List<AlertSink> sinks = List.of(PrintingAlertSink.jsonLines(dir.resolve("alerts.jsonl")),
                new WebhookAlertSink(hook()));
        failuresLeft.set(1);

        AlertDispatch.Outcome failed = run(history("15000"), store, sinks, Instant.parse("2017-03-02T00:00:00Z"));
        AlertDispatch.Outcome retried = run(history("15000"), store, sinks, Instant.parse("2017-03-03T00:00:00Z"));
        AlertDispatch.Outcome done = run(history("15000"), store, sinks, Instant.parse("2017-03-04T00:00:00Z"));

        assertThat(failed.failed()).hasSize(1);
        assertThat(retried.sent()).hasSize(1);
        assertThat(done.alreadySent()).hasSize(1);
        assertThat(posted).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve("alerts.jsonl"))).as("the file had it the first time").hasSize(1);
    }

    @Test
    void shouldSendAgainAClaimLeftByARunThatDied_onlyOnceItIsStale() throws IOException {
        ObjectStore store = new DirectoryObjectStore(dir.resolve("bucket"));
        Alert alert = Alerts.evaluate(history("15000"), AlertsTest.rules("{\"default\": {\"relative\": \"0.2\"}}"))
                .get(0);
        Instant died = Instant.parse("2017-03-02T00:00:00Z");
        new AlertLedger(store, "outputs", "", Clock.fixed(died, ZoneOffset.UTC)).claim(alert);

        AlertLedger.Claim soon = new AlertLedger(store, "outputs", "", Clock.fixed(died.plusSeconds(60),
                ZoneOffset.UTC)).claim(alert);
        AlertLedger.Claim later = new AlertLedger(store, "outputs", "", Clock.fixed(died.plus(AlertLedger.ABANDONED)
                .plusSeconds(1), ZoneOffset.UTC)).claim(alert);

        assertThat(soon.send()).as("another run may be sending it").isFalse();
        assertThat(later.send()).isTrue();
    }
}
