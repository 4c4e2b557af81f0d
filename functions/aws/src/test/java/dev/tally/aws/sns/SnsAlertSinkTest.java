package dev.tally.aws.sns;

import com.sun.net.httpserver.HttpServer;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.spend.Alert;
import dev.tally.spend.Change;
import dev.tally.spend.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SNS sink through the real SDK client against an endpoint that speaks SNS's query protocol (no SNS emulator runs
 * here): what goes on the wire, and a refusal turned into a failure the dispatch retries.
 */
class SnsAlertSinkTest {
    private static final String TOPIC = "arn:aws:sns:eu-west-1:111122223333:tally-spend-alerts";

    HttpServer endpoint;
    final List<Map<String, String>> published = new ArrayList<>();
    volatile boolean refuse;
    SnsClient sns;

    @BeforeEach
    void start() throws IOException {
        endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/", exchange -> {
            Map<String, String> form = new TreeMap<>();
            for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
            String xml;
            int status;
            if (refuse) {
                status = 404;
                xml = "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>"
                        + "<Code>NotFound</Code><Message>Topic does not exist</Message></Error>"
                        + "<RequestId>r-2</RequestId></ErrorResponse>";
            } else {
                synchronized (published) {
                    published.add(form);
                }
                status = 200;
                xml = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                        + "<MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r-1</RequestId>"
                        + "</ResponseMetadata></PublishResponse>";
            }
            byte[] body = xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        endpoint.start();
        sns = AwsClients.sns(AwsConfig.local(Map.of(AwsClients.SNS,
                java.net.URI.create("http://127.0.0.1:" + endpoint.getAddress().getPort()))), AwsClients.httpClient());
    }

    @AfterEach
    void stop() {
        sns.close();
        endpoint.stop(0);
    }

    private static Alert alert(String area) {
        Change change = new Change(Subject.area(area), YearMonth.of(2017, 3), new BigDecimal("12000"),
                new BigDecimal("31500"));
        return new Alert(change, Change.Direction.UP, true, new BigDecimal("40000"), List.of(), List.of(),
                List.of("Amazon Elastic Compute Cloud"));
    }

    @Test
    void shouldPublishTheAlertWithASubjectSnsAccepts_andAttributesToFilterOn() throws IOException {
        new SnsAlertSink(sns, TOPIC).send(alert("recherche-équipe"));

        assertThat(published).singleElement().satisfies(form -> {
            assertThat(form).containsEntry("Action", "Publish").containsEntry("TopicArn", TOPIC)
                    .containsEntry("Subject", "Tally: recherche-?quipe up 19,500.00 (+162.5%) in 2017-03 (forecast)");
            assertThat(form.get("Message")).contains("12,000.00 in 2017-02", "month-end forecast",
                    "run rate stepped this month: Amazon Elastic Compute Cloud");
            Map<String, String> attributes = new TreeMap<>();
            for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
                attributes.put(form.get("MessageAttributes.entry." + i + ".Name"),
                        form.get("MessageAttributes.entry." + i + ".Value.StringValue"));
            }
            assertThat(attributes).containsEntry("billing_period", "2017-03").containsEntry("kind", "area")
                    .containsEntry("direction", "up").containsEntry("forecast", "true")
                    .containsEntry("subject", "recherche-équipe");
            assertThat(attributes.get("alert")).contains("\"delta\":\"19500.0000000000\"");
        });
    }

    @Test
    void shouldFailSoTheAlertIsTriedAgain_whenSnsRefusesIt() {
        refuse = true;

        assertThatThrownBy(() -> new SnsAlertSink(sns, TOPIC).send(alert("search"))).isInstanceOf(IOException.class)
                .hasMessageContaining("SNS refused the alert");
    }

    @Test
    void shouldKeepSubjectsWithinSnsLimits() {
        String subject = SnsAlertSink.subject("Tally: " + "x".repeat(120) + "…\nline");

        assertThat(subject).hasSizeLessThanOrEqualTo(100).doesNotContain("\n").endsWith("...");
        assertThat(subject.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
