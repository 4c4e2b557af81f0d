package dev.tally.spend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Alerts posted to a Slack-compatible incoming webhook: {@code {"text": …}} (Slack, Mattermost, Rocket.Chat, and the
 * like read it), with the alert's figures beside it under {@code tally}. A status other than 2xx is a failure (the
 * alert is tried again on the next run). The URL is a secret: it appears in no message.
 */
public final class WebhookAlertSink implements AlertSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final HttpClient http;

    public WebhookAlertSink(URI url, HttpClient http) {
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("the webhook URL must be http or https");
        }
        this.url = url;
        this.http = http;
    }

    public WebhookAlertSink(URI url) {
        this(url, HttpClient.newBuilder().connectTimeout(TIMEOUT).build());
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(Alert alert) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("text", "*" + AlertText.title(alert) + "*\n" + AlertText.body(alert));
        body.set("tally", AlertJson.of(alert));
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting to the webhook", e);
        } catch (IOException e) {
            throw new IOException("the webhook could not be reached (" + e.getClass().getSimpleName() + ")", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the webhook answered HTTP " + response.statusCode());
        }
    }
}
