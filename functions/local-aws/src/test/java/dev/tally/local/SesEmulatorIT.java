package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SES v2 endpoint over plain HTTP, as the SDK speaks it (REST-JSON), and the outbox it writes. */
class SesEmulatorIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SIMPLE = "{\"FromEmailAddress\":\"Tally <no-reply@tally.example>\","
            + "\"Destination\":{\"ToAddresses\":[\"ada@example.com\"]},"
            + "\"Content\":{\"Simple\":{\"Subject\":{\"Data\":\"Your code\",\"Charset\":\"UTF-8\"},"
            + "\"Body\":{\"Text\":{\"Data\":\"Code 123456\\nBye\"},\"Html\":{\"Data\":\"<p>Code 123456</p>\"}}}},"
            + "\"EmailTags\":[{\"Name\":\"request_id\",\"Value\":\"req-1\"}],\"ConfigurationSetName\":\"tally\"}";

    @TempDir
    Path temp;
    private SesEmulator ses;

    @BeforeEach
    void start() {
        ses = SesEmulator.start(temp.resolve("outbox"));
    }

    @AfterEach
    void stop() {
        ses.close();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(ses.endpoint().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return (Map<String, Object>) Json.parse(body);
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(ses.outbox())) {
            return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void shouldWriteAnAcceptedMessageToTheOutbox_andAnswerItsMessageId() throws Exception {
        Instant before = Instant.now();

        HttpResponse<String> response = post("/v2/email/outbound-emails", SIMPLE);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        String messageId = (String) json(response.body()).get("MessageId");
        assertThat(messageId).matches("0100[0-9a-f]{12}-[0-9a-f-]{36}-000000");

        assertThat(files()).singleElement().asString().matches("\\d{13}-" + messageId + "\\.json");
        Map<String, Object> file = json(Files.readString(ses.outbox().resolve(files().get(0))));
        assertThat(file).containsEntry("message_id", messageId)
                .containsEntry("from", "Tally <no-reply@tally.example>")
                .containsEntry("to", List.of("ada@example.com"))
                .containsEntry("subject", "Your code")
                .containsEntry("text", "Code 123456\nBye")
                .containsEntry("html", "<p>Code 123456</p>")
                .containsEntry("configuration_set", "tally")
                .containsEntry("tags", Map.of("request_id", "req-1"))
                .containsEntry("request_id", "req-1")
                .containsKey("received_at")
                .doesNotContainKeys("cc", "bcc");

        SesOutbox.Message message = SesOutbox.read(ses.outbox()).get(0);
        assertThat(message.messageId()).isEqualTo(messageId);
        assertThat(message.to()).containsExactly("ada@example.com");
        assertThat(message.text()).isEqualTo("Code 123456\nBye");
        assertThat(message.tags()).containsEntry("request_id", "req-1");
        assertThat(message.receivedAt()).isBetween(before, Instant.now());
        assertThat(ses.messages()).containsExactly(message);
    }

    @Test
    void shouldAnswerBadRequest_whenTheDestinationIsMissing() throws Exception {
        HttpResponse<String> response = post("/v2/email/outbound-emails",
                SIMPLE.replace("\"Destination\":{\"ToAddresses\":[\"ada@example.com\"]},", ""));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
        assertThat(json(response.body())).containsOnlyKeys("message");
        assertThat((String) json(response.body()).get("message")).contains("Destination");
        assertThat(files()).isEmpty();
    }

    @Test
    void shouldAnswerBadRequest_whenTheContentIsMissingOrIncomplete() throws Exception {
        String noContent = "{\"FromEmailAddress\":\"a@tally.example\",\"Destination\":{\"ToAddresses\":[\"b@example.com\"]}}";
        String noBody = noContent.replace("}}", "},\"Content\":{\"Simple\":{\"Subject\":{\"Data\":\"s\"}}}}");
        String noRecipients = SIMPLE.replace("[\"ada@example.com\"]", "[]");
        String noSender = SIMPLE.replace("\"FromEmailAddress\":\"Tally <no-reply@tally.example>\",", "");
        String template = noContent.replace("}}", "},\"Content\":{\"Template\":{\"TemplateName\":\"t\"}}}");
        String badTag = SIMPLE.replace("\"req-1\"", "\"req 1\"");
        String notJson = "{\"FromEmailAddress\":";
        for (String body : List.of(noContent, noBody, noRecipients, noSender, template, badTag, notJson)) {
            HttpResponse<String> response = post("/v2/email/outbound-emails", body);

            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).as(body).hasValue("BadRequestException");
            assertThat(json(response.body()).get("message")).as(body).isInstanceOf(String.class);
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void shouldRefuseAnIllegalAddressOrTooManyRecipients_withoutRepeatingTheAddresses() throws Exception {
        HttpResponse<String> illegal = post("/v2/email/outbound-emails",
                SIMPLE.replace("ada@example.com", "ada.example.com"));
        String fifty = IntStream.range(0, 51).mapToObj(i -> "\"p" + i + "@example.com\"")
                .collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> tooMany = post("/v2/email/outbound-emails",
                SIMPLE.replace("[\"ada@example.com\"]", fifty));

        assertThat(illegal.statusCode()).isEqualTo(400);
        assertThat(illegal.body()).contains("Illegal address").doesNotContain("ada");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("Recipient count exceeds 50").doesNotContain("p1@");
        assertThat(files()).isEmpty();
    }

    @Test
    void shouldAnswerNotFound_forAnyOtherPathOrMethod() throws Exception {
        HttpResponse<String> otherPath = post("/v2/email/templates", "{}");
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(ses.endpoint().resolve(
                "/v2/email/outbound-emails")).GET().build(), HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(otherPath, get)) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("UnknownOperationException");
            assertThat((String) json(response.body()).get("message")).contains("SendEmail");
        }
    }

    @Test
    void shouldTakeTheRecipientsAndBodiesOfARawMessage() throws Exception {
        String mime = "From: Tally <no-reply@tally.example>\r\nTo: ada@example.com, \"Grace, H\" <grace@example.com>\r\n"
                + "Subject: Your\r\n code\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n"
                + "\r\n--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                + "\r\nCode 654321 =E2=80=94 soon\r\n--b1\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n"
                + "\r\n" + Base64.getEncoder().encodeToString("<b>654321</b>".getBytes(StandardCharsets.UTF_8))
                + "\r\n--b1--\r\n";
        String body = "{\"Content\":{\"Raw\":{\"Data\":\""
                + Base64.getEncoder().encodeToString(mime.getBytes(StandardCharsets.UTF_8)) + "\"}}}";

        HttpResponse<String> response = post("/v2/email/outbound-emails", body);

        assertThat(response.statusCode()).isEqualTo(200);
        SesOutbox.Message message = SesOutbox.read(ses.outbox()).get(0);
        assertThat(message.from()).isEqualTo("Tally <no-reply@tally.example>");
        assertThat(message.to()).containsExactly("ada@example.com", "\"Grace, H\" <grace@example.com>");
        assertThat(message.subject()).isEqualTo("Your code");
        assertThat(message.text()).isEqualTo("Code 654321 \u2014 soon");
        assertThat(message.html()).isEqualTo("<b>654321</b>");
    }

    @Test
    void shouldKeepArrivalOrder_andLeaveOnlyWholeFiles_whenMessagesArriveTogether() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            sent.add(HTTP.sendAsync(HttpRequest.newBuilder(ses.endpoint().resolve("/v2/email/outbound-emails"))
                    .POST(HttpRequest.BodyPublishers.ofString(SIMPLE.replace("Your code", "n" + i))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : sent) {
            assertThat(response.get().statusCode()).isEqualTo(200);
            ids.add((String) json(response.get().body()).get("MessageId"));
        }

        assertThat(files()).hasSize(30).allMatch(name -> name.endsWith(".json") && !name.startsWith("."));
        List<SesOutbox.Message> messages = SesOutbox.read(ses.outbox());
        assertThat(messages).extracting(SesOutbox.Message::messageId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(messages).extracting(message -> message.file().getFileName().toString())
                .isSortedAccordingTo(java.util.Comparator.comparingLong(name -> Long.parseLong(name.split("-")[0])));
        assertThat(messages).extracting(SesOutbox.Message::receivedAt).isSorted();
    }

    @Test
    void shouldKeepAGivenOutbox_butDeleteItsOwnTemporaryOne_onClose() throws Exception {
        post("/v2/email/outbound-emails", SIMPLE);
        ses.close();
        assertThat(SesOutbox.read(temp.resolve("outbox"))).hasSize(1);

        SesEmulator temporary = SesEmulator.start(null);
        Path outbox = temporary.outbox();
        assertThat(outbox).isDirectory();
        temporary.close();
        assertThat(outbox).doesNotExist();
        assertThat(SesOutbox.read(outbox)).isEmpty();
    }

    @Test
    void shouldRunThroughLocalAws_withTheSdkEndpointVariable() throws Exception {
        Path outbox = temp.resolve("stack-outbox");
        try (LocalAws aws = LocalAws.start(LocalAws.Options.defaults().withSesOutbox(outbox), LocalService.SES)) {
            URI endpoint = aws.endpoint(LocalService.SES);
            assertThat(aws.sesOutbox()).isEqualTo(outbox);
            assertThat(aws.environment()).containsEntry("AWS_ENDPOINT_URL_SESV2", endpoint.toString());
            assertThat(aws.serviceEndpoints()).containsEntry("sesv2", endpoint);

            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(
                    "/v2/email/outbound-emails")).POST(HttpRequest.BodyPublishers.ofString(SIMPLE)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(SesOutbox.read(aws.sesOutbox())).extracting(SesOutbox.Message::subject).containsExactly("Your code");
        }
        assertThat(SesOutbox.read(outbox)).hasSize(1);
    }
}
