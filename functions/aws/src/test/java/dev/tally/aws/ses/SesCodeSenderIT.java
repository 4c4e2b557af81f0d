package dev.tally.aws.ses;

import com.sun.net.httpserver.HttpServer;
import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.SesOutbox;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.CodeSender.CodeNotSentException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The code sender with the real {@link SesV2Client}, configured from the stack's {@code AWS_ENDPOINT_URL_SESV2} as a
 * function would be, against the local SES endpoint and its outbox; and against endpoints that fail.
 */
@LocalAwsTest(services = LocalService.SES, emulatorSpecific = true)
class SesCodeSenderIT {
    private static final String FROM = "Tally Privacy <privacy@tally.example>";
    private static final String RECIPIENT = "ada.lovelace@example.com";
    private static final String CODE = "402913";
    private static final Instant EXPIRES = Instant.parse("2030-01-02T03:04:05Z");

    private static LocalAws stack;
    private static SdkHttpClient http;
    private static SesV2Client ses;

    @BeforeAll
    static void connect() {
        http = AwsClients.httpClient();
        ses = AwsClients.sesV2(AwsConfig.fromEnvironment(stack.environment()), http);
    }

    @AfterAll
    static void disconnect() {
        ses.close();
        http.close();
    }

    private static SesOutbox.Message sentFor(String requestId) {
        return SesOutbox.read(stack.sesOutbox()).stream()
                .filter(message -> requestId.equals(message.tags().get("request_id")))
                .reduce((a, b) -> {
                    throw new AssertionError("two messages for " + requestId);
                })
                .orElseThrow(() -> new AssertionError("no message for " + requestId + " in " + stack.sesOutbox()));
    }

    @Test
    void shouldLandTheCodeInTheOutbox_forTheRecipient_withTheSubjectAndExpiry() {
        String requestId = UUID.randomUUID().toString();
        SesCodeSender sender = new SesCodeSender(ses, FROM, Optional.of("tally-privacy"));

        sender.send(requestId, RECIPIENT, CODE, EXPIRES);

        SesOutbox.Message message = sentFor(requestId);
        assertThat(message.from()).isEqualTo(FROM);
        assertThat(message.to()).containsExactly(RECIPIENT);
        assertThat(message.subject()).isEqualTo(SesCodeSender.DEFAULT_SUBJECT);
        assertThat(message.text()).contains(CODE).contains("2 January 2030 at 03:04 UTC")
                .contains("If you did not ask for this, ignore this email");
        assertThat(message.html()).isNull();
        assertThat(message.configurationSet()).isEqualTo("tally-privacy");
        assertThat(message.messageId()).isNotBlank();
    }

    @Test
    void shouldUseTheConfiguredSubject_andLeaveTheTagOut_forARequestIdSesWouldRefuse() {
        SesCodeSender sender = new SesCodeSender(ses, FROM, Optional.empty(), "Confirm your request");
        String marker = UUID.randomUUID().toString();

        sender.send("req:" + marker, RECIPIENT, CODE, EXPIRES);

        SesOutbox.Message message = SesOutbox.read(stack.sesOutbox()).stream()
                .filter(m -> "Confirm your request".equals(m.subject()) && m.tags().isEmpty())
                .reduce((a, b) -> b).orElseThrow();
        assertThat(message.configurationSet()).isNull();
        assertThat(message.text()).contains(CODE);
    }

    @Test
    void shouldFailWithoutNamingTheAddressOrCode_whenSesCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (SesV2Client unreachable = AwsClients.sesV2(AwsConfig.local(Map.of(AwsClients.SESV2,
                URI.create("http://127.0.0.1:" + closedPort))), http)) {
            SesCodeSender sender = new SesCodeSender(unreachable, FROM, Optional.empty());

            assertThatThrownBy(() -> sender.send("req-unreachable", RECIPIENT, CODE, EXPIRES))
                    .isInstanceOf(CodeNotSentException.class)
                    .hasMessageContaining("req-unreachable")
                    .hasMessageContaining("SdkClientException")
                    .satisfies(SesCodeSenderIT::namesNeitherAddressNorCode);
        }
    }

    @Test
    void shouldFailWithoutNamingTheAddressOrCode_whenSesEchoesTheAddressInItsError() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("{\"message\":\"Email address is not verified. The following identities failed the check"
                    + " in region US-EAST-1: " + RECIPIENT + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("x-amzn-ErrorType", "MessageRejected");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "rid-1");
            exchange.sendResponseHeaders(400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try (SesV2Client rejecting = AwsClients.sesV2(AwsConfig.local(Map.of(AwsClients.SESV2,
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()))), http)) {
            SesCodeSender sender = new SesCodeSender(rejecting, FROM, Optional.empty());

            assertThatThrownBy(() -> sender.send("req-rejected", RECIPIENT, CODE, EXPIRES))
                    .isInstanceOf(CodeNotSentException.class)
                    .hasMessageContaining("req-rejected")
                    .hasMessageContaining("MessageRejected")
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("rid-1")
                    .satisfies(SesCodeSenderIT::namesNeitherAddressNorCode);
        } finally {
            server.stop(0);
        }
    }

    /** Nothing in the exception, its causes or suppressed ones, names the address (or its local part) or the code. */
    private static void namesNeitherAddressNorCode(Throwable thrown) {
        List<Throwable> all = new ArrayList<>();
        collect(thrown, all);
        assertThat(all).hasSizeGreaterThan(1); // the cause is there, for its stack trace
        for (Throwable t : all) {
            assertThat(String.valueOf(t)).doesNotContain(RECIPIENT, "ada.lovelace", CODE);
            assertThat(String.valueOf(t.getMessage())).doesNotContain(RECIPIENT, "ada.lovelace", CODE);
        }
    }

    private static void collect(Throwable t, List<Throwable> all) {
        if (t == null || all.contains(t)) {
            return;
        }
        all.add(t);
        collect(t.getCause(), all);
        for (Throwable suppressed : t.getSuppressed()) {
            collect(suppressed, all);
        }
    }
}
